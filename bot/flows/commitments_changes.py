"""Changing a commitment: done, snooze and cancel (with the agreed conditions applied as shown),
each authorised against the database and told to whoever is owed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.flows.commitments import REPORT_KIND
from bot.flows.commitments_cards import CANCELLED_LATE, refresh_commitment
from bot.flows.commitments_items import CommitmentItem, conditions_of, item_for, valid_id
from bot.flows.commitments_settings import member_and_prefs
from bot.playbook import playbook_of
from bot.services import Services
from coaching.commitments import (
    Consequence,
    SnoozeChoice,
    UnitValue,
    cancelled_in_all,
    late_cancellation_consequence,
    snooze_until,
    zone,
)
from coaching.dates import moment_words
from coaching.money import Money
from coaching.zones import local_today
from coaching.zones import safe_zone_key as safe_zone
from storage.models import Commitment, Member
from storage.queries import audit, outbox
from storage.queries import commitments as queries
from storage.queries.idempotency import claim, claimed_result
from templates import render_message


class Refusal(Exception):
    """The member may not do this (not theirs, or already closed); the message says why."""


@dataclass(frozen=True, slots=True)
class Changed:
    """A commitment after Done / Snooze / Cancel, as the member who changed it sees it."""

    workspace_id: int
    item: CommitmentItem
    note: str
    notified_user_ids: tuple[str, ...] = ()


def _load_for(session: Session, workspace_id: int, commitment_id: int) -> Commitment:
    if not valid_id(commitment_id):
        raise Refusal("That commitment no longer exists.")
    commitment = queries.lock_commitment(session, workspace_id, commitment_id)
    if commitment is None:
        raise Refusal("That commitment no longer exists.")
    return commitment


def _require_live(commitment: Commitment) -> None:
    if commitment.status not in queries.LIVE_STATUSES:
        word = {"done": "done", "cancelled": "cancelled"}.get(commitment.status, commitment.status)
        raise Refusal(f"That commitment is already {word}.")


def mark_done(services: Services, workspace_id: int, member_id: int, commitment_id: int) -> Changed:
    now = services.clock()
    with services.db.session() as session:
        commitment = _load_for(session, workspace_id, commitment_id)
        responsible = queries.responsible_id(commitment)
        if member_id not in (responsible, commitment.owed_to_id):
            raise Refusal(
                "Only the person who owns this commitment, or the person it is owed to, can mark it done."
            )
        _require_live(commitment)
        queries.mark_closed(commitment, queries.DONE, now)
        audit.record(
            session, workspace_id, "commitment.done", "commitment", commitment.id, now, actor_id=member_id
        )
        actor = queries.member_by_id(session, workspace_id, member_id)
        assert actor is not None
        recipients = [m for m in (commitment.owed_to_id, responsible) if m is not None and m != member_id]
        notified = _report(session, commitment, "done", actor, recipients, now, consequence=None)
        refresh_commitment(session, commitment, now)
        item = item_for(session, commitment, member_id, now, actor.tz)
        late = commitment.due < local_today(now, actor.tz)
        note = "Marked done, after its due date." if late else "Marked done. Nicely kept."
        return Changed(workspace_id, item, note, notified)


def snooze(
    services: Services, workspace_id: int, member_id: int, commitment_id: int, choice: SnoozeChoice
) -> Changed:
    now = services.clock()
    playbook = playbook_of(services, workspace_id)
    with services.db.session() as session:
        commitment = _load_for(session, workspace_id, commitment_id)
        if member_id != queries.responsible_id(commitment):
            raise Refusal("Only the person who answers for this commitment can snooze its reminders.")
        _require_live(commitment)
        member, prefs = member_and_prefs(session, playbook, workspace_id, member_id)
        until = snooze_until(choice, now=now, zone_key=safe_zone(member.tz), hours=prefs.hours)
        commitment.snoozed_until = until
        refresh_commitment(session, commitment, now)
        audit.record(
            session, workspace_id, "commitment.snoozed", "commitment", commitment.id, now,
            actor_id=member_id, until=until.isoformat(), choice=choice.value,
        )  # fmt: skip
        item = item_for(session, commitment, member_id, now, member.tz)
        local = until.astimezone(zone(safe_zone(member.tz)))
        return Changed(
            workspace_id,
            item,
            f"Snoozed: the next reminder comes {moment_words(local)}.",
        )


@dataclass(frozen=True, slots=True)
class CancelPreview:
    """What cancelling would do, shown to the member before they confirm."""

    item: CommitmentItem
    consequence: str
    charge_minor: int | None
    notice_given_days: int
    notify: tuple[str, ...]  # who will be told: "the person it is owed to", "your manager"
    units: int = 1  # how many units this cancellation is for (the charge is for these)
    units_total: int = 1  # how many the commitment has; above 1 the modal asks how many
    unit: str = ""


def _consequence(commitment: Commitment, today: date, units: int = 1) -> Consequence | None:
    conditions = conditions_of(commitment)
    if conditions is None:
        return None
    return late_cancellation_consequence(
        conditions, event_date=commitment.due, cancelled_on=today, units=units
    )


class TooMany(Refusal):
    """More units than the commitment has (or fewer than one): a field error in the cancel modal."""


def _units(commitment: Commitment, units: int | None) -> int:
    """How many units a cancellation is for: all of them unless said; a count outside 1..total is
    refused (the modal checks it first; this guards a forged submission)."""
    total = max(commitment.units, 1)
    if units is None:
        return total
    if not 1 <= units <= total:
        raise TooMany(f"Cancel from 1 to {total} (there are {total} in this commitment).")
    return units


def _cancel_audience(session: Session, commitment: Commitment, actor: Member, late: bool) -> list[int]:
    """The member owed is told of any cancellation; the owner's manager of a late one."""
    audience = [m for m in (commitment.owed_to_id,) if m is not None and m != actor.id]
    if (
        late
        and actor.manager_id is not None
        and actor.manager_id not in audience
        and actor.manager_id != actor.id
    ):
        audience.append(actor.manager_id)
    return audience


def preview_cancel(
    services: Services, workspace_id: int, member_id: int, commitment_id: int, units: int | None = None
) -> CancelPreview:
    """What cancelling ``units`` (default: all) would cost now, shown before the member confirms."""
    now = services.clock()
    with services.db.session() as session:
        commitment = (
            queries.get_commitment(session, workspace_id, commitment_id) if valid_id(commitment_id) else None
        )
        if commitment is None:
            raise Refusal("That commitment no longer exists.")
        if member_id != queries.responsible_id(commitment):
            raise Refusal("Only the person who answers for this commitment can cancel it.")
        _require_live(commitment)
        actor = queries.member_by_id(session, workspace_id, member_id)
        assert actor is not None
        today = local_today(now, actor.tz)
        count = _units(commitment, units)
        consequence = _consequence(commitment, today, count)
        audience = _cancel_audience(session, commitment, actor, consequence is not None)
        words = []
        if commitment.owed_to_id in audience:
            words.append("the person it is owed to")
        if actor.manager_id is not None and actor.manager_id in audience:
            words.append("your manager")
        return CancelPreview(
            item=item_for(session, commitment, member_id, now, actor.tz),
            consequence=consequence.sentence if consequence else "",
            charge_minor=consequence.charge.amount_minor if consequence else None,
            notice_given_days=(commitment.due - today).days,
            notify=tuple(words),
            units=count,
            units_total=max(commitment.units, 1),
            unit=commitment.unit or "",
        )


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    changed: Changed | None = None
    preview: CancelPreview | None = None  # the consequence moved since it was shown: confirm again


def cancel(
    services: Services,
    workspace_id: int,
    member_id: int,
    commitment_id: int,
    *,
    shown_charge_minor: int | None,
    idempotency_key: str,
    units: int | None = None,
    shown_units: int | None = None,
) -> CancelOutcome:
    """Cancel ``units`` (default: all), applying the conditions exactly as shown; if the charge or the
    count differs from what was shown (midnight passed, or the member changed the number), show the
    new charge instead and cancel nothing. Cancelling fewer than all keeps the rest open."""
    now = services.clock()
    with services.db.session() as session:
        commitment = _load_for(session, workspace_id, commitment_id)
        if member_id != queries.responsible_id(commitment):
            raise Refusal("Only the person who answers for this commitment can cancel it.")
        actor = queries.member_by_id(session, workspace_id, member_id)
        assert actor is not None
        today = local_today(now, actor.tz)
        if claimed_result(session, workspace_id, idempotency_key):
            item = item_for(session, commitment, member_id, now, actor.tz)  # the same submission again
            return CancelOutcome(Changed(workspace_id, item, "Cancelled."))
        _require_live(commitment)
        total = max(commitment.units, 1)
        count = _units(commitment, units)
        consequence = _consequence(commitment, today, count)
        charge = consequence.charge.amount_minor if consequence else None
        if charge != shown_charge_minor or count != (total if shown_units is None else shown_units):
            changed_preview = CancelPreview(
                item=item_for(session, commitment, member_id, now, actor.tz),
                consequence=consequence.sentence if consequence else "",
                charge_minor=charge,
                notice_given_days=(commitment.due - today).days,
                notify=(),
                units=count,
                units_total=total,
                unit=commitment.unit or "",
            )
            return CancelOutcome(preview=changed_preview)
        claim(session, workspace_id, idempotency_key)
        if count < total:
            commitment.units = total - count  # the rest stays committed
        else:
            queries.mark_closed(commitment, queries.CANCELLED, now)
        this = _cancellation(consequence, count, (commitment.due - today).days, today)
        # One on-time cancellation of everything leaves nothing to add up: the status says it all.
        if commitment.consequence is not None or consequence is not None or count < total:
            commitment.consequence = _cancelled_so_far(commitment, commitment.consequence, this)
        audit.record(
            session, workspace_id, "commitment.cancelled", "commitment", commitment.id, now,
            actor_id=member_id, consequence=this if consequence else None, units_cancelled=count,
        )  # fmt: skip
        audience = _cancel_audience(session, commitment, actor, consequence is not None)
        notified = _report(
            session, commitment, "cancelled", actor, audience, now, consequence=consequence,
            occurrence=f"-{count}of{total}" if count < total else "",
        )  # fmt: skip
        refresh_commitment(session, commitment, now)
        item = item_for(session, commitment, member_id, now, actor.tz)
        size = UnitValue(total, commitment.unit or "", Money(0, commitment.currency))
        what = f"Cancelled {count} of {size.count()}" if count < total else "Cancelled"
        if consequence is not None and count >= total:
            note = CANCELLED_LATE  # the charge is shown once, in the card's details
        elif consequence is not None:
            note = f"{what}. {consequence.sentence}."
        elif conditions_of(commitment) is not None:
            note = f"{what}, with enough notice: no charge."
        else:
            note = f"{what}."
        return CancelOutcome(Changed(workspace_id, item, note, notified))


def _cancellation(consequence: Consequence | None, units: int, notice: int, today: date) -> dict[str, Any]:
    """One cancellation as stored: its units and, when late, its charge (``charge_minor`` None: on time)."""
    if consequence is None:
        return {
            "units": units, "charge_minor": None, "sentence": "", "notice_given_days": notice,
            "cancelled_on": today.isoformat(),
        }  # fmt: skip
    return {
        "sentence": consequence.sentence,
        "charge_minor": consequence.charge.amount_minor,
        "currency": consequence.charge.currency,
        "percent": consequence.percent,
        "base_minor": consequence.base.amount_minor,
        "units": consequence.units,
        "charged_to": consequence.charged_to,
        "notice_given_days": consequence.notice_given_days,
        "cancelled_on": today.isoformat(),
    }


def _cancelled_so_far(
    commitment: Commitment, previous: Mapping[str, Any] | None, this: Mapping[str, Any]
) -> dict[str, Any]:
    """``Commitment.consequence`` after one more cancellation: every cancellation kept in
    ``cancellations`` and added up — ``units_cancelled``, ``units`` charged back, ``charge_minor`` in
    all — with the latest one's details beside them, and a ``sentence`` for the card: the one
    cancellation's own, or the total once there are several. (A record stored before several were
    kept is one late cancellation of its ``units``.)"""
    earlier = [] if previous is None else list(previous.get("cancellations", [previous]))
    entries = [*earlier, dict(this)]
    charged = [e for e in entries if e.get("charge_minor") is not None]
    cancelled = sum(int(e.get("units", 1)) for e in entries)
    units_charged = sum(int(e.get("units", 1)) for e in charged)
    latest_charged = charged[-1] if charged else {}
    if len(entries) == 1:
        sentence = str(this.get("sentence", ""))
    else:
        size = UnitValue(cancelled, commitment.unit or "", Money(0, commitment.currency))
        sentence = cancelled_in_all(size, conditions_of(commitment), cancelled, units_charged)
    return {
        **latest_charged,
        "notice_given_days": this["notice_given_days"],
        "cancelled_on": this["cancelled_on"],
        "sentence": sentence,
        "charge_minor": sum(int(e["charge_minor"]) for e in charged) if charged else None,
        "units": units_charged,
        "units_cancelled": cancelled,
        "cancellations": entries,
    }


def _report(
    session: Session,
    commitment: Commitment,
    event: str,
    actor: Member,
    recipient_ids: Sequence[int],
    now: datetime,
    *,
    consequence: Consequence | None,
    occurrence: str = "",
) -> tuple[str, ...]:
    """Queue a report of ``event`` to each recipient (once each, whatever happens next)."""
    told: list[str] = []
    for recipient_id in recipient_ids:
        recipient = queries.member_by_id(session, commitment.workspace_id, recipient_id)
        if recipient is None:
            continue
        role = (
            "manager"
            if recipient.id == actor.manager_id and recipient.id != commitment.owed_to_id
            else "owed"
        )
        item = item_for(session, commitment, recipient.id, now, recipient.tz)
        message = render_message(
            "messages/commitment_report",
            event=event,
            role=role,
            actor_user_id=actor.slack_user_id,
            item=item,
            consequence=consequence.sentence if consequence else "",
        )
        outbox.enqueue(
            session,
            workspace_id=commitment.workspace_id,
            kind=REPORT_KIND,
            target=recipient.slack_user_id,
            payload=message.as_kwargs(),
            dedupe_key=f"{REPORT_KIND}:{commitment.id}:{event}{occurrence}:{recipient.id}",
            due_at=now,
        )
        told.append(recipient.slack_user_id)
    return tuple(told)
