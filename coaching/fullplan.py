"""The full plan below "Your three moves", shaped by the learner's style and the counterpart kind.

Order, emphasis, scripts and questions follow each style's failure mode; the questions, the "For
you" line and the order come per style × counterpart kind from ``coaching/data/styleplans.toml``
(:mod:`coaching.styleplans`):

- 🦁 Closer buys the signature: questions come first, every trade is scripted as the close, the
  limits say what to do when pushed at the end, and the moves are the ones that slow the close down.
- 🐬 Diplomat gives to keep the peace: the firm line comes first, word for word; trades are "I can
  …, if you can …"; the questions are what to ask *instead of* offering.
- 🦉 Strategist loses the person: reading the other side comes first; trades carry their numbers
  in one line; the questions are the ones about people and decisions.
- 🐵 Game Changer offers ideas before costing them: trades are written as costed ideas, limits
  right after them, and a question to ask before floating anything new.
- No style yet: a neutral plan with the checklist.

Pure: a function of the plan. Both the Slack reply and the trainer preview render these sections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from coaching.counterparts import CounterpartKind
from coaching.phrasing import quoted
from coaching.playbook import Move
from coaching.prep import PrepPlan, SuggestedTrade
from coaching.styleplans import style_plan
from coaching.styles import Style


@dataclass(frozen=True, slots=True)
class Section:
    """One block of the full plan: a title with an emoji name, and its lines."""

    key: str
    title: str
    lines: tuple[str, ...]
    mark: str = "•"


NEUTRAL_ORDER: Final = (
    "questions", "trades", "limits", "walk_away", "commitments", "todo", "style", "reading", "checklist",
    "moves",
)  # fmt: skip


def order_for(style: Style | None, kind: CounterpartKind) -> tuple[str, ...]:
    """The full plan's sections, first to last, for this style and counterpart kind."""
    return NEUTRAL_ORDER if style is None else style_plan(style, kind).order


# The playbook moves each style most needs, in the order it needs them, each with the phrasing the
# style says (a move's language has two or three). Moves a style's own sections already enact are
# left out, so each principle is said once: the Diplomat's and the Game Changer's trades *are*
# "trade, never give", the asks *are* the counters, and asking for commitments is its own section.
MOVES: Final[dict[Style, tuple[tuple[str, int], ...]]] = {
    Style.CLOSER: (("uncover-the-need", 1), ("package-not-piece", 0), ("summarise-and-confirm", 1)),
    Style.DIPLOMAT: (
        ("look-beyond-price", 0), ("link-responsibility-to-outcome", 0), ("summarise-and-confirm", 0)
    ),
    Style.STRATEGIST: (("bring-them-together", 1), ("uncover-the-need", 2)),
    Style.GAME_CHANGER: (("package-not-piece", 1), ("look-beyond-price", 1), ("uncover-the-need", 0)),
}  # fmt: skip
NEUTRAL_PHRASING: Final = {"package-not-piece": 1}  # "nothing is final until…" is in the reading of a Closer

TRADE_TITLES: Final[dict[Style | None, str]] = {
    Style.CLOSER: ":handshake: Your close, priced as a trade",
    Style.DIPLOMAT: ":handshake: Each yes, with its “if”",
    Style.STRATEGIST: ":handshake: Trades, with the numbers behind them",
    Style.GAME_CHANGER: ":handshake: Your ideas, already costed",
    None: ":handshake: Trades to propose, best first",
}


def _want(trade: SuggestedTrade) -> str:
    return quoted(trade.ask.item) if trade.ask is not None else "what you want in return"


def _cost(trade: SuggestedTrade) -> str:
    cost = trade.give.cost_to_us
    return f"costs us {cost}" if cost is not None else "cost it before the meeting"


TRADE_SCRIPTS: Final[dict[Style | None, Callable[[SuggestedTrade], str]]] = {
    Style.CLOSER: lambda t: (
        f"To close: if you agree to {_want(t)} today, then we’ll agree to {quoted(t.give.item)}."
    ),
    Style.DIPLOMAT: lambda t: f"Say: I can do {quoted(t.give.item)}, if you can agree to {_want(t)}.",
    Style.STRATEGIST: lambda t: f"{t.sentence} {t.why}",
    Style.GAME_CHANGER: lambda t: (
        f"Idea: {quoted(t.give.item)} ({_cost(t)}, inside your limits): offer it only for {_want(t)}."
    ),
    None: lambda t: f"{t.sentence} {t.why}",
}


def _questions(plan: PrepPlan) -> Section:
    """The style's two questions for this kind, unless the card already asks them: then the Closer
    goes on with three of the playbook's (still before proposing) and a Diplomat facing a learner has said
    them; no style: every playbook question."""
    if plan.style is None:
        return Section("questions", ":mag: Ask first, to uncover the real need", plan.questions)
    data = style_plan(plan.style, plan.counterpart_kind)
    card = plan.first_screen.moves if plan.first_screen is not None else ()
    on_card = any(data.questions[0] in move.lines for move in card)
    # never the card's questions twice: the Closer goes on with the playbook's, others have said them
    lines = data.questions if not on_card else plan.questions[:3] if plan.style is Style.CLOSER else ()
    return Section("questions", f":mag: {data.questions_title}", lines)


def _limits(plan: PrepPlan) -> Section:
    # held back by number; one held back by wording is already on the to-do list ("take it off")
    held = tuple(f"Held back: {h.reason}" for h in plan.held_back if h.constraint)
    guard = plan.limits[0] if plan.limits else None
    scripted = any(ask.branch.value == "counter" for ask in plan.asks)
    guidance: tuple[str, ...] = ()
    if guard is not None and not scripted and guard.counter_example:
        guidance = {
            Style.CLOSER: (f"Pushed at the close? Don't buy the signature: “{guard.counter_example}”",),
            Style.DIPLOMAT: (f"Your firm line, word for word: “{guard.counter_example}”",),
            Style.STRATEGIST: (f"{guard.when_pushed}",),
            Style.GAME_CHANGER: (f"No new idea crosses it. If pushed: “{guard.counter_example}”",),
            None: (f"{guard.when_pushed} For example: “{guard.counter_example}”",),
        }[plan.style]
    titles: dict[Style | None, str] = {
        Style.DIPLOMAT: ":shield: Your firm line",
        Style.GAME_CHANGER: ":shield: Every idea is checked against these",
    }
    lines = (*(quoted(g.limit) for g in plan.limits), *held, *guidance)
    return Section("limits", titles.get(plan.style, ":shield: Limits to hold"), lines)


def _reading(plan: PrepPlan) -> tuple[str, ...]:
    """Reading the other side, split between the styles (each gets the line its failure mode needs,
    none repeats another's): the Strategist how to recognise them and meet them; the Closer how to
    pace the decision; the Game Changer how to pitch to them; the Diplomat what not to let happen."""
    notes = plan.counterpart_notes
    if not notes or plan.style is None:
        return notes
    signs, *adapt = notes  # adapt: three ways to adapt, then what to avoid
    if plan.style is Style.STRATEGIST:
        return (signs, *adapt[:1])
    if plan.style is Style.DIPLOMAT:
        return tuple(adapt[-1:])
    if plan.style is Style.CLOSER:
        return tuple(adapt[2:3])
    return tuple(adapt[1:2])


def _said(move: Move, index: int) -> str:
    """What the plan says for a move: its phrasing at ``index``, else the first with no slot to
    fill ("[their part]"), else why the move works (the plan never prints a blank)."""
    ready = [f"“{line}”" for line in move.language if "[" not in line]
    if not ready:
        return move.why
    wanted = f"“{move.language[min(index, len(move.language) - 1)]}”"
    return wanted if wanted in ready else ready[0]


def _moves(plan: PrepPlan) -> tuple[str, ...]:
    by_id = {move.id: move for move in plan.moves}
    enacted = {"commit-early"} if plan.commitments else set()  # its own section says it
    if plan.asks or any(guard.counter_example for guard in plan.limits):
        enacted.add("unacceptable-counter")  # the asks or the limits already script the counter
    chosen = (
        [(move, NEUTRAL_PHRASING.get(move.id, 0)) for move in plan.moves if move.id not in enacted]
        if plan.style is None
        else [(by_id[i], index) for i, index in MOVES[plan.style] if i in by_id]
    )
    lines = ((move, _said(move, index)) for move, index in chosen)
    # plain text: the playbook is written by an admin, and its words are shown as written
    return tuple(f"{move.name}: {said}" for move, said in lines if said)


def full_plan_sections(plan: PrepPlan) -> tuple[Section, ...]:
    """The full plan's sections, in the style's order; empty sections are left out."""
    style = plan.style
    built = {
        "questions": _questions(plan),
        "trades": Section("trades", TRADE_TITLES[style], tuple(TRADE_SCRIPTS[style](t) for t in plan.trades)),
        "limits": _limits(plan),
        "commitments": Section(
            "commitments", ":pushpin: Commitments to ask for, with their conditions", plan.commitments
        ),
        "walk_away": Section("walk_away", ":door: Walk-away", (plan.walk_away,) if plan.walk_away else ()),
        "todo": Section("todo", ":memo: Before the meeting", plan.todo),
        "style": Section("style", ":bust_in_silhouette: For you", plan.style_notes),
        "reading": Section("reading", ":eyes: Reading the other side", _reading(plan)),
        "checklist": Section("checklist", ":clipboard: Checklist", plan.checklist, "☐"),
        "moves": Section("moves", ":books: Moves for you from the playbook", _moves(plan)),
    }
    return tuple(built[key] for key in order_for(style, plan.counterpart_kind) if built[key].lines)


def coaching_lines(plan: PrepPlan) -> tuple[str, ...]:
    """Every line the plan writes (the three moves, then the full plan), except the learner's own
    words echoed back (their limits as typed, their walk-away): what a trainer compares between
    styles."""
    typed = {quoted(guard.limit) for guard in plan.limits} | {plan.walk_away}
    lines = [line for move in plan.first_screen.moves for line in move.lines] if plan.first_screen else []
    lines += [line for ask in plan.asks for line in (ask.first, ask.script, ask.note) if line]
    for section in full_plan_sections(plan):
        lines += [line for line in section.lines if line not in typed]
    return tuple(lines)
