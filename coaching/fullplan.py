"""The full plan below "Your three moves", shaped by the learner's style.

Order, emphasis and scripts follow each style's failure mode (see ``coaching/data/moves.toml``):

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

from coaching.phrasing import quoted
from coaching.playbook import Move
from coaching.prep import PrepPlan, SuggestedTrade
from coaching.styles import Style


@dataclass(frozen=True, slots=True)
class Section:
    """One block of the full plan: a title with an emoji name, and its lines."""

    key: str
    title: str
    lines: tuple[str, ...]
    mark: str = "•"


ORDER: Final[dict[Style | None, tuple[str, ...]]] = {
    Style.CLOSER: (
        "questions", "trades", "limits", "commitments", "walk_away", "todo", "style", "moves", "reading"
    ),
    Style.DIPLOMAT: (
        "limits", "walk_away", "trades", "questions", "commitments", "todo", "style", "reading", "moves"
    ),
    Style.STRATEGIST: (
        "reading", "questions", "trades", "limits", "walk_away", "commitments", "todo", "style", "moves"
    ),
    Style.GAME_CHANGER: (
        "trades", "limits", "walk_away", "questions", "commitments", "todo", "style", "moves", "reading"
    ),
    None: (
        "questions", "trades", "limits", "walk_away", "commitments", "todo", "style", "reading", "checklist",
        "moves",
    ),
}  # fmt: skip

# The playbook moves each style most needs, in the order it needs them (others are left out;
# asking for commitments is its own section).
MOVES: Final[dict[Style | None, tuple[str, ...]]] = {
    Style.CLOSER: ("uncover-the-need", "package-not-piece", "summarise-and-confirm"),
    Style.DIPLOMAT: ("trade-never-give", "unacceptable-counter", "look-beyond-price"),
    Style.STRATEGIST: ("bring-them-together", "link-responsibility-to-outcome", "uncover-the-need"),
    Style.GAME_CHANGER: (
        "package-not-piece", "trade-never-give", "look-beyond-price", "link-responsibility-to-outcome"
    ),
    None: (),  # all of them
}  # fmt: skip

# Which of a move's phrasings each style says (the playbook has two or three per move).
PHRASING: Final[dict[Style | None, int]] = {
    Style.CLOSER: 1,
    Style.DIPLOMAT: 0,
    Style.STRATEGIST: 2,
    Style.GAME_CHANGER: 1,
    None: 0,
}

QUESTION_TITLES: Final[dict[Style | None, str]] = {
    Style.CLOSER: ":mag: Then these, still before you propose anything",
    Style.DIPLOMAT: ":mag: When you feel the urge to offer, ask one of these instead",
    Style.STRATEGIST: ":mag: Ask about the people and the decision, not only the numbers",
    Style.GAME_CHANGER: ":mag: Ask before you float a new idea",
    None: ":mag: Ask first, to uncover the real need",
}

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


def _questions(plan: PrepPlan) -> tuple[str, ...]:
    questions = plan.questions
    if plan.style is None:
        return questions
    if plan.style is Style.CLOSER:
        return questions[2::2]  # the first two are on the card: these come next, before any number
    if plan.style is Style.DIPLOMAT:
        return questions[1::2]  # what they value: questions that replace an offer
    if plan.style is Style.STRATEGIST:
        return questions[-1:]  # who decides (the person questions are on the card)
    return questions[1:2]  # what would make it worth it: cost the idea against that


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
    notes = plan.counterpart_notes
    if not notes or plan.style in (Style.STRATEGIST, None):
        return notes
    signs, *adapt = notes
    if plan.style is Style.DIPLOMAT:
        return tuple(adapt[-1:])  # what not to let happen
    if plan.style is Style.CLOSER:
        return (signs, *adapt[:1])  # read them before you close
    return tuple(adapt[1:2])  # one way to pitch an idea to them


def _moves(plan: PrepPlan) -> tuple[str, ...]:
    wanted = MOVES[plan.style]
    by_id = {move.id: move for move in plan.moves}
    chosen: list[Move] = [by_id[i] for i in wanted if i in by_id] if wanted else list(plan.moves)
    index = PHRASING[plan.style]
    return tuple(
        # plain text: the playbook is written by an admin, and its words are shown as written
        f"{move.name}: “{move.language[min(index, len(move.language) - 1)]}”"
        for move in chosen
        if move.language
    )


def full_plan_sections(plan: PrepPlan) -> tuple[Section, ...]:
    """The full plan's sections, in the style's order; empty sections are left out."""
    style = plan.style
    built = {
        "questions": Section("questions", QUESTION_TITLES[style], _questions(plan)),
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
    return tuple(built[key] for key in ORDER[style] if built[key].lines)


def coaching_lines(plan: PrepPlan) -> tuple[str, ...]:
    """Every line the full plan writes, except the learner's own words echoed back (their limits as
    typed, their walk-away): what a trainer compares between styles."""
    typed = {quoted(guard.limit) for guard in plan.limits} | {plan.walk_away}
    lines = [line for ask in plan.asks for line in (ask.first, ask.script, ask.note) if line]
    for section in full_plan_sections(plan):
        lines += [line for line in section.lines if line not in typed]
    return tuple(lines)
