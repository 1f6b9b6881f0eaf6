"""After the negotiation: validating the debrief modal and analysing the concession ledger.

Definitions (exact integer arithmetic; amounts in different currencies are reported side by side,
never added together or compared):

* **conceded** / **received**: the sum of the known costs of what we conceded and of the known
  values of what came back, per currency.
* **balance** per currency: ``received − conceded`` (the difference) and ``received / conceded``
  (the ratio; none when nothing priced was conceded). It needs attention when the ratio is below
  the playbook's ``balance_attention_ratio``.
* **giveaway**: a concession with nothing in return.
* **money left behind**: for every concession whose cost is known, its whole cost if it was a
  giveaway, otherwise the shortfall ``cost − value received`` when what came back was worth less
  (and priced in the same currency). Concessions that cannot be judged (no cost, or a return with
  no value or in another currency) are listed as ``unassessed`` and count as nothing.
* **limit breached**: a conceded item that breaks one of the prep's limits: by number when the
  limit reads as a constraint (``9 % off`` against ``discount ≤ 7 %``, see
  :mod:`coaching.constraints`), else by wording (see :mod:`coaching.matching`).
* **limits held** / **limits unchecked**: a numeric limit that no concession broke and every
  related concession had a number for *held*; a worded limit, or a numeric one that a concession
  touched without a number, is *unchecked*: Parley never says a limit held when it could not check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from coaching.constraints import Verdict, check_item, read_limits
from coaching.items import Commitment, Concession, LedgerItem, Side
from coaching.money import Money, MoneyTotals
from coaching.parsing import parse_commitment_lines, parse_concession_lines, parse_ledger_item_lines
from coaching.phrasing import format_ratio, plural, quoted
from coaching.playbook import Playbook
from coaching.prep import MAX_TEXT_LENGTH, PrepInput, rank_wants, read_lines
from coaching.rewrites import giveaway_rewrite
from coaching.styles import DebriefMoment, Style, profile_for

MAX_REFLECTION_LENGTH: Final = MAX_TEXT_LENGTH


class Outcome(StrEnum):
    """How the negotiation ended."""

    AGREED = "agreed"
    NO_DEAL = "no_deal"
    PAUSED = "paused"

    @property
    def label(self) -> str:
        return {"agreed": "Agreed", "no_deal": "No deal", "paused": "Paused"}[self.value]


class DebriefField(StrEnum):
    """The debrief modal's fields; validation errors are keyed by these."""

    OUTCOME = "outcome"
    OFFERED = "offered"
    CONCEDED = "conceded"
    HELD = "held"
    COMMITMENTS = "commitments"
    REFLECTION = "reflection"


@dataclass(frozen=True, slots=True)
class DebriefForm:
    """The debrief modal's values exactly as submitted (multi-line text, one item per line)."""

    outcome: str = ""
    offered: str = ""
    conceded: str = ""
    held: str = ""
    commitments: str = ""
    reflection: str = ""


@dataclass(frozen=True, slots=True)
class DebriefInput:
    """A validated debrief: the outcome and the concession ledger."""

    outcome: Outcome
    offered: tuple[LedgerItem, ...] = ()
    conceded: tuple[Concession, ...] = ()
    held: tuple[LedgerItem, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    reflection: str = ""


@dataclass(frozen=True, slots=True)
class DebriefValidation:
    """Either a :class:`DebriefInput` or the errors to show, keyed by field."""

    debrief: DebriefInput | None
    errors: Mapping[DebriefField, str]

    @property
    def ok(self) -> bool:
        return self.debrief is not None


def validate_debrief(form: DebriefForm, *, default_currency: str) -> DebriefValidation:
    """Check a submitted debrief modal: an outcome is required; every unreadable line is reported."""
    errors: dict[DebriefField, str] = {}
    outcome: Outcome | None = None
    try:
        outcome = Outcome(form.outcome.strip())
    except ValueError:
        errors[DebriefField.OUTCOME] = "Choose how it ended: agreed, no deal or paused."
    offered = read_lines(
        errors,
        DebriefField.OFFERED,
        form.offered,
        lambda text: parse_ledger_item_lines(text, default_currency),
    )
    conceded = read_lines(
        errors,
        DebriefField.CONCEDED,
        form.conceded,
        lambda text: parse_concession_lines(text, default_currency),
    )
    held = read_lines(
        errors, DebriefField.HELD, form.held, lambda text: parse_ledger_item_lines(text, default_currency)
    )
    commitments = read_lines(errors, DebriefField.COMMITMENTS, form.commitments, parse_commitment_lines)
    reflection = form.reflection.strip()
    if len(reflection) > MAX_REFLECTION_LENGTH:
        errors[DebriefField.REFLECTION] = (
            f"Keep this under {MAX_REFLECTION_LENGTH:,} characters (it has {len(reflection):,})."
        )
    if errors or outcome is None:
        return DebriefValidation(None, MappingProxyType(errors))
    return DebriefValidation(
        DebriefInput(outcome, offered, conceded, held, commitments, reflection), MappingProxyType({})
    )


@dataclass(frozen=True, slots=True)
class CurrencyBalance:
    """Give/get in one currency. ``difference`` = received − conceded; ``ratio`` = received / conceded."""

    currency: str
    conceded: Money
    received: Money
    difference: Money
    ratio: Fraction | None
    needs_attention: bool


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A trade where what came back was worth less than what it cost us."""

    concession: Concession
    amount: Money


@dataclass(frozen=True, slots=True)
class LimitBreach:
    """A concession that breaks one of the prep's limits; ``detail`` says how, by number if it can."""

    concession: Concession
    limit: str
    detail: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class LimitStatus:
    """A prep limit the debrief did not find breached: ``held`` only when it was checked by number."""

    limit: str
    held: bool
    why: str


@dataclass(frozen=True, slots=True)
class DebriefAnalysis:
    """What the debrief shows, in numbers and in one question and one lesson for the style."""

    outcome: Outcome
    style: Style | None
    conceded: MoneyTotals
    received: MoneyTotals
    balances: tuple[CurrencyBalance, ...]
    giveaways: tuple[Concession, ...]
    giveaway_total: MoneyTotals
    shortfalls: tuple[Shortfall, ...]
    money_left_behind: MoneyTotals
    unassessed: tuple[Concession, ...]
    limits_breached: tuple[LimitBreach, ...]
    offered: tuple[LedgerItem, ...]
    held: tuple[LedgerItem, ...]
    our_commitments: tuple[Commitment, ...]
    their_commitments: tuple[Commitment, ...]
    named_commitments: tuple[Commitment, ...]
    moment: DebriefMoment
    reflection_question: str
    lesson: str
    summary: str
    limits_held: tuple[LimitStatus, ...] = ()
    limits_unchecked: tuple[LimitStatus, ...] = ()
    giveaway_note: str = ""
    """The costliest giveaway named, and the conditional sentence that would have traded it."""

    @property
    def needs_attention(self) -> bool:
        """Anything a manager should look at: a breach, a giveaway, money left or a weak balance."""
        return bool(
            self.limits_breached
            or self.giveaways
            or not self.money_left_behind.is_zero()
            or any(balance.needs_attention for balance in self.balances)
        )


def balance_by_currency(
    conceded: MoneyTotals, received: MoneyTotals, attention_ratio: Fraction
) -> tuple[CurrencyBalance, ...]:
    """One :class:`CurrencyBalance` per currency seen on either side, sorted by code."""
    balances = []
    for currency in sorted(set(conceded.currencies) | set(received.currencies)):
        given, got = conceded.get(currency), received.get(currency)
        ratio = got.ratio_to(given)
        balances.append(
            CurrencyBalance(
                currency=currency,
                conceded=given,
                received=got,
                difference=got - given,
                ratio=ratio,
                needs_attention=ratio is not None and ratio < attention_ratio,
            )
        )
    return tuple(balances)


def _moment(
    breaches: tuple[LimitBreach, ...], left_behind: MoneyTotals, giveaways: int, outcome: Outcome
) -> DebriefMoment:
    if breaches:
        return DebriefMoment.LIMIT_BREACHED
    if giveaways or not left_behind.is_zero():
        return DebriefMoment.GIVEAWAY
    if outcome is not Outcome.AGREED:
        return DebriefMoment.NO_AGREEMENT
    return DebriefMoment.BALANCED


def _summary(
    outcome: Outcome,
    balances: tuple[CurrencyBalance, ...],
    giveaways: tuple[Concession, ...],
    giveaway_total: MoneyTotals,
    left_behind: MoneyTotals,
    breaches: tuple[LimitBreach, ...],
) -> str:
    parts = [f"{outcome.label}."]
    for balance in balances:
        ratio = f" ({format_ratio(balance.ratio)})" if balance.ratio is not None else ""
        parts.append(f"Conceded {balance.conceded}, received {balance.received}{ratio}.")
    if giveaways:
        worth = f" worth {giveaway_total}" if not giveaway_total.is_empty() else ""
        parts.append(f"{plural(len(giveaways), 'giveaway')}{worth}.")
    if not left_behind.is_zero():
        parts.append(f"Money left behind: {left_behind}.")
    if breaches:
        parts.append(f"{plural(len(breaches), 'limit')} breached.")
    return " ".join(parts)


def analyse_debrief(
    debrief: DebriefInput, prep: PrepInput | None, style: Style | None, playbook: Playbook
) -> DebriefAnalysis:
    """Analyse a debrief against its prep (if there was one) for a learner of ``style``."""
    concessions = debrief.conceded
    conceded = MoneyTotals.of(c.cost for c in concessions)
    received = MoneyTotals.of(c.received_value for c in concessions if not c.is_giveaway)
    giveaways = tuple(c for c in concessions if c.is_giveaway)
    giveaway_total = MoneyTotals.of(c.cost for c in giveaways)
    shortfalls: list[Shortfall] = []
    unassessed: list[Concession] = []
    left: list[Money] = []
    for concession in concessions:
        amount = concession.left_behind()
        if amount is None:
            unassessed.append(concession)
            continue
        left.append(amount)
        if not concession.is_giveaway and not amount.is_zero():
            shortfalls.append(Shortfall(concession, amount))
    currency = prep.currency if prep is not None else playbook.policy.max_concession.currency
    breaches, held_limits, unchecked_limits = check_limits(
        concessions, prep.limits if prep is not None else (), currency
    )
    balances = balance_by_currency(conceded, received, playbook.policy.balance_attention_ratio)
    left_behind = MoneyTotals.of(left)
    moment = _moment(breaches, left_behind, len(giveaways), debrief.outcome)
    profile = profile_for(style)
    return DebriefAnalysis(
        outcome=debrief.outcome,
        style=style,
        conceded=conceded,
        received=received,
        balances=balances,
        giveaways=giveaways,
        giveaway_total=giveaway_total,
        shortfalls=tuple(shortfalls),
        money_left_behind=left_behind,
        unassessed=tuple(unassessed),
        limits_breached=breaches,
        offered=debrief.offered,
        held=debrief.held,
        our_commitments=tuple(c for c in debrief.commitments if c.side is Side.OURS),
        their_commitments=tuple(c for c in debrief.commitments if c.side is Side.THEIRS),
        named_commitments=tuple(c for c in debrief.commitments if c.side is None),
        moment=moment,
        reflection_question=profile.reflection[moment],
        lesson=profile.lesson[moment],
        giveaway_note=giveaway_rewrite(
            giveaways, rank_wants(prep.wants, prep.currency) if prep else (), style
        ),
        summary=_summary(debrief.outcome, balances, giveaways, giveaway_total, left_behind, breaches)
        + (
            f" {plural(len(unassessed), 'concession')} not valued, so these totals are incomplete."
            if unassessed
            else ""
        ),
        limits_held=held_limits,
        limits_unchecked=unchecked_limits,
    )


def check_limits(
    concessions: tuple[Concession, ...], limits: tuple[str, ...], currency: str
) -> tuple[tuple[LimitBreach, ...], tuple[LimitStatus, ...], tuple[LimitStatus, ...]]:
    """Every breach (one per concession: the first limit it breaks), then the limits that held by
    number and the limits that could not be checked (see the module docstring)."""
    readable = read_limits(limits, currency)
    breaches: list[LimitBreach] = []
    breached: set[int] = set()
    no_number: dict[int, list[str]] = {}
    for concession in concessions:
        found = False
        for index, limit in enumerate(readable):
            check = check_item(concession.item, limit, cost=concession.cost, default_currency=currency)
            if check.verdict is Verdict.BREAKS and not found:
                breaches.append(LimitBreach(concession, limit.text, check.explain(concession.item)))
                breached.add(index)
                found = True
            elif check.verdict is Verdict.NO_NUMBER:
                no_number.setdefault(index, []).append(concession.item)
    held: list[LimitStatus] = []
    unchecked: list[LimitStatus] = []
    for index, limit in enumerate(readable):
        if index in breached:
            continue
        if limit.constraint is None:
            unchecked.append(
                LimitStatus(
                    limit.text,
                    False,
                    "a worded limit: nothing you logged matched its wording, "
                    "but Parley cannot check it by number",
                )
            )
        elif index in no_number:
            items = ", ".join(quoted(item) for item in no_number[index])
            unchecked.append(
                LimitStatus(limit.text, False, f"{items} touched {limit.constraint} with no number to check")
            )
        else:
            held.append(
                LimitStatus(
                    limit.text, True, f"{limit.constraint}: checked against every concession you logged"
                )
            )
    return tuple(breaches), tuple(held), tuple(unchecked)


def describe_concession(concession: Concession) -> str:
    """One line for a ledger entry: ``“Extra day” (2,000 USD) for “24-month term” (10,000 USD)``."""
    cost = f" ({concession.cost})" if concession.cost is not None else ""
    if concession.is_giveaway:
        return f"{quoted(concession.item)}{cost} for nothing"
    value = f" ({concession.received_value})" if concession.received_value is not None else ""
    assert concession.received is not None
    return f"{quoted(concession.item)}{cost} for {quoted(concession.received)}{value}"
