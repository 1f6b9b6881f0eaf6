"""Concession trades put to a manager: the policy checks they see, and the decision state machine.

**Checks** each have a severity: ``block`` (should not be approved as it stands: a giveaway, or an
item that is out of bounds), ``warn`` (look closely: the balance is below the playbook ratio, the
cost is over the playbook's maximum for one concession, something is unpriced) or ``info``.

**Decisions** are a pure state machine over :class:`TradeState`::

    pending ──approve──▶ approved            countered ──accept_counter──▶ accepted
    pending ──reject───▶ rejected            countered ──counter────────▶ countered (other side)
    pending ──counter──▶ countered           countered ──reject─────────▶ rejected
    pending | countered ──withdraw▶ withdrawn, ──expire▶ expired
    pending | countered ──remind──▶ same state, one more reminder
    pending | countered ──escalate▶ same state, escalated (only while waiting on the approver, once)

A counter passes the turn to the other side (``awaiting``), so a counter of a counter works the
same way however many rounds it takes. Escalation is a sticky flag, not a state: the request is
still pending, now with the approver's fallback. Approved, rejected, accepted, withdrawn and expired
are final: every event on them raises :class:`IllegalTransition`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from coaching.constraints import first_breach, read_limits
from coaching.errors import CoachingError
from coaching.money import Money
from coaching.phrasing import format_ratio, quoted, trade_sentence
from coaching.playbook import Playbook, Policy


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"
    INFO = "info"


_SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}


class CheckKind(StrEnum):
    GIVEAWAY = "giveaway"
    OUT_OF_BOUNDS = "out_of_bounds"
    VALUE_BALANCE = "value_balance"
    OVER_MAX = "over_max"
    UNPRICED = "unpriced"
    CURRENCY = "currency"
    REASON = "reason"
    NEEDED_BY = "needed_by"


@dataclass(frozen=True, slots=True)
class TradeTerms:
    """What we give (and what it costs us) for what we get (and what it is worth to us).

    An empty ``get`` means nothing is asked in return.
    """

    give: str
    give_cost: Money | None
    get: str
    get_value: Money | None

    @property
    def sentence(self) -> str:
        """``If you agree to “X”, then we’ll agree to “Y”.``"""
        return trade_sentence(self.give, self.get.strip() or None)


@dataclass(frozen=True, slots=True)
class TradeProposal:
    """A trade put forward for approval."""

    terms: TradeTerms
    reason: str = ""
    needed_by: date | None = None


@dataclass(frozen=True, slots=True)
class TradeCheck:
    kind: CheckKind
    severity: Severity
    message: str


def check_trade(
    proposal: TradeProposal, *, limits: Sequence[str], playbook: Playbook, today: date | None = None
) -> tuple[TradeCheck, ...]:
    """Every policy check for a proposed trade, most severe first (stable within a severity).

    ``limits`` are the prep's out-of-bounds items (empty when there was no prep); ``today`` (the
    proposer's local date) enables the needed-by check.
    """
    terms = proposal.terms
    policy = playbook.policy
    checks: list[TradeCheck] = []

    def add(kind: CheckKind, severity: Severity, message: str) -> None:
        checks.append(TradeCheck(kind, severity, message))

    if not terms.get.strip():
        add(
            CheckKind.GIVEAWAY,
            Severity.BLOCK,
            "Nothing is asked in return: a giveaway invites the next request. Add what they give.",
        )
    currency = terms.give_cost.currency if terms.give_cost is not None else policy.max_concession.currency
    breach = first_breach(
        terms.give, read_limits(limits, currency), cost=terms.give_cost, default_currency=currency
    )
    if breach is not None:
        if breach.limit.constraint is None:
            message = (
                f"{quoted(terms.give)} matches the limit {quoted(breach.limit.text)} set in the prep: "
                "it is out of bounds."
            )
        else:
            found = breach.found if breach.found is not None else "it"
            message = (
                f"{quoted(terms.give)} breaks the prep's limit {breach.limit.constraint}: "
                f"{breach.qualifier + ' ' if breach.qualifier else ''}{found} is out of bounds."
            )
        add(CheckKind.OUT_OF_BOUNDS, Severity.BLOCK, message)
    cost, value = terms.give_cost, terms.get_value
    if cost is None:
        add(
            CheckKind.UNPRICED,
            Severity.WARN,
            "What we give has no cost: add one so the balance can be checked.",
        )
    if value is None and terms.get.strip():
        add(
            CheckKind.UNPRICED,
            Severity.WARN,
            "What we get has no value: add one so the balance can be checked.",
        )
    if cost is not None and value is not None:
        if cost.currency != value.currency:
            add(
                CheckKind.CURRENCY,
                Severity.WARN,
                f"The cost is in {cost.currency} and the value in {value.currency}; "
                "Parley does not convert, so judge the balance yourself.",
            )
        elif cost.is_zero():
            add(CheckKind.VALUE_BALANCE, Severity.INFO, f"Costs us nothing; we get {value}.")
        else:
            ratio = value.ratio_to(cost)
            assert ratio is not None
            standard = format_ratio(policy.balance_attention_ratio)
            if ratio < policy.balance_attention_ratio:
                add(
                    CheckKind.VALUE_BALANCE,
                    Severity.WARN,
                    f"We give {cost} and get {value} ({format_ratio(ratio)}), "
                    f"below the playbook's {standard} balance.",
                )
            else:
                add(
                    CheckKind.VALUE_BALANCE,
                    Severity.INFO,
                    f"We give {cost} and get {value} ({format_ratio(ratio)}), "
                    f"at or above the playbook's {standard} balance.",
                )
    if cost is not None:
        maximum = policy.max_concession
        if cost.currency != maximum.currency:
            add(
                CheckKind.OVER_MAX,
                Severity.INFO,
                f"The playbook's maximum for one concession is {maximum}; this cost is in {cost.currency}.",
            )
        elif cost > maximum:
            add(
                CheckKind.OVER_MAX,
                Severity.WARN,
                f"Costs {cost}, above the playbook's {maximum} maximum for one concession: "
                "counter with less, or approve it knowingly.",
            )
    if not proposal.reason.strip():
        add(CheckKind.REASON, Severity.INFO, "No reason given for the trade.")
    if proposal.needed_by is not None and today is not None and proposal.needed_by < today:
        add(
            CheckKind.NEEDED_BY,
            Severity.WARN,
            f"Needed by {proposal.needed_by.isoformat()}, which has already passed.",
        )
    return tuple(sorted(checks, key=lambda check: _SEVERITY_ORDER[check.severity]))


def worst_severity(checks: Iterable[TradeCheck]) -> Severity | None:
    """The most severe level among ``checks`` (None when there are none)."""
    levels = sorted((check.severity for check in checks), key=_SEVERITY_ORDER.__getitem__)
    return levels[0] if levels else None


# --------------------------------------------------------------------------------------------------
# The decision state machine.


class TradeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    COUNTERED = "countered"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


FINAL_STATUSES = frozenset(
    {
        TradeStatus.APPROVED,
        TradeStatus.REJECTED,
        TradeStatus.ACCEPTED,
        TradeStatus.WITHDRAWN,
        TradeStatus.EXPIRED,
    }
)


class Party(StrEnum):
    """Whose turn it is: the learner who proposed, or the manager who approves."""

    PROPOSER = "proposer"
    APPROVER = "approver"

    @property
    def other(self) -> Party:
        return Party.APPROVER if self is Party.PROPOSER else Party.PROPOSER


@dataclass(frozen=True, slots=True)
class TradeState:
    """Where a trade request stands. ``terms`` are the latest terms on the table."""

    status: TradeStatus
    terms: TradeTerms
    awaiting: Party | None = Party.APPROVER
    escalated: bool = False
    reminders: int = 0
    rounds: int = 0
    rejection_reason: str | None = None

    @classmethod
    def proposed(cls, terms: TradeTerms) -> TradeState:
        """A new request, waiting on the approver."""
        return cls(TradeStatus.PENDING, terms)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


@dataclass(frozen=True, slots=True)
class Approve:
    pass


@dataclass(frozen=True, slots=True)
class Reject:
    reason: str


@dataclass(frozen=True, slots=True)
class Counter:
    terms: TradeTerms


@dataclass(frozen=True, slots=True)
class AcceptCounter:
    pass


@dataclass(frozen=True, slots=True)
class Withdraw:
    pass


@dataclass(frozen=True, slots=True)
class Expire:
    pass


@dataclass(frozen=True, slots=True)
class Escalate:
    pass


@dataclass(frozen=True, slots=True)
class Remind:
    pass


TradeEvent = Approve | Reject | Counter | AcceptCounter | Withdraw | Expire | Escalate | Remind


def event_name(event: TradeEvent) -> str:
    """The event's name as the design spells it: ``approve``, ``reject``, ``accept_counter``…"""
    return {
        Approve: "approve",
        Reject: "reject",
        Counter: "counter",
        AcceptCounter: "accept_counter",
        Withdraw: "withdraw",
        Expire: "expire",
        Escalate: "escalate",
        Remind: "remind",
    }[type(event)]


class IllegalTransition(CoachingError):
    """The event cannot happen in this state (e.g. approving a withdrawn request)."""

    def __init__(self, state: TradeState, event: TradeEvent, why: str) -> None:
        super().__init__(f"cannot {event_name(event)} a {state.status.value} trade: {why}")
        self.state = state
        self.event = event


def transition(state: TradeState, event: TradeEvent) -> TradeState:
    """The state after ``event``; raises :class:`IllegalTransition` if it cannot happen now."""
    if state.is_final:
        raise IllegalTransition(state, event, "the decision is final")
    status = state.status
    match event:
        case Approve() if status is TradeStatus.PENDING:
            return replace(state, status=TradeStatus.APPROVED, awaiting=None)
        case Approve():
            raise IllegalTransition(state, event, "a counter is answered with accept_counter")
        case Reject(reason=reason):
            if not reason.strip():
                raise IllegalTransition(state, event, "a rejection needs a reason")
            return replace(state, status=TradeStatus.REJECTED, awaiting=None, rejection_reason=reason.strip())
        case Counter(terms=terms):
            assert state.awaiting is not None
            return replace(
                state,
                status=TradeStatus.COUNTERED,
                terms=terms,
                awaiting=state.awaiting.other,
                reminders=0,
                rounds=state.rounds + 1,
            )
        case AcceptCounter() if status is TradeStatus.COUNTERED:
            return replace(state, status=TradeStatus.ACCEPTED, awaiting=None)
        case AcceptCounter():
            raise IllegalTransition(state, event, "there is no counter to accept")
        case Withdraw():
            return replace(state, status=TradeStatus.WITHDRAWN, awaiting=None)
        case Expire():
            return replace(state, status=TradeStatus.EXPIRED, awaiting=None)
        case Escalate():
            if state.escalated:
                raise IllegalTransition(state, event, "it has already been escalated")
            if state.awaiting is not Party.APPROVER:
                raise IllegalTransition(state, event, "it is waiting on the proposer, not the approver")
            return replace(state, escalated=True)
        case Remind():
            return replace(state, reminders=state.reminders + 1)
    raise IllegalTransition(state, event, "unknown event")  # pragma: no cover


def next_timed_event(
    state: TradeState, *, waiting_since: datetime, now: datetime, policy: Policy
) -> Expire | Escalate | Remind | None:
    """What the clock should do to a waiting request, given when its current turn began.

    Expire after ``approval_expiry_hours``; escalate (once, while waiting on the approver) after
    ``approval_escalation_hours``; otherwise remind every ``approval_reminder_hours`` (the n-th
    reminder is due n × that many hours into the turn). Final states get None.
    """
    if state.is_final:
        return None
    elapsed = now - waiting_since
    if elapsed >= timedelta(hours=policy.approval_expiry_hours):
        return Expire()
    if (
        state.awaiting is Party.APPROVER
        and not state.escalated
        and elapsed >= timedelta(hours=policy.approval_escalation_hours)
    ):
        return Escalate()
    if elapsed >= timedelta(hours=policy.approval_reminder_hours * (state.reminders + 1)):
        return Remind()
    return None
