"""Preparing a negotiation: validating what was typed into the prep modal and building the plan.

The plan is written for the learner's style *and* the counterpart kind: probing questions from the
playbook, conditional "If you …, then we …" trades that pair what is cheap for us with what is
valuable to them, the limits to hold (with a deliberately unacceptable counter for each), a
checklist, and notes only someone of this style needs to hear.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, TypeVar

from coaching.asks import AskPlan, parse_ask_lines, plan_asks
from coaching.constraints import Verdict, check_item, first_breach, read_limits
from coaching.counterparts import CounterpartKind
from coaching.direction import both_sides, both_sides_message, wrong_side
from coaching.items import Tradeable, Want
from coaching.money import Money
from coaching.parsing import (
    LinesError,
    parse_text_lines,
    parse_tradeable_lines,
    parse_want_lines,
)
from coaching.phrasing import format_ratio, quoted, trade_sentence
from coaching.playbook import Move, Playbook
from coaching.quantities import Term
from coaching.styleplans import style_plan
from coaching.styles import Style, profile_for

if TYPE_CHECKING:
    from coaching.moves import FirstScreen

MAX_TITLE_LENGTH: Final = 150
MAX_NAME_LENGTH: Final = 150
MAX_TEXT_LENGTH: Final = 3_000
"""Multi-line fields and the walk-away; Slack's own plain-text input maximum."""
MAX_TRADES: Final = 5
MAX_PROBLEMS_SHOWN: Final = 3

T = TypeVar("T")
F = TypeVar("F", bound=StrEnum)


class PrepField(StrEnum):
    """The prep modal's fields; validation errors are keyed by these."""

    TITLE = "title"
    COUNTERPART_KIND = "counterpart_kind"
    COUNTERPART_NAME = "counterpart_name"
    COUNTERPART_STYLE = "counterpart_style"
    DATE = "date"
    OBJECTIVES = "objectives"
    LIMITS = "limits"
    WALK_AWAY = "walk_away"
    TRADEABLES = "tradeables"
    WANTS = "wants"
    ASKS = "asks"


@dataclass(frozen=True, slots=True)
class PrepForm:
    """The prep modal's values exactly as submitted (text; empty when left blank).

    ``date`` is ``YYYY-MM-DD`` (a Slack date picker's value); ``counterpart_kind`` a
    :class:`CounterpartKind` value; ``counterpart_style`` a :class:`Style` value or empty.
    """

    title: str = ""
    counterpart_kind: str = ""
    counterpart_name: str = ""
    date: str = ""
    objectives: str = ""
    limits: str = ""
    walk_away: str = ""
    tradeables: str = ""
    wants: str = ""
    counterpart_style: str = ""
    asks: str = ""


@dataclass(frozen=True, slots=True)
class PrepInput:
    """A validated prep. ``currency`` is the one applied where none was typed."""

    title: str
    counterpart_kind: CounterpartKind
    counterpart_name: str
    date: date
    objectives: tuple[str, ...]
    limits: tuple[str, ...] = ()
    walk_away: str = ""
    tradeables: tuple[Tradeable, ...] = ()
    wants: tuple[Want, ...] = ()
    currency: str = "USD"
    counterpart_style: Style | None = None
    asks: tuple[Term, ...] = ()
    """What they will ask for, one per line as typed, with the numbers read from each."""


@dataclass(frozen=True, slots=True)
class PrepValidation:
    """Either a :class:`PrepInput` or the errors to show, keyed by field."""

    prep: PrepInput | None
    errors: Mapping[PrepField, str]

    @property
    def ok(self) -> bool:
        return self.prep is not None


def read_lines(
    errors: dict[F, str], field: F, value: str, parse: Callable[[str], tuple[T, ...]]
) -> tuple[T, ...]:
    """Parse a multi-line field, recording a length or per-line error under ``field`` (shared with
    the debrief modal)."""
    if len(value) > MAX_TEXT_LENGTH:
        errors[field] = f"Keep this under {MAX_TEXT_LENGTH:,} characters (it has {len(value):,})."
        return ()
    try:
        return parse(value)
    except LinesError as error:
        errors[field] = lines_message(error)
        return ()


def lines_message(error: LinesError) -> str:
    """The per-line problems as one modal error: the first few, then how many more."""
    shown = [str(problem) for problem in error.problems[:MAX_PROBLEMS_SHOWN]]
    extra = len(error.problems) - len(shown)
    message = "; ".join(shown)
    if extra:
        message += f" (and {extra} more)"
    return message[0].upper() + message[1:]


def validate_prep(form: PrepForm, *, today: date, default_currency: str) -> PrepValidation:
    """Check a submitted prep modal; ``today`` is the learner's local date (the caller knows it).

    Errors: required fields (title, counterpart kind, date, at least one objective), over-long fields,
    a date before ``today``, and every unreadable tradeable or want line with its number and why.
    """
    errors: dict[PrepField, str] = {}

    def text(field: PrepField, value: str, limit: int, *, required: str | None = None) -> str:
        cleaned = value.strip()
        if required and not cleaned:
            errors[field] = required
        elif len(cleaned) > limit:
            errors[field] = f"Keep this under {limit:,} characters (it has {len(cleaned):,})."
        return cleaned

    title = text(PrepField.TITLE, form.title, MAX_TITLE_LENGTH, required="Give the negotiation a title.")
    name = text(PrepField.COUNTERPART_NAME, form.counterpart_name, MAX_NAME_LENGTH)
    walk_away = text(PrepField.WALK_AWAY, form.walk_away, MAX_TEXT_LENGTH)

    kind: CounterpartKind | None = None
    try:
        kind = CounterpartKind(form.counterpart_kind.strip())
    except ValueError:
        errors[PrepField.COUNTERPART_KIND] = "Choose who you are negotiating with."

    counterpart_style: Style | None = None
    if form.counterpart_style.strip():
        try:
            counterpart_style = Style(form.counterpart_style.strip())
        except ValueError:
            errors[PrepField.COUNTERPART_STYLE] = "Choose one of the four styles, or leave it empty."

    when: date | None = None
    raw_date = form.date.strip()
    if not raw_date:
        errors[PrepField.DATE] = "Pick the date of the negotiation."
    else:
        try:
            when = date.fromisoformat(raw_date)
        except ValueError:
            errors[PrepField.DATE] = f"'{raw_date}' is not a date; use YYYY-MM-DD."
        else:
            if when < today:
                errors[PrepField.DATE] = (
                    f"{when.isoformat()} has already passed; pick today ({today.isoformat()}) or later."
                )

    objectives = read_lines(errors, PrepField.OBJECTIVES, form.objectives, parse_text_lines)
    if not objectives and PrepField.OBJECTIVES not in errors:
        errors[PrepField.OBJECTIVES] = "Write at least one objective: what you want to come away with."
    limits = read_lines(errors, PrepField.LIMITS, form.limits, parse_text_lines)
    tradeables = read_lines(
        errors,
        PrepField.TRADEABLES,
        form.tradeables,
        lambda value: parse_tradeable_lines(value, default_currency),
    )
    wants = read_lines(
        errors, PrepField.WANTS, form.wants, lambda value: parse_want_lines(value, default_currency)
    )
    doubled = both_sides(tradeables, wants)
    if doubled and PrepField.TRADEABLES not in errors:
        errors[PrepField.TRADEABLES] = both_sides_message(doubled)
    asks = read_lines(
        errors, PrepField.ASKS, form.asks, lambda value: parse_ask_lines(value, default_currency)
    )

    if errors or kind is None or when is None:
        return PrepValidation(None, MappingProxyType(errors))
    prep = PrepInput(
        title=title,
        counterpart_kind=kind,
        counterpart_name=name,
        date=when,
        objectives=objectives,
        limits=limits,
        walk_away=walk_away,
        tradeables=tradeables,
        wants=wants,
        currency=default_currency,
        counterpart_style=counterpart_style,
        asks=asks,
    )
    return PrepValidation(prep, MappingProxyType({}))


# --------------------------------------------------------------------------------------------------
# The plan.


@dataclass(frozen=True, slots=True)
class SuggestedTrade:
    """A conditional trade to propose: ``give`` (cheap for us) for ``ask`` (what we want)."""

    give: Tradeable
    ask: Want | None
    sentence: str
    why: str


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A tradeable left out of the suggestions because it breaks one of the limits.

    ``limit`` is the limit as typed; ``reason`` says how it breaks it, by number when the limit
    could be read as one (``12 % … — your limit was discount ≤ 7 %``).
    """

    tradeable: Tradeable
    limit: str
    reason: str = ""
    constraint: str = ""
    """The limit read as a constraint (``discount ≤ 7 %``); empty for a worded limit."""


@dataclass(frozen=True, slots=True)
class LimitGuard:
    """A limit to hold, and what to say when it is pushed."""

    limit: str
    when_pushed: str
    counter_example: str
    if_reasonable: str


@dataclass(frozen=True, slots=True)
class PrepPlan:
    """Everything the learner reads before the meeting, in the order they should read it."""

    title: str
    counterpart_kind: CounterpartKind
    counterpart_name: str
    date: date
    style: Style | None
    headline: str
    objectives: tuple[str, ...]
    questions: tuple[str, ...]
    trades: tuple[SuggestedTrade, ...]
    held_back: tuple[HeldBack, ...]
    limits: tuple[LimitGuard, ...]
    walk_away: str
    todo: tuple[str, ...]
    checklist: tuple[str, ...]
    in_the_room: tuple[str, ...]
    style_notes: tuple[str, ...]
    counterpart_notes: tuple[str, ...]
    moves: tuple[Move, ...]
    asks: tuple[AskPlan, ...] = ()
    """Their asks, each with its branch: a counter they'll refuse, or a trade."""
    first_screen: FirstScreen | None = None
    """"Your three moves", written for the style (see :mod:`coaching.moves`)."""
    commitments: tuple[str, ...] = ()
    """The commitments to ask for, each with its condition (owner, date, late-cancellation charge)."""


PLACES: Final = {  # kinds where places or dates are booked, so a late cancellation has a cost
    CounterpartKind.LEARNER: "each place",
    CounterpartKind.MANAGEMENT: "each place their people take",
    CounterpartKind.CONSULTANT: "each booked day",
    CounterpartKind.SUPPLIER: "each booked day",
}


def commitments_to_ask(
    kind: CounterpartKind, wants: tuple[Want, ...], policy_notice_days: int, policy_percent: int
) -> tuple[str, ...]:
    """The commitments to ask for, with their conditions, agreed before anything is fixed: an owner
    and a date for the most valuable wants, and the playbook's chargeback where places are booked."""
    named = " and ".join(quoted(want.item) for want in wants[:2])
    lines = [f"Who owns {named}, and by when: agree it before you leave."] if named else []
    if kind in PLACES:
        lines.append(
            f"Before the dates are fixed: cancelling with less than {policy_notice_days} days' notice "
            f"is charged back at {policy_percent} % for {PLACES[kind]}."
        )
    return tuple(lines)


def _tier(tradeable: Tradeable) -> tuple[int, Fraction]:
    cost, value = tradeable.cost_to_us, tradeable.value_to_them
    leverage = tradeable.leverage()
    if cost is not None and value is not None and cost.currency == value.currency:
        if cost.is_zero() and not value.is_zero():
            return 0, Fraction(0)
        if leverage is not None:
            return 1, -leverage
    if cost is not None and cost.is_zero():
        return 2, Fraction(0)
    return 3, Fraction(0)


def rank_tradeables(tradeables: tuple[Tradeable, ...]) -> tuple[Tradeable, ...]:
    """Best to offer first, by value to them per unit of cost to us.

    Order: (1) free to us with a known value to them; (2) known leverage, highest first; (3) free to
    us, value unknown; (4) the rest (cost or value unknown, or in different currencies). Ties keep
    the order they were typed in.
    """
    indexed = sorted(enumerate(tradeables), key=lambda pair: (*_tier(pair[1]), pair[0]))
    return tuple(tradeable for _, tradeable in indexed)


def rank_wants(wants: tuple[Want, ...], currency: str) -> tuple[Want, ...]:
    """Most valuable to us first: priced in ``currency`` (highest first), then other currencies,
    then unpriced, each group in typed order (amounts in different currencies are never compared)."""

    def key(pair: tuple[int, Want]) -> tuple[int, int, int]:
        index, want = pair
        value = want.value_to_us
        if value is None:
            return 2, 0, index
        if value.currency == currency:
            return 0, -value.amount_minor, index
        return 1, 0, index

    return tuple(want for _, want in sorted(enumerate(wants), key=key))


def _covers(want: Want, cost: Money | None) -> bool:
    value = want.value_to_us
    return value is not None and cost is not None and value.currency == cost.currency and value >= cost


def _why(give: Tradeable, ask: Want | None) -> str:
    parts: list[str] = []
    cost, value = give.cost_to_us, give.value_to_them
    if cost is not None and cost.is_zero():
        parts.append("costs us nothing")
    elif cost is not None:
        parts.append(f"costs us {cost}")
    else:
        parts.append("cost to us not yet known")
    if value is not None:
        parts.append(f"worth {value} to them")
    leverage = give.leverage()
    if leverage is not None:
        parts.append(f"{format_ratio(leverage)} as valuable to them as it is costly to us")
        if leverage < 1:
            parts.append("offer it last: it costs us more than it is worth to them")
    if ask is not None and ask.value_to_us is not None:
        parts.append(f"{quoted(ask.item)} is worth {ask.value_to_us} to us")
        if cost is not None and cost.currency == ask.value_to_us.currency and ask.value_to_us < cost:
            parts.append("ask for more: that is worth less to us than this costs")
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def suggest_trades(
    tradeables: tuple[Tradeable, ...], wants: tuple[Want, ...], limits: tuple[str, ...], currency: str
) -> tuple[tuple[SuggestedTrade, ...], tuple[HeldBack, ...]]:
    """Pair the best tradeables with the wants worth most to us, never offering a limit.

    Each tradeable (best first, at most :data:`MAX_TRADES`) gets the most valuable unused want that
    covers its cost, else the most valuable unused want, else the most valuable want again.
    """
    held_back: list[HeldBack] = []
    offerable: list[Tradeable] = []
    readable = read_limits(limits, currency)
    for tradeable in rank_tradeables(tradeables):
        breach = first_breach(tradeable.item, readable, cost=tradeable.cost_to_us, default_currency=currency)
        if breach is None:
            offerable.append(tradeable)
        else:
            constraint = str(breach.limit.constraint) if breach.limit.constraint is not None else ""
            reason = breach.explain(tradeable.item, "offered")
            held_back.append(HeldBack(tradeable, breach.limit.text, reason, constraint))
    ranked_wants = rank_wants(wants, currency)
    used: set[int] = set()
    trades: list[SuggestedTrade] = []
    for give in offerable[:MAX_TRADES]:
        unused = [index for index in range(len(ranked_wants)) if index not in used]
        covering = [i for i in range(len(ranked_wants)) if _covers(ranked_wants[i], give.cost_to_us)]
        preference = [
            *(i for i in covering if i not in used),
            *covering,
            *unused,
            *range(len(ranked_wants)),
        ]
        choice = preference[0] if preference else None
        ask = None if choice is None else ranked_wants[choice]
        if choice is not None:
            used.add(choice)
        trades.append(
            SuggestedTrade(give, ask, trade_sentence(give.item, ask.item if ask else None), _why(give, ask))
        )
    return tuple(trades), tuple(held_back)


def _todo(prep: PrepInput, held_back: tuple[HeldBack, ...]) -> tuple[str, ...]:
    todo: list[str] = []
    if not prep.limits:
        todo.append("Decide what is out of bounds before the meeting: list at least one limit.")
    if not prep.walk_away:
        todo.append("Write your walk-away: the point at which no deal is better than this deal.")
    if not prep.tradeables:
        todo.append("List what you could trade: things cheap for you and valuable to them.")
    if not prep.wants:
        todo.append("Decide what you want in return, so every concession has a price.")
    held_ids = {id(item.tradeable) for item in held_back}
    offerable = [t for t in prep.tradeables if id(t) not in held_ids]
    unpriced = [t.item for t in offerable if t.cost_to_us is None]
    if unpriced:
        todo.append("Put a cost to us on: " + ", ".join(quoted(item) for item in unpriced) + ".")
    unvalued = [t.item for t in offerable if t.value_to_them is None]
    if unvalued:
        todo.append("Estimate what these are worth to them: " + ", ".join(quoted(i) for i in unvalued) + ".")
    unvalued_wants = [w.item for w in prep.wants if w.value_to_us is None]
    if unvalued_wants:
        todo.append("Put a value on what you want: " + ", ".join(quoted(i) for i in unvalued_wants) + ".")
    for held in held_back:
        todo.append(
            f"Take {quoted(held.tradeable.item)} off your tradeables: "
            + (
                f"it breaks your limit {held.constraint} ({quoted(held.limit)})."
                if held.constraint
                else f"it matches your limit {quoted(held.limit)}."
            )
        )
    readable = read_limits(prep.limits, prep.currency)
    for tradeable in offerable:
        for limit in readable:
            check = check_item(
                tradeable.item, limit, cost=tradeable.cost_to_us, default_currency=prep.currency
            )
            if check.verdict is Verdict.NO_NUMBER and limit.constraint is not None:
                todo.append(
                    f"Put a number on {quoted(tradeable.item)}: it touches your limit "
                    f"{limit.constraint}, and without a number Parley cannot check it."
                )
                break
    return tuple(todo)


def build_prep_plan(prep: PrepInput, style: Style | None, playbook: Playbook) -> PrepPlan:
    """The prep plan for this negotiation, written for ``style`` (None: no style yet), opening with
    "Your three moves" (:func:`coaching.moves.first_screen`)."""
    from coaching.moves import first_screen

    plan = _build_plan(prep, style, playbook)
    return replace(plan, first_screen=first_screen(prep, plan))


def _build_plan(prep: PrepInput, style: Style | None, playbook: Playbook) -> PrepPlan:
    profile = profile_for(style)
    kind = prep.counterpart_kind
    who = prep.counterpart_name or kind.label.lower()
    backwards = wrong_side(prep.tradeables, kind, playbook.usually_gives_for(kind))
    backwards_items = {warning.item for warning in backwards}
    ours = tuple(t for t in prep.tradeables if t.item not in backwards_items)
    trades, held_back = suggest_trades(ours, prep.wants, prep.limits, prep.currency)
    if not prep.wants:
        trades = ()  # never a trade with a blank to fill: the to-do list asks for a want instead
    counter = playbook.counter_for(kind)
    best = (
        trades[0].sentence
        if trades
        else "decide what you want in return first, then offer it as “if you …, then we …”."
    )
    internal = kind is CounterpartKind.LEARNER  # a learner's request is often a fixed commitment
    guards = tuple(
        LimitGuard(
            limit=limit,
            when_pushed=(
                f"Ask first: what's behind the request, and can it move? What else would work? "
                f"Hold {quoted(limit)} by finding another way, "
                "never by refusing a commitment they can't change."
                if internal
                else f"Name {quoted(limit)} as a limit you set in advance, then counter on terms they "
                "will refuse, so the line is visible without a flat no."
            ),
            counter_example="" if internal else counter,
            if_reasonable=f"A reasonable request still gets a trade, not a plain yes: {best}",
        )
        for limit in prep.limits
    )
    if style is None:
        style_notes: tuple[str, ...] = (profile.note_for(kind), profile.watch_in_prep[0])
    else:  # two lines: this style with this counterpart, and how the style gives ground
        data = style_plan(style, kind)
        style_notes = (data.for_you, data.pattern)
    counterpart_notes: tuple[str, ...] = ()
    if prep.counterpart_style is not None:
        reading = profile_for(prep.counterpart_style).as_counterpart
        assert reading is not None
        label = prep.counterpart_style.label
        counterpart_notes = (
            f"Signs of a {label}: " + " ".join(reading.signs),
            *reading.adapt,
            reading.avoid,
        )
    headline = f"{profile.label} · {quoted(prep.title)} with {who} · {kind.label} · {prep.date.isoformat()}"
    return PrepPlan(
        title=prep.title,
        counterpart_kind=kind,
        counterpart_name=prep.counterpart_name,
        date=prep.date,
        style=style,
        headline=headline,
        objectives=prep.objectives,
        questions=playbook.questions_for(kind),
        trades=trades,
        held_back=held_back,
        limits=guards,
        walk_away=prep.walk_away,
        todo=(
            *_todo(prep, held_back),
            *(warning.message for warning in backwards),
        ),
        checklist=playbook.checklists.prep,
        in_the_room=playbook.checklists.room,
        style_notes=style_notes,
        counterpart_notes=counterpart_notes,
        moves=tuple(playbook.with_policy(move) for move in playbook.moves_for(kind)),
        asks=plan_asks(prep.asks, prep.limits, rank_wants(prep.wants, prep.currency), kind, prep.currency),
        commitments=commitments_to_ask(
            kind,
            rank_wants(prep.wants, prep.currency),
            playbook.policy.chargeback.notice_days,
            playbook.policy.chargeback.percent,
        ),
    )
