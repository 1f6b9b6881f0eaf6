""" "Your three moves": the first screen of a plan, short enough to read in Slack (≤ ~1,500 characters).

The three moves are the asks and their branches, the best trade, and the limit most at risk, ordered
and phrased for the learner's style (data: ``coaching/data/moves.toml``), each grounded in the
style's failure mode. Moves that don't apply are left out: no counter for a learner, no trade when
there is nothing to trade, no limit move when no limit was set. Each principle is said once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from coaching.asks import AskPlan, Branch
from coaching.constraints import Verdict, check_item, read_limits
from coaching.counterparts import CounterpartKind
from coaching.matching import matches_limit
from coaching.prep import PrepInput, PrepPlan, SuggestedTrade
from coaching.styleplans import style_plan
from coaching.styles import Style

MAX_FIRST_SCREEN: Final = 1_500
MAX_ASKS_SHOWN: Final = 3
TRADE_LINES: Final = {  # a reasonable ask, answered in the style's own words (still a trade)
    Style.CLOSER: "“Yes, if you agree to {want} today.”",
    Style.DIPLOMAT: "“I can do that, if you can agree to {want}.”",
    Style.GAME_CHANGER: "cost it first; then “Yes, if you agree to {want}.”",
}


@dataclass(frozen=True, slots=True)
class MoveCard:
    """One of the three moves: a short title and one to three lines."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FirstScreen:
    """The plan's first screen: the style's risk in one line, then up to three moves."""

    risk: str
    moves: tuple[MoveCard, ...]

    def text(self) -> str:
        """Plain text, as measured against :data:`MAX_FIRST_SCREEN`."""
        out = [self.risk] if self.risk else []
        for number, move in enumerate(self.moves, 1):
            out.append(f"{number}. {move.title}")
            out.extend(f"   {line}" for line in move.lines)
        return "\n".join(out)


def _load() -> dict[str, Any]:
    return tomllib.loads(resources.files("coaching").joinpath("data", "moves.toml").read_text("utf-8"))


_DATA: Final = _load()


def _short(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _ask_line(plan: AskPlan, style: Style | None = None) -> str:
    if plan.branch is Branch.COUNTER:
        return _short(f"“{plan.ask}” breaks {plan.constraint or plan.limit} → “{plan.script}”")
    if plan.branch is Branch.EXPLORE:
        return _short(f"“{plan.ask}” → ask first; if it can't move, trade it.")
    if plan.want is not None and style in TRADE_LINES:
        return _short(f"“{plan.ask}” → {TRADE_LINES[style].format(want=plan.want.item)}")
    return _short(f"“{plan.ask}” → {plan.script}")


def _asks_move(plan: PrepPlan, said: str = "") -> MoveCard | None:
    """The asks move; ``said`` is an ask whose counter another move already scripts."""
    if not plan.asks:
        return None
    lines: list[str] = []
    seen: set[str] = set()
    for ask in plan.asks[:MAX_ASKS_SHOWN]:
        if ask.branch is Branch.COUNTER and (ask.ask == said or ask.script in seen):
            lines.append(f"“{ask.ask}” breaks {ask.constraint or ask.limit} → the counter above.")
        else:
            lines.append(_ask_line(ask, plan.style))
        seen.add(ask.script)
    if len(plan.asks) > MAX_ASKS_SHOWN:
        lines.append(f"…and {len(plan.asks) - MAX_ASKS_SHOWN} more in the full plan.")
    return MoveCard("Their asks, and your answer", tuple(lines))


def _at_risk(prep: PrepInput, plan: PrepPlan) -> tuple[str, str] | None:
    """The limit most at risk and the counter for it: one an ask breaks, else the first numeric
    limit, else the first limit; with the counter from the ask (or the playbook's)."""
    counters = [a for a in plan.asks if a.branch is Branch.COUNTER]
    if counters:
        first = counters[0]
        return first.constraint or first.limit, first.script
    if not prep.limits:
        return None
    readable = read_limits(prep.limits, prep.currency)
    touched = [
        limit
        for limit in readable
        if any(
            check_item(t.item, limit, cost=t.cost_to_us, default_currency=prep.currency).verdict
            in (Verdict.WITHIN, Verdict.BREAKS)
            for t in prep.tradeables
        )
    ]
    limit = (touched or [lim for lim in readable if lim.is_numeric] or list(readable))[0]
    counter = plan.limits[0].counter_example if plan.limits else ""
    return str(limit), counter


def _fresh_trades(plan: PrepPlan) -> tuple[SuggestedTrade, ...]:
    """The trades their asks don't already script: when they will ask for the very thing we would
    offer, the ask's trade says it, and the card doesn't say it twice."""
    asked = [a.ask for a in plan.asks if a.branch is Branch.TRADE]
    return tuple(t for t in plan.trades if not any(matches_limit(t.give.item, ask) for ask in asked))


def _costed(trade: SuggestedTrade) -> str:
    """The Game Changer's idea, costed in one line: what it costs, what it's worth, what it buys."""
    give = trade.give
    cost = f"costs us {give.cost_to_us}" if give.cost_to_us is not None else "cost it first"
    worth = f", worth {give.value_to_them} to them" if give.value_to_them is not None else ""
    buys = f" Only for “{trade.ask.item}”." if trade.ask is not None else ""
    return f"{give.item}: {cost}{worth}; inside your limits.{buys}"


def _key_number(prep: PrepInput, plan: PrepPlan) -> str:
    """The Strategist's one number: the numeric limit an ask tests, else the first numeric limit."""
    tested = [a.constraint for a in plan.asks if a.constraint and a.branch is not Branch.TRADE]
    numeric = [str(lim) for lim in read_limits(prep.limits, prep.currency) if lim.is_numeric]
    return (tested or numeric or [""])[0]


def _tested(risk: tuple[str, str]) -> MoveCard:
    """The limit move when an ask already scripts its counter (said once, not twice)."""
    return MoveCard(
        f"Hold {risk[0]}",
        (
            "It is the line their ask tests. If they push again, repeat your counter; "
            "never split the difference.",
        ),
    )


def first_screen(prep: PrepInput, plan: PrepPlan) -> FirstScreen:
    """The three moves for this plan's style and counterpart kind (see the module docstring)."""
    style, kind = plan.style, plan.counterpart_kind
    counters = [a for a in plan.asks if a.branch is Branch.COUNTER]
    asks = _asks_move(plan)
    fresh = _fresh_trades(plan)
    trade = fresh[0] if fresh else None
    risk = _at_risk(prep, plan)
    learner = kind is CounterpartKind.LEARNER
    moves: list[MoveCard | None] = []
    limit_move: MoveCard | None = None
    if risk is not None:
        limit, counter = risk
        if learner:
            limit_move = MoveCard(f"Hold {limit}", ("Ask what's behind the request before you answer it.",))
        else:
            limit_move = MoveCard(f"Hold {limit}", (f"If it's pushed: “{counter}”",) if counter else ())
    if style is Style.CLOSER:
        questions = style_plan(style, kind).questions
        moves.append(MoveCard("Ask before you propose", questions))
        close = _DATA["closer"]["close"][kind.value]
        lines = [close] + ([trade.sentence] if trade else [])
        moves.append(MoveCard("Price the close as a trade", tuple(_short(x) for x in lines)))
        moves.append(asks or limit_move)
        risk_line = _DATA["closer"]["failure"]
    elif style is Style.DIPLOMAT:
        if risk is not None and not learner:
            limit, counter = risk
            moves.append(
                MoveCard(f"Your firm line: {limit}", (_DATA["diplomat"]["firm"][kind.value], f"“{counter}”"))
            )
        elif risk is None:
            moves.append(MoveCard("Set your line first", (_DATA["diplomat"]["no_limit"],)))
        else:  # a learner's request is usually a fixed commitment: ask before holding any line
            moves.append(MoveCard("Ask before you answer", style_plan(style, kind).questions))
        can_if = [
            f"“I can do {t.give.item}, if you can agree to {t.ask.item}.”"
            for t in fresh[:2]
            if t.ask is not None
        ]
        moves.append(MoveCard("Every yes has an “if”", tuple(can_if)) if can_if else None)
        said = counters[0].ask if counters and not learner else ""
        moves.append(_asks_move(plan, said))
        risk_line = _DATA["diplomat"]["failure"]
    elif style is Style.STRATEGIST:
        key = _key_number(prep, plan)
        detail = ("Everything else is detail in the room.",)
        if key:
            moves.append(MoveCard(f"One number to hold: {key}", detail))
        elif risk is not None:
            moves.append(MoveCard(f"One line to hold: {risk[0]}", detail))
        person = _DATA["strategist"]["person"][kind.value]
        moves.append(MoveCard("Two questions about the person", tuple(person)))
        moves.append(asks or (MoveCard("Your best trade", (trade.sentence,)) if trade else None))
        risk_line = _DATA["strategist"]["failure"]
    elif style is Style.GAME_CHANGER:
        held = [h.reason or f"{h.tradeable.item}: breaks “{h.limit}”" for h in plan.held_back[:1]]
        lines = [
            *(_short(_costed(t), 160) for t in fresh[:2]),
            *(f"Not this one: {_short(h, 140)}" for h in held),
        ]
        moves.append(
            MoveCard("Your ideas, already costed", (_DATA["game_changer"]["check"][kind.value], *lines))
        )
        moves.append(asks)
        moves.append(_tested(risk) if counters and risk else limit_move)
        risk_line = _DATA["game_changer"]["failure"]
    else:
        moves.append(asks)
        moves.append(MoveCard("Your best trade", (trade.sentence,)) if trade else None)
        moves.append(_tested(risk) if counters and risk else limit_move)
        risk_line = ""
    cards = tuple(move for move in moves if move is not None)[:3]
    screen = FirstScreen(risk_line, cards)
    while len(screen.text()) > MAX_FIRST_SCREEN and any(len(m.lines) > 1 for m in screen.moves):
        longest = max(screen.moves, key=lambda m: len(m.lines))
        trimmed = tuple(MoveCard(m.title, m.lines[:-1]) if m is longest else m for m in screen.moves)
        screen = FirstScreen(risk_line, trimmed)
    return screen
