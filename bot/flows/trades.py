"""The concession-trade approval loop (DESIGN §5 flow 4): propose, decide, counter, withdraw, wait.

A learner proposes "if they give X (worth a), we give Y (costs b)". The coaching engine's policy
checks run first: a giveaway is refused in the modal; everything else (imbalance, out-of-bounds,
over the playbook's maximum) is shown to both sides. The approver — the learner's manager, else the
workspace's fallback approver — gets the request in a DM and approves, rejects (with a reason) or
counters; a counter goes back to the proposer, who accepts it, counters again or withdraws.

The state machine is :mod:`coaching.trades`; its state lives in the ``trade_proposals`` row
(``status``, ``rounds``, ``reminders``, ``turn_started_at``, ``escalated_*``). Every change is one
conditional UPDATE naming the status and round it expects (``storage.queries.trades.change_trade``),
so the first decision wins and a second click, a second approver or a retried request is told it was
already decided. Reading and authorising happen in one unit of work, the change in the next, with the
UPDATE as its first statement.

The clock's side (reminders, escalation, expiry) is the ``trade_timers`` job in
``bot.flows.trades_timers``: :func:`due_event` says what is owed, the job moves the state and enqueues
the messages in one unit of work, and they are rendered at delivery. Use-case functions return plain
data; ``announce_*`` render the templates and make the Slack calls through :mod:`bot.messaging`.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction
from typing import Final

from sqlalchemy.orm import Session

from bot.flows.team import WhoCanSet, approver_for, who_can_set
from bot.flows.trades_modal import block_errors
from bot.flows.trades_records import (
    PENDING,
    _check_json,
    _currency,
    _negotiation_label,
    _prep_limits,
    _record_checks,
    _term_columns,
    _workspace_and_member,
    terms_of,
    users_of,
    zone,
)
from bot.members import Actor
from bot.playbook import playbook_of
from bot.services import Services
from coaching.phrasing import format_ratio
from coaching.playbook import Playbook
from coaching.trade_form import TermsForm
from coaching.trade_form import read_terms as coaching_read_terms
from coaching.trades import TradeProposal as Ask
from coaching.trades import (
    TradeTerms,
    check_trade,
)
from storage.models import Negotiation, TradeProposal
from storage.queries import audit
from storage.queries.idempotency import claim
from storage.queries.negotiations import find_negotiation, find_prep, open_negotiations
from storage.queries.trades import (
    add_trade,
    open_requested_by,
    waiting_on_approver,
)
from templates.ids.trades import TradeBlock

logger = logging.getLogger(__name__)


class Move(StrEnum):
    """What a member asks for by clicking or submitting."""

    APPROVE = "approve"  # approver: approve a request, or accept the proposer's counter
    REJECT = "reject"
    COUNTER = "counter"  # whoever's turn it is
    ACCEPT = "accept"  # proposer: accept the approver's counter
    WITHDRAW = "withdraw"  # proposer, while open


@dataclass(frozen=True)
class TradeRef:
    """Button value / private_metadata: the trade and the round the clicked message showed."""

    trade_id: int
    round: int


# --------------------------------------------------------------------------------------------------
# Reading the terms typed in a modal.


@dataclass(frozen=True)
class Invalid:
    """Field errors keyed by input block id; nothing was changed."""

    errors: dict[str, str]


def read_terms(
    form: TermsForm, *, default_currency: str, style: str | None, playbook: Playbook
) -> tuple[TradeTerms | None, dict[str, str]]:
    """The terms, or an error per field keyed by its block id (read in :mod:`coaching.trade_form`)."""
    terms, errors = coaching_read_terms(
        form, default_currency=default_currency, style=style, playbook=playbook
    )
    return terms, block_errors(errors)


# --------------------------------------------------------------------------------------------------
# Proposing.


@dataclass(frozen=True)
class NegotiationChoice:
    id: int
    label: str


@dataclass(frozen=True)
class ProposeModal:
    """What the propose modal shows."""

    approver_user_id: str
    negotiations: list[NegotiationChoice]
    selected: int | None
    currency: str
    suggestions: tuple[TermsForm, ...] = ()
    """The chosen negotiation's prep plan trades (best first), as terms the modal can be filled with."""
    terms: TermsForm | None = None
    """Terms to pre-fill (one of ``suggestions``, once picked)."""


@dataclass(frozen=True)
class ProposalForm:
    terms: TermsForm
    negotiation_id: int | None = None
    needed_by: date | None = None


@dataclass(frozen=True)
class Proposed:
    workspace_id: int
    trade_id: int


@dataclass(frozen=True)
class Duplicate:
    """The same submission arrived again (a double click, a redelivery): it was already handled."""


def proposal_modal(
    services: Services, actor: Actor, *, negotiation_id: int | None = None, title_hint: str = ""
) -> ProposeModal | WhoCanSet:
    """The propose modal for ``actor``, or who can set them an approver when they have none."""
    playbook = playbook_of(services, actor.workspace_id)
    with services.db.session() as session:
        workspace, me = _workspace_and_member(session, actor)
        approver = approver_for(session, workspace, me)
        if approver is None:
            return who_can_set(session, workspace, me)
        negotiations = open_negotiations(session, workspace.id, me.id)
        selected: int | None = None
        if negotiation_id is not None:
            chosen = find_negotiation(session, workspace.id, negotiation_id)
            if chosen is not None and chosen.owner_id == me.id:
                selected = chosen.id
                if all(n.id != chosen.id for n in negotiations):
                    negotiations.insert(0, chosen)
        elif title_hint.strip():
            hint = title_hint.strip().casefold()
            selected = next((n.id for n in negotiations if hint in n.title.casefold()), None)
        suggestions = _plan_trades(session, workspace.id, selected, playbook) if selected else ()
        return ProposeModal(
            approver_user_id=approver.slack_user_id,
            negotiations=[NegotiationChoice(n.id, _negotiation_label(n)) for n in negotiations],
            selected=selected,
            currency=playbook.policy.default_currency,
            suggestions=suggestions,
        )


MAX_SUGGESTIONS: Final = 10


def _plan_trades(
    session: Session, workspace_id: int, negotiation_id: int, playbook: Playbook
) -> tuple[TermsForm, ...]:
    """The negotiation's prep plan trades as terms ("if they give X, we give Y"), best first."""
    from bot.flows.prep import stored_prep_input, style_of  # prep's modal code imports this module
    from coaching.prep import build_prep_plan

    negotiation = find_negotiation(session, workspace_id, negotiation_id)
    prep_row = find_prep(session, workspace_id, negotiation_id) if negotiation is not None else None
    prep = stored_prep_input(negotiation, prep_row) if negotiation is not None else None
    if prep is None or prep_row is None:
        return ()
    plan = build_prep_plan(prep, style_of(prep_row.style), playbook)
    forms = []
    for trade in plan.trades[:MAX_SUGGESTIONS]:
        if trade.ask is None:
            continue  # a trade needs something back: one without an ask is not offered as terms
        cost, value = trade.give.cost_to_us, trade.ask.value_to_us
        forms.append(
            TermsForm(
                give=trade.give.item,
                give_cost=str(cost) if cost is not None else "",
                get=trade.ask.item,
                get_value=str(value) if value is not None else "",
                reason="",
            )
        )
    return tuple(forms)


LOW_VALUE_RATIO: Final = Fraction(3, 4)
"""Below this (worth well under what it costs us, e.g. 0.4×), the proposer is warned before the
request is sent; the policy checks the approver sees still flag any balance under the playbook's."""


def _low_value_warning(terms: TradeTerms) -> str:
    """The warning for a trade worth well under what it costs us ("" when the balance is fine)."""
    value, cost = terms.get_value, terms.give_cost
    if value is None or cost is None or value.currency != cost.currency or cost.is_zero():
        return ""
    ratio = value.ratio_to(cost)
    if ratio is None or ratio >= LOW_VALUE_RATIO:
        return ""
    return (
        f"Worth {format_ratio(ratio)} what it costs us ({value} for {cost}): we would give more than we get. "
        "Change the terms, or submit again to send it to the approver as it is."
    )


def _digest(terms: TradeTerms) -> str:
    parts = (terms.get, str(terms.get_value), terms.give, str(terms.give_cost))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def submit_proposal(
    services: Services, actor: Actor, form: ProposalForm, submission_key: str
) -> Proposed | Invalid | WhoCanSet | Duplicate:
    """Check and record a proposal (one unit of work); nothing is stored unless it can be sent."""
    now = services.clock()
    playbook = playbook_of(services, actor.workspace_id)
    with services.db.session() as session:
        workspace, me = _workspace_and_member(session, actor)
        errors: dict[str, str] = {}
        negotiation: Negotiation | None = None
        if form.negotiation_id is not None:
            negotiation = find_negotiation(session, workspace.id, form.negotiation_id)
            if negotiation is None or negotiation.owner_id != me.id:
                errors[TradeBlock.NEGOTIATION] = "Pick one of your own negotiations."
                negotiation = None
        currency = _currency(negotiation, playbook)
        terms, term_errors = read_terms(
            form.terms, default_currency=currency, style=me.style, playbook=playbook
        )
        errors.update(term_errors)
        today = now.astimezone(zone(me.tz)).date()
        if form.needed_by is not None and form.needed_by < today:
            errors[TradeBlock.NEEDED_BY] = "That date has passed: pick today or later, or leave it empty."
        if errors or terms is None:
            return Invalid(errors)
        approver = approver_for(session, workspace, me)
        if approver is None:
            return who_can_set(session, workspace, me)
        low = _low_value_warning(terms)
        if low and claim(session, workspace.id, f"trade-warned:{submission_key}:{_digest(terms)}"):
            # First submission of these terms: warn the proposer under the value, before the approver
            # sees it; the same terms submitted again are sent as they are (the key above is kept).
            return Invalid({TradeBlock.GET_VALUE: low})
        if not claim(session, workspace.id, submission_key):
            return Duplicate()
        reason = form.terms.reason.strip()
        checks = check_trade(
            Ask(terms, reason, form.needed_by),
            limits=_prep_limits(session, workspace.id, negotiation),
            playbook=playbook,
            today=today,
        )
        trade = add_trade(
            session,
            workspace_id=workspace.id,
            negotiation_id=negotiation.id if negotiation else None,
            requester_id=me.id,
            approver_id=approver.id,
            reason=reason,
            needed_by=form.needed_by,
            status=PENDING,
            rounds=0,
            reminders=0,
            turn_started_at=now,
            **_term_columns(terms, currency),
            checks=[_check_json(check) for check in checks],
        )
        audit.record(
            session,
            workspace.id,
            "trade.proposed",
            "trade",
            trade.id,
            now,
            actor_id=me.id,
            terms=terms.sentence,
            approver=approver.slack_user_id,
            negotiation_id=trade.negotiation_id,
            needed_by=form.needed_by.isoformat() if form.needed_by else None,
        )
        _record_checks(session, trade, checks, now, me.id)
        return Proposed(workspace.id, trade.id)


# --------------------------------------------------------------------------------------------------
# Deciding (both sides), with authorisation and exactly-once.


# --------------------------------------------------------------------------------------------------
# The state in the row.


# --------------------------------------------------------------------------------------------------
# The clock: reminders, escalation, expiry (rows for the scheduler to deliver).


# --------------------------------------------------------------------------------------------------
# Lists: /negotiate trade and the App Home.


@dataclass(frozen=True)
class TradeLine:
    trade_id: int
    sentence: str
    status: str
    other_user_id: str  # the approver (own requests) or the proposer (waiting on me)
    since: datetime | None
    needed_by: date | None


@dataclass(frozen=True)
class TradeOverview:
    mine: list[TradeLine] = field(default_factory=list)
    waiting: list[TradeLine] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.mine and not self.waiting


def trade_overview(services: Services, actor: Actor, limit: int = 20) -> TradeOverview:
    """The member's open requests, and the requests waiting on their decision."""
    with services.db.session() as session:
        mine, waiting = [], []
        for trade in open_requested_by(session, actor.workspace_id, actor.member_id, limit):
            users = users_of(session, trade)
            other = users.approver if trade.status == PENDING else users.proposer
            mine.append(_line(trade, other))
        for trade in waiting_on_approver(
            session, actor.workspace_id, actor.member_id, actor.slack_user_id, limit
        ):
            waiting.append(_line(trade, users_of(session, trade).proposer))
        return TradeOverview(mine, waiting)


def _line(trade: TradeProposal, other: str) -> TradeLine:
    return TradeLine(
        trade.id, terms_of(trade).sentence, trade.status, other, trade.turn_started_at, trade.needed_by
    )


# --------------------------------------------------------------------------------------------------
# Messages (template contexts are plain data built here; the templates own the wording).


# --------------------------------------------------------------------------------------------------
# Small helpers.
