"""Their asks: what the other side will ask for, and which branch of the method each one takes.

The method (Scotwork, and the seed article's course-length example) has two branches:

* an ask that **breaks one of your limits** gets a *counter they will refuse*, written for that
  limit and that number ("12 % off works only on a 36-month term, paid up front…"), from the
  templates in ``coaching/data/asks.toml`` (per counterpart kind × kind of limit);
* an ask **within your limits** still gets a *trade*, never a plain yes: "If you [our want], then we
  can [their ask]", pairing the asks with our wants, the most valuable want first.

Learners never get a counter to refuse: their request is usually a fixed commitment (an appointment,
a deadline), so the plan asks first (can it move? what else works?) and trades after. Management
gets a question before either branch, because the real need behind an executive's ask is often
something else. An ask with no number next to a numeric limit is flagged: pin their number first.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any, Final

from coaching.constraints import Limit, LimitCheck, Verdict, check_item, read_limits
from coaching.counterparts import CounterpartKind
from coaching.items import Want
from coaching.quantities import Kind, Term, read_term


class Branch(StrEnum):
    COUNTER = "counter"
    """It breaks a limit: a counter they will refuse, built from that limit and their number."""
    EXPLORE = "explore"
    """It breaks a limit, but the counterpart is a learner: ask first, trade after."""
    TRADE = "trade"
    """Within your limits: trade it for one of your wants."""


@dataclass(frozen=True, slots=True)
class AskPlan:
    """One of their asks and what to do with it.

    ``script`` is the line to say; ``first`` a question to ask before it (empty when none);
    ``note`` anything to settle before the meeting (pin their number, add a want).
    """

    ask: str
    branch: Branch
    script: str
    first: str = ""
    limit: str = ""
    constraint: str = ""
    their_number: str = ""
    want: Want | None = None
    note: str = ""


def _load() -> dict[str, Any]:
    text = resources.files("coaching").joinpath("data", "asks.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


_DATA: Final = _load()
_LIMIT_KINDS: Final = {
    Kind.PERCENT: "percent",
    Kind.MONEY: "money",
    Kind.DURATION: "duration",
    Kind.COUNT: "count",
}


def direction_list(kind: CounterpartKind) -> tuple[str, ...]:
    """What this kind of counterpart usually gives (so it belongs under our wants, not our gives)."""
    listed = _DATA.get("direction", {}).get(kind.value, [])
    return tuple(str(item) for item in listed)


def counter_template(kind: CounterpartKind, limit_kind: str) -> str:
    """The counter template for this counterpart kind and kind of limit (``other`` as fallback)."""
    counters = _DATA["counter"]
    book = counters.get(kind.value) or counters["other"]
    return book.get(limit_kind) or counters["other"][limit_kind]


def parse_ask_lines(text: str, default_currency: str) -> tuple[Term, ...]:
    """Every ask, one per line, with its quantities (no line can fail: an ask is free text)."""
    from coaching.parsing import parse_text_lines

    return tuple(read_term(line, default_currency) for line in parse_text_lines(text))


def trade_line(want: Want, ask: str) -> str:
    """``If you agree to a 24-month term, then we can look at “12 % off”.``"""
    return f"If you agree to “{want.item}”, then we can agree to “{ask}”."


def _fill(template: str, *, ask: str, check: LimitCheck, want: Want | None) -> str:
    constraint = check.limit.constraint
    their = str(check.found) if check.found is not None else f"“{ask}”"
    bound = constraint.bound_text if constraint is not None else check.limit.text
    values = {
        "ask": f"“{ask}”",
        "their": their,
        "bound": bound,
        "limit": str(constraint) if constraint is not None else f"“{check.limit.text}”",
        "want": f"“{want.item}”" if want is not None else "",
    }
    text = template.format(**values)
    return text[0].upper() + text[1:]


def plan_asks(
    asks: tuple[Term, ...],
    limits: tuple[str, ...],
    wants: tuple[Want, ...],
    kind: CounterpartKind,
    currency: str,
) -> tuple[AskPlan, ...]:
    """Each ask's branch and script: counters (in typed order) first, then trades, best want first.

    ``wants`` must already be ranked most valuable first (:func:`coaching.prep.rank_wants`).
    """
    readable: tuple[Limit, ...] = read_limits(limits, currency)
    counters: list[AskPlan] = []
    trades: list[tuple[str, str, str]] = []  # (ask, first, note)
    typed: set[str] = set()
    for term in asks:
        ask = term.text
        if ask.casefold() in typed:  # the same ask typed twice is one ask
            continue
        typed.add(ask.casefold())
        breach: LimitCheck | None = None
        unpinned: LimitCheck | None = None
        for limit in readable:
            check = check_item(ask, limit, default_currency=currency)
            if check.verdict is Verdict.BREAKS:
                breach = check
                break
            if check.verdict is Verdict.NO_NUMBER and unpinned is None:
                unpinned = check
        first = ""
        if kind is CounterpartKind.MANAGEMENT:
            first = _DATA["explore"]["management"]["first"].format(ask=f"“{ask}”")
        if breach is not None and kind is not CounterpartKind.LEARNER:
            constraint = breach.limit.constraint
            limit_kind = "worded" if constraint is None or constraint.bound is None else ""
            if not limit_kind and constraint is not None and constraint.bound is not None:
                limit_kind = _LIMIT_KINDS.get(constraint.bound.kind, "worded")
            script = _fill(counter_template(kind, limit_kind), ask=ask, check=breach, want=None)
            counters.append(
                AskPlan(
                    ask=ask,
                    branch=Branch.COUNTER,
                    script=script,
                    first=first,
                    limit=breach.limit.text,
                    constraint=str(constraint) if constraint is not None else "",
                    their_number=str(breach.found) if breach.found is not None else "",
                )
            )
            continue
        note = ""
        if breach is not None:  # a learner: ask first, trade after
            first = _DATA["explore"]["learner"]["first"]
            note = f"It goes past your limit “{breach.limit.text}”: only trade it if it truly can't move."
        elif unpinned is not None and unpinned.limit.constraint is not None:
            note = (
                f"Pin their number first: it touches your limit {unpinned.limit.constraint}, "
                "and without a number you can't tell which branch applies."
            )
        trades.append((ask, first, note))
    planned: list[AskPlan] = list(counters)
    for index, (ask, first, note) in enumerate(trades):
        want = wants[index % len(wants)] if wants else None
        explore = first == _DATA["explore"]["learner"]["first"]
        if want is None:
            script = (
                _DATA["explore"]["learner"]["no_want"]
                if explore
                else "Decide what you want in return before you agree to this: add it to your wants."
            )
        elif explore:
            script = _DATA["explore"]["learner"]["then"].format(trade=trade_line(want, ask))
        else:
            script = trade_line(want, ask)
        branch = Branch.EXPLORE if explore else Branch.TRADE
        planned.append(AskPlan(ask=ask, branch=branch, script=script, first=first, want=want, note=note))
    return tuple(planned)
