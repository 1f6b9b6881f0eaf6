"""`/negotiate debrief` and *Log the debrief*: validate, store the ledger atomically, analyse.

One unit of work per submission writes the debrief (with its analysis), every ledger line, the
commitments both sides made, the negotiation's new status and an audit record, claimed by the
submission's key; a negotiation gets one debrief (the unique key), which is said plainly.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.flows.debrief_cards import refresh_negotiation
from bot.flows.prep import (
    PlanMessage,
    Repeated,
    StorageUnavailable,
    claim_last,
    ensure_not_debriefed,
    local_today,
    negotiation_currency,
    owned_negotiation,
    stored_prep_input,
    style_of,
)
from bot.members import Actor
from bot.playbook import playbook_in_force
from bot.services import Services
from coaching.counterparts import CounterpartKind
from coaching.dates import day_words
from coaching.debrief import (
    DebriefAnalysis,
    DebriefField,
    DebriefForm,
    DebriefInput,
    Outcome,
    analyse_debrief,
    validate_debrief,
)
from coaching.items import Side
from coaching.money import Money, MoneyTotals
from coaching.prep import MAX_TITLE_LENGTH, PrepPlan, build_prep_plan
from storage.models import Negotiation, TradeProposal
from storage.queries import audit
from storage.queries.counterparts import tally_debrief, untally
from storage.queries.debriefs import add_commitment, add_ledger_entry, create_debrief
from storage.queries.idempotency import claimed_result
from storage.queries.negotiations import create_negotiation, find_prep, open_negotiations

logger = logging.getLogger(__name__)

ANALYSIS_VERSION = 1
STATUS_FOR: Mapping[Outcome, str] = MappingProxyType(
    {Outcome.AGREED: "agreed", Outcome.NO_DEAL: "no_deal", Outcome.PAUSED: "paused"}
)
UNPREPPED = "new"


class TargetField(StrEnum):
    """The debrief modal's fields that pick the negotiation (errors are keyed by these too)."""

    NEGOTIATION = "negotiation"
    TITLE = "title"
    COUNTERPART_KIND = "counterpart_kind"


DebriefErrorKey = DebriefField | TargetField


@dataclass(frozen=True)
class Choice:
    """An open negotiation the member can debrief."""

    negotiation_id: int
    title: str
    when: date | None


@dataclass(frozen=True)
class Target:
    """The negotiation a *Log the debrief* button opens the modal for."""

    negotiation_id: int
    title: str
    kind_label: str
    when: date | None
    currency: str
    approved_trades: tuple[str, ...] = ()
    """The negotiation's approved (or accepted) trades as debrief lines ("give – cost -> get worth
    value"), pre-filled under *What you conceded* for the member to check."""


@dataclass(frozen=True)
class DebriefRequest:
    """What the modal submitted. ``negotiation_id`` comes from a button's modal (checked again);
    ``choice`` is the select's value (a negotiation id or ``"new"``; ``None`` when the modal had no
    select, i.e. the member had nothing open)."""

    form: DebriefForm
    negotiation_id: int | None = None
    choice: str | None = None
    title: str = ""
    counterpart_kind: str = ""


@dataclass(frozen=True)
class SavedDebrief:
    negotiation_id: int
    debrief_id: int
    title: str
    analysis: DebriefAnalysis
    had_prep: bool
    commitments_recorded: int
    plan: tuple[PrepPlan, PlanMessage] | None  # the prep plan message to mark as debriefed


@dataclass(frozen=True)
class DebriefResult:
    errors: Mapping[DebriefErrorKey, str] = field(default_factory=dict)
    saved: SavedDebrief | None = None
    duplicate: bool = False


# ------------------------------------------------------------------------------------------ opening


def debrief_choices(services: Services, actor: Actor) -> list[Choice]:
    """The member's planned or paused negotiations without a debrief, soonest first (≤ 99)."""
    try:
        with services.db.session() as session:
            return [
                Choice(n.id, n.title, n.date)
                for n in open_negotiations(session, actor.workspace_id, actor.member_id)
            ]
    except SQLAlchemyError:
        logger.exception("listing open negotiations failed")
        raise StorageUnavailable() from None


def debrief_target(services: Services, actor: Actor, negotiation_id: int) -> Target:
    """The negotiation behind a *Log the debrief* click, if the actor owns it and it has no debrief."""
    try:
        with services.db.session() as session:
            negotiation = owned_negotiation(session, actor, negotiation_id)
            ensure_not_debriefed(session, negotiation)
            kind = _kind(negotiation.counterpart_kind)
            return Target(
                negotiation.id,
                negotiation.title,
                kind.label if kind else negotiation.counterpart_kind,
                negotiation.date,
                negotiation.currency,
                approved_trades=_approved_trades(session, actor.workspace_id, negotiation.id),
            )
    except SQLAlchemyError:
        logger.exception("reading a negotiation failed")
        raise StorageUnavailable() from None


def _approved_trades(session: Session, workspace_id: int, negotiation_id: int) -> tuple[str, ...]:
    lines = []
    for trade in session.scalars(
        select(TradeProposal)
        .where(
            TradeProposal.workspace_id == workspace_id,
            TradeProposal.negotiation_id == negotiation_id,
            TradeProposal.status.in_(("approved", "accepted")),
        )
        .order_by(TradeProposal.decided_at, TradeProposal.id)
    ):
        give = trade.give_item
        if trade.give_cost_minor is not None:
            give += f" – {Money(trade.give_cost_minor, trade.currency)}"
        get = trade.get_item
        if trade.get_value_minor is not None:
            get += f" worth {Money(trade.get_value_minor, trade.value_currency or trade.currency)}"
        lines.append(f"{give} -> {get}")
    return tuple(lines)


# ------------------------------------------------------------------------------------------ submitting


def submit_debrief(
    services: Services, actor: Actor, request: DebriefRequest, *, submission_key: str
) -> DebriefResult:
    """Validate and store a debrief, its ledger and commitments; analyse it against the prep.

    Raises :class:`~bot.flows.prep.NegotiationError` (not found, not yours, already debriefed,
    storage unavailable); errors in what was typed come back in :attr:`DebriefResult.errors`.
    """
    in_force = playbook_in_force(services, actor.workspace_id)
    playbook = in_force.playbook
    now = services.clock()
    today = local_today(now, actor.tz)
    errors: dict[DebriefErrorKey, str] = {}
    existing_id, new_title, new_kind = _target(request, errors)
    currency = playbook.policy.default_currency
    if existing_id is not None:
        currency = negotiation_currency(services, actor, existing_id)
    validation = validate_debrief(request.form, default_currency=currency)
    for field_, message in validation.errors.items():
        errors[field_] = message
    if validation.debrief is not None:
        past = [c for c in validation.debrief.commitments if c.due < today]
        if past:
            first = past[0]
            errors[DebriefField.COMMITMENTS] = (
                f"“{first.who}: {first.what}” is due {day_words(first.due)}, which has already passed; "
                f"use today ({day_words(today)}) or later."
                + (f" ({len(past) - 1} more like it.)" if len(past) > 1 else "")
            )
    if errors or validation.debrief is None:
        return DebriefResult(errors=MappingProxyType(errors))
    debrief = validation.debrief
    style = style_of(actor.style)
    try:
        with services.db.session() as session:
            if claimed_result(session, actor.workspace_id, submission_key) is not None:
                return DebriefResult(duplicate=True)
            if existing_id is not None:
                negotiation = owned_negotiation(session, actor, existing_id)
                ensure_not_debriefed(session, negotiation)
            else:
                assert new_kind is not None
                negotiation = create_negotiation(
                    session,
                    actor.workspace_id,
                    actor.member_id,
                    title=new_title,
                    counterpart_kind=new_kind.value,
                    counterpart_name="",
                    when=today,
                    currency=currency,
                )
            prep_row = find_prep(session, actor.workspace_id, negotiation.id)
            prep = stored_prep_input(negotiation, prep_row)
            analysis = analyse_debrief(debrief, prep, style, playbook)
            untally(session, actor.workspace_id, [negotiation.id])  # its debrief supersedes its requests
            row = create_debrief(
                session,
                actor.workspace_id,
                negotiation.id,
                actor.member_id,
                outcome=debrief.outcome.value,
                reflection=debrief.reflection,
                analysis=analysis_document(analysis, had_prep=prep is not None, form=request.form),
                submitted_at=now,
            )
            row.playbook_version = in_force.version  # what the analysis was made with
            _write_ledger(session, actor, negotiation, row.id, debrief, now)
            tally_debrief(session, actor.workspace_id, negotiation.id)  # "trades that work here"
            recorded = _write_commitments(session, actor, negotiation, debrief)
            negotiation.status = STATUS_FOR[debrief.outcome]
            negotiation.updated_at = now
            audit.record(
                session,
                actor.workspace_id,
                "debrief.logged",
                "negotiation",
                negotiation.id,
                now,
                actor_id=actor.member_id,
                outcome=debrief.outcome.value,
                debrief_id=row.id,
            )
            refresh_negotiation(session, negotiation, now, version=f"debriefed:{row.id}")
            plan = None
            if prep is not None and prep_row is not None and prep_row.slack_channel and prep_row.slack_ts:
                plan = (
                    build_prep_plan(prep, style_of(prep_row.style), playbook),
                    PlanMessage(prep_row.slack_channel, prep_row.slack_ts),
                )
            claim_last(session, actor.workspace_id, submission_key)
            saved = SavedDebrief(
                negotiation.id, row.id, negotiation.title, analysis, prep is not None, recorded, plan
            )
    except Repeated:
        return DebriefResult(duplicate=True)
    except IntegrityError:
        # A concurrent debrief of the same negotiation (the unique key) or a copy of this submission.
        return _after_conflict(services, actor, existing_id, submission_key)
    except SQLAlchemyError:
        logger.exception("saving a debrief failed; nothing was stored")
        raise StorageUnavailable() from None
    return DebriefResult(saved=saved)


def _after_conflict(services: Services, actor: Actor, negotiation_id: int | None, key: str) -> DebriefResult:
    """After a unique-key conflict (all rolled back): a copy of this submission got there first, or
    another debrief of the same negotiation did (said plainly), or something else went wrong."""
    logger.info("debrief submission %s hit a unique key", key)
    try:
        with services.db.session() as session:
            if claimed_result(session, actor.workspace_id, key) is not None:
                return DebriefResult(duplicate=True)
            if negotiation_id is not None:
                ensure_not_debriefed(session, owned_negotiation(session, actor, negotiation_id))
    except SQLAlchemyError:
        logger.exception("reading after a conflict failed")
    raise StorageUnavailable()


def _kind(value: str) -> CounterpartKind | None:
    try:
        return CounterpartKind(value.strip())
    except ValueError:
        return None


def _target(
    request: DebriefRequest, errors: dict[DebriefErrorKey, str]
) -> tuple[int | None, str, CounterpartKind | None]:
    """Which negotiation: an existing id, or a new one's title and kind (recording errors)."""
    if request.negotiation_id is not None:
        return request.negotiation_id, "", None
    if request.choice is not None and request.choice != UNPREPPED:
        try:
            return int(request.choice), "", None
        except ValueError:
            errors[TargetField.NEGOTIATION] = (
                "Choose one of your negotiations, or “A negotiation I didn't prep”."
            )
            return None, "", None
    title = request.title.strip()
    if not title:
        errors[TargetField.TITLE] = (
            "Give the negotiation a title (it had no prep, so Parley doesn't know it yet)."
        )
    elif len(title) > MAX_TITLE_LENGTH:
        errors[TargetField.TITLE] = (
            f"Keep this under {MAX_TITLE_LENGTH:,} characters (it has {len(title):,})."
        )
    kind = _kind(request.counterpart_kind)
    if kind is None:
        errors[TargetField.COUNTERPART_KIND] = "Choose who you negotiated with."
    return None, title, kind


def _write_ledger(
    session: Session,
    actor: Actor,
    negotiation: Negotiation,
    debrief_id: int,
    debrief: DebriefInput,
    now: datetime,
) -> None:
    """Offered, conceded (with what came back) and held lines, in the order they were typed.

    A conceded line's currency is its cost's (else its return's, else the negotiation's). When what
    came back is priced in another currency, the conceded line keeps the received item without a
    value and a ``received`` line of the same position carries that value in its own currency:
    amounts in different currencies are never mixed in one row.
    """

    def add(kind: str, position: int, item: str, money: Money | None, **extra: Any) -> None:
        fallback = extra.pop("currency", negotiation.currency)
        add_ledger_entry(
            session,
            actor.workspace_id,
            negotiation.id,
            kind=kind,
            item=item,
            value_minor=money.amount_minor if money is not None else None,
            currency=money.currency if money is not None else fallback,
            position=position,
            recorded_at=now,
            debrief_id=debrief_id,
            **extra,
        )

    for position, offered in enumerate(debrief.offered):
        add("offered", position, offered.item, offered.value)
    for position, concession in enumerate(debrief.conceded):
        cost, got = concession.cost, concession.received_value
        currency = cost.currency if cost else got.currency if got else negotiation.currency
        same = got is None or got.currency == currency
        add(
            "conceded",
            position,
            concession.item,
            cost,
            currency=currency,
            received_item=concession.received,
            received_value_minor=got.amount_minor if got is not None and same else None,
        )
        if got is not None and not same and concession.received is not None:
            add("received", position, concession.received, got)
    for position, held in enumerate(debrief.held):
        add("held", position, held.item, held.value)


def _write_commitments(
    session: Session, actor: Actor, negotiation: Negotiation, debrief: DebriefInput
) -> int:
    """Every commitment as an open row the nudges will pick up: ours owned by the member, theirs
    (or a named person's) labelled and owed to the member."""
    for commitment in debrief.commitments:
        ours = commitment.side is Side.OURS
        add_commitment(
            session,
            actor.workspace_id,
            negotiation.id,
            text=commitment.what,
            due=commitment.due,
            currency=negotiation.currency,
            source="debrief",
            owner_id=actor.member_id if ours else None,
            owner_label="" if ours else commitment.who,
            owed_to_id=None if ours else actor.member_id,
        )
    return len(debrief.commitments)


# ------------------------------------------------------------------------------------------ the analysis


def _minor(totals: MoneyTotals) -> dict[str, int]:
    return {money.currency: money.amount_minor for money in totals}


def analysis_document(analysis: DebriefAnalysis, *, had_prep: bool, form: DebriefForm) -> dict[str, Any]:
    """``Debrief.analysis``: the analysis as JSON, for App Home, digests and exports.

    Shape (version 1; amounts are integer minor units keyed by ISO 4217 code, never summed across
    currencies)::

        {
          "version": 1,
          "outcome": "agreed" | "no_deal" | "paused",
          "style": "closer" | … | null,          # the style the coaching was written for
          "summary": "Agreed. Conceded 3,300 USD, received 5,000 USD (1.5×). …",
          "conceded": {"USD": 330000},            # known costs of what we conceded
          "received": {"USD": 500000},            # known values of what came back
          "balances": [{"currency": "USD", "conceded": 330000, "received": 500000,
                        "difference": 170000, "ratio": 1.5152 | null, "needs_attention": false}],
          "balance_ratio": {"USD": 1.5152},       # received ÷ conceded; currencies with a ratio only
          "giveaways": [{"item": "…", "cost": 30000 | null, "currency": "USD" | null}],
          "giveaway_total": {"USD": 30000},
          "shortfalls": [{"item": "…", "amount": 20000, "currency": "USD"}],
          "money_left_behind": {"USD": 50000},    # giveaways' costs + shortfalls
          "unassessed": ["…"],                    # concessions that could not be valued
          "limits_breached": [{"item": "…", "limit": "…", "detail": "9 % conceded … — limit discount ≤ 7 %"}],
          "limits_held": ["…"],                   # numeric limits checked and not broken
          "limits_unchecked": ["…"],              # limits that could not be checked
          "had_prep": true,                       # false: no limits to compare against
          "offered": [{"item": "…", "value": 30000 | null, "currency": "USD" | null}],
          "held": [{"item": "…", "value": … | null, "currency": … | null}],
          "commitments": {"ours": 1, "theirs": 1, "named": 0},
          "needs_attention": true,
          "moment": "giveaway" | "limit_breached" | "no_agreement" | "balanced",
          "reflection_question": "…",
          "lesson": "…",
          "form": {"offered": "…", "conceded": "…", "held": "…", "commitments": "…"}  # as typed
        }
    """

    def item(name: str, money: Any) -> dict[str, Any]:
        return {
            "item": name,
            "value": money.amount_minor if money is not None else None,
            "currency": money.currency if money is not None else None,
        }

    balances = [
        {
            "currency": b.currency,
            "conceded": b.conceded.amount_minor,
            "received": b.received.amount_minor,
            "difference": b.difference.amount_minor,
            "ratio": round(float(b.ratio), 4) if b.ratio is not None else None,
            "needs_attention": b.needs_attention,
        }
        for b in analysis.balances
    ]
    return {
        "version": ANALYSIS_VERSION,
        "outcome": analysis.outcome.value,
        "style": analysis.style.value if analysis.style else None,
        "summary": analysis.summary,
        "conceded": _minor(analysis.conceded),
        "received": _minor(analysis.received),
        "balances": balances,
        "balance_ratio": {b["currency"]: b["ratio"] for b in balances if b["ratio"] is not None},
        "giveaways": [
            {
                "item": c.item,
                "cost": c.cost.amount_minor if c.cost else None,
                "currency": c.cost.currency if c.cost else None,
            }
            for c in analysis.giveaways
        ],
        "giveaway_total": _minor(analysis.giveaway_total),
        "shortfalls": [
            {"item": s.concession.item, "amount": s.amount.amount_minor, "currency": s.amount.currency}
            for s in analysis.shortfalls
        ],
        "money_left_behind": _minor(analysis.money_left_behind),
        "unassessed": [c.item for c in analysis.unassessed],
        "limits_breached": [
            {"item": b.concession.item, "limit": b.limit, "detail": b.detail}
            for b in analysis.limits_breached
        ],
        "limits_held": [s.limit for s in analysis.limits_held],
        "limits_unchecked": [s.limit for s in analysis.limits_unchecked],
        "had_prep": had_prep,
        "offered": [item(i.item, i.value) for i in analysis.offered],
        "held": [item(i.item, i.value) for i in analysis.held],
        "commitments": {
            "ours": len(analysis.our_commitments),
            "theirs": len(analysis.their_commitments),
            "named": len(analysis.named_commitments),
        },
        "needs_attention": analysis.needs_attention,
        "moment": analysis.moment.value,
        "reflection_question": analysis.reflection_question,
        "lesson": analysis.lesson,
        "form": {
            "offered": form.offered,
            "conceded": form.conceded,
            "held": form.held,
            "commitments": form.commitments,
        },
    }
