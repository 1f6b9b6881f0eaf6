"""A commitment as plain data: the references its buttons carry, where a change started, and the
item every surface (card, list, nudge, Home) shows, with its days and moments in the reader's zone."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy.orm import Session

from coaching.commitment_form import format_day
from coaching.commitments import (
    CommitmentConditions,
    UnitValue,
    zone,
)
from coaching.dates import date_reader_of, dates_as, moment_words
from coaching.errors import CoachingError
from coaching.money import Money
from coaching.vocabulary import is_overdue
from coaching.zones import local_today
from coaching.zones import safe_zone_key as safe_zone
from storage.models import Commitment, Member
from storage.queries import commitments as queries

logger = logging.getLogger(__name__)
MAX_ID: Final = 2**63 - 1  # the largest id a button may name (BIGINT)


@dataclass(frozen=True, slots=True)
class CommitmentRef:
    """A Done / Cancel button's value: which commitment, shown on which surface."""

    commitment_id: int
    surface: str = "card"


@dataclass(frozen=True, slots=True)
class SnoozeRef:
    """A Snooze option's value."""

    commitment_id: int
    until: str
    surface: str = "card"


@dataclass(frozen=True, slots=True)
class CommitOrigin:
    """The commit modal's private_metadata: the negotiation it was opened from, if any."""

    negotiation_id: int | None = None


@dataclass(frozen=True, slots=True)
class CancelOrigin:
    """The cancel modal's private_metadata: what was shown, and the message to update afterwards."""

    commitment_id: int
    surface: str = "card"
    channel_id: str = ""
    message_ts: str = ""
    response_url: str = ""
    shown_charge_minor: int | None = None
    shown_units: int = 1  # how many units the shown charge is for


@dataclass(frozen=True, slots=True)
class CommitmentItem:
    """One commitment as a template shows it to one viewer."""

    id: int
    what: str
    due: str
    status: str
    overdue: bool
    owner_user_id: str | None
    owner_label: str
    owed_to_user_id: str | None
    negotiation: str
    conditions: str
    consequence: str
    snoozed: str  # "Mon 30 Nov at 09:00" in the viewer's zone, or ""
    can_done: bool
    can_snooze: bool
    can_cancel: bool
    theirs: bool = False  # the other side owes it: Received, "Remind me later", "They called it off"


def valid_id(value: int | None) -> bool:
    """An id from a payload that could be a row id at all (a forged 10**30 must not reach the database)."""
    return isinstance(value, int) and 0 < value <= MAX_ID


def conditions_of(commitment: Commitment) -> CommitmentConditions | None:
    if (
        commitment.notice_days is None
        or commitment.chargeback_percent is None
        or commitment.chargeback_base_minor is None
        or not commitment.charged_to
    ):
        return None
    try:
        return CommitmentConditions(
            commitment.notice_days,
            commitment.chargeback_percent,
            Money(commitment.chargeback_base_minor, commitment.currency),
            commitment.charged_to,
        )
    except CoachingError:
        logger.warning("commitment %s has unusable conditions", commitment.id)
        return None


def size_of(commitment: Commitment) -> UnitValue | None:
    """``12 seats × 1,800 USD`` when the commitment has a value; None without conditions."""
    conditions = conditions_of(commitment)
    if conditions is None:
        return None
    return UnitValue(max(commitment.units, 1), commitment.unit or "", conditions.value_base)


def conditions_line(commitment: Commitment, conditions: CommitmentConditions | None) -> str:
    """The conditions as agreed, with the size when it is more than one unit or a named one."""
    if conditions is None:
        return ""
    size = size_of(commitment)
    if size is None or (size.units == 1 and not size.unit):
        return conditions.describe()
    return f"For {size.describe()}. {conditions.describe(size.unit or 'unit')}"


def _slack_id(session: Session, workspace_id: int, member_id: int | None) -> str | None:
    member = queries.member_by_id(session, workspace_id, member_id)
    return member.slack_user_id if member is not None else None


def format_moment(moment: datetime, zone_key: str | None) -> str:
    """``Mon 30 Nov 2026 at 09:00`` in the member's own zone."""
    return moment_words(moment.astimezone(zone(safe_zone(zone_key))))


def item_for(
    session: Session, commitment: Commitment, viewer_id: int | None, now: datetime, viewer_tz: str | None
) -> CommitmentItem:
    """How ``commitment`` looks to ``viewer_id`` (what they may do with it), dated in their zone and
    written their way (their date style and language), whoever's request rendered it."""
    viewer = session.get(Member, viewer_id) if viewer_id is not None else None
    if viewer is None:
        return _item_for(session, commitment, viewer_id, now, viewer_tz)
    with dates_as(date_reader_of(viewer.settings)):
        return _item_for(session, commitment, viewer_id, now, viewer_tz)


def _item_for(
    session: Session, commitment: Commitment, viewer_id: int | None, now: datetime, viewer_tz: str | None
) -> CommitmentItem:
    today = local_today(now, viewer_tz)
    live = commitment.status in queries.LIVE_STATUSES
    responsible = queries.responsible_id(commitment)
    answers_for = viewer_id is not None and viewer_id == responsible
    owed = viewer_id is not None and viewer_id == commitment.owed_to_id
    negotiation = (
        queries.get_negotiation(session, commitment.workspace_id, commitment.negotiation_id)
        if commitment.negotiation_id is not None
        else None
    )
    conditions = conditions_of(commitment)
    consequence = (commitment.consequence or {}).get("sentence", "")
    return CommitmentItem(
        id=commitment.id,
        what=commitment.text,
        due=format_day(commitment.due),
        status=commitment.status,
        overdue=is_overdue(commitment.status, commitment.due, today),
        owner_user_id=_slack_id(session, commitment.workspace_id, commitment.owner_id),
        owner_label=commitment.owner_label or "",
        owed_to_user_id=_slack_id(session, commitment.workspace_id, commitment.owed_to_id),
        negotiation=negotiation.title if negotiation is not None else "",
        conditions=conditions_line(commitment, conditions),
        consequence=str(consequence or ""),
        snoozed=(
            format_moment(commitment.snoozed_until, viewer_tz)
            if live and commitment.snoozed_until is not None and commitment.snoozed_until > now
            else ""
        ),
        can_done=live and (answers_for or owed),
        can_snooze=live and answers_for,
        can_cancel=live and answers_for,
        theirs=commitment.owner_id is None,
    )
