"""Commitments: recording one, listing them, Done / Snooze / Cancel, and each member's nudge settings.

The policy (the nudge schedule, the late-cancellation consequence, snooze lengths, the nudge wording)
lives in :mod:`coaching.commitments`; this module loads and stores, checks who may do what (only the
member who answers for a commitment may snooze or cancel it; the member it is owed to may also
confirm it done), and hands listeners plain data to render. Reports that something happened (a late
cancellation with its chargeback, a commitment done) are put in the outbox in the same unit of work
as the change, so they are sent exactly once even if Slack is down at that moment.

Working hours: the playbook's ``working_hours`` unless the workspace sets ``settings["working_hours"]``
(``{"start": "08:30", "end": "17:00", "days": ["mon", …]}``), unless the member sets their own in
*Nudge settings*; nudges: ``settings["nudges"]`` is ``normal``, ``fewer`` or ``paused``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy.orm import Session

from bot.flows.commitments_items import CommitmentItem, CommitOrigin, item_for, valid_id
from bot.flows.commitments_modal import block_errors
from bot.flows.commitments_settings import describe_hours, member_and_prefs
from bot.holidays import member_holidays
from bot.playbook import playbook_of
from bot.services import Services
from coaching.commitment_form import (
    CommitField,
    CommitForm,
    blank,
    check_basics,
    check_conditions,
    without_nul,
)
from coaching.commitments import CommitmentConditions
from coaching.money import is_currency
from coaching.zones import local_today
from storage.models import Member, Workspace
from storage.queries import audit
from storage.queries import commitments as queries
from storage.queries.idempotency import claim
from storage.queries.members import Profile, find_member, save_profile, touch_member

logger = logging.getLogger(__name__)

REPORT_KIND: Final = "commitment_report"
SURFACES: Final = ("card", "list")


# ------------------------------------------------------------------------------------------ the modal


@dataclass(frozen=True, slots=True)
class NegotiationChoice:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class CommitDefaults:
    """What the commit modal starts with."""

    origin: CommitOrigin
    owner_user_id: str
    negotiations: tuple[NegotiationChoice, ...]
    selected_negotiation: int | None
    today: date
    notice_days: int
    percent: int
    currency: str


def commit_defaults(
    services: Services,
    actor_workspace_id: int,
    actor_member_id: int,
    *,
    tz: str,
    slack_user_id: str,
    negotiation_id: int | None,
) -> CommitDefaults:
    """The modal's choices: the member's negotiations (preselecting ``negotiation_id`` if it is theirs)."""
    policy = playbook_of(services, actor_workspace_id).policy
    with services.db.session() as session:
        rows = queries.negotiation_choices(session, actor_workspace_id, actor_member_id)
        choices = tuple(NegotiationChoice(row.id, row.title) for row in rows)
        selected = None
        currency = policy.default_currency
        if negotiation_id is not None and valid_id(negotiation_id):
            negotiation = queries.get_negotiation(session, actor_workspace_id, negotiation_id)
            if negotiation is not None and negotiation.owner_id == actor_member_id:
                selected = negotiation.id
                currency = negotiation.currency
                if selected not in {choice.id for choice in choices}:
                    choices = (NegotiationChoice(negotiation.id, negotiation.title), *choices[:99])
    return CommitDefaults(
        origin=CommitOrigin(selected),
        owner_user_id=slack_user_id,
        negotiations=choices,
        selected_negotiation=selected,
        today=local_today(services.clock(), tz),
        notice_days=policy.chargeback.notice_days,
        percent=policy.chargeback.percent,
        currency=currency,
    )


@dataclass(frozen=True, slots=True)
class CommitInput:
    """A valid commitment, ready to store."""

    what: str
    owner_user_id: str
    owed_to_user_id: str | None
    due: date
    negotiation_id: int | None
    currency: str
    conditions: CommitmentConditions | None
    units: int = 1  # the conditions' value_base is the value of one unit
    unit: str = ""
    on_holiday: bool = False  # the due date is a workspace or public holiday (flagged, not refused)


def validate_commit(
    services: Services, workspace_id: int, member_id: int, tz: str, form: CommitForm
) -> tuple[CommitInput | None, dict[str, str]]:
    """Check a submission; errors are keyed by the modal's block ids, worded for the member."""
    policy = playbook_of(services, workspace_id).policy
    errors: dict[CommitField, str] = {}
    form = without_nul(form)
    basics = check_basics(form, local_today(services.clock(), tz), errors)
    negotiation_id: int | None = None
    currency = policy.default_currency
    if not blank(form.negotiation):
        raw = (form.negotiation or "").strip()
        with services.db.session() as session:
            negotiation = (
                queries.get_negotiation(session, workspace_id, int(raw))
                if raw.isascii() and raw.isdigit() and len(raw) <= 19 and valid_id(int(raw))
                else None
            )
            if negotiation is None or negotiation.owner_id != member_id:
                errors[CommitField.NEGOTIATION] = "That negotiation isn't one of yours: pick another or none."
            else:
                negotiation_id = negotiation.id
                currency = negotiation.currency if is_currency(negotiation.currency) else currency
    conditions, size = check_conditions(form, policy.chargeback, currency, errors)
    if errors or basics.due is None:
        return None, block_errors(errors)
    with services.db.read() as session:
        workspace = session.get(Workspace, workspace_id)
        settings = workspace.settings if workspace else None
        owner = find_member(session, workspace_id, basics.owner_user_id) if basics.owner_user_id else None
        owner = owner or queries.member_by_id(session, workspace_id, member_id)  # else who records it
        owner_settings, owner_tz = (owner.settings, owner.tz) if owner is not None else (None, tz)
    on_holiday = basics.due in member_holidays(policy, settings, owner_settings, owner_tz, basics.due)
    return (
        CommitInput(
            what=basics.what,
            owner_user_id=basics.owner_user_id,
            owed_to_user_id=basics.owed_to_user_id,
            due=basics.due,
            negotiation_id=negotiation_id,
            currency=conditions.value_base.currency if conditions else currency,
            conditions=conditions,
            units=size.units if size and conditions else 1,
            unit=size.unit if size and conditions else "",
            on_holiday=on_holiday,
        ),
        {},
    )


@dataclass(frozen=True, slots=True)
class Recorded:
    """A new commitment: the card for the member who recorded it, and for its owner if someone else."""

    workspace_id: int
    item: CommitmentItem
    owner_item: CommitmentItem | None
    owner_user_id: str
    recorded_by_user_id: str


def record_commitment(
    services: Services,
    workspace_id: int,
    member_id: int,
    slack_user_id: str,
    valid: CommitInput,
    *,
    profiles: Mapping[str, Profile | None],
    idempotency_key: str,
    source: str = "manual",
) -> Recorded | None:
    """Store the commitment (None if this submission was already stored: a double click)."""
    now = services.clock()
    with services.db.session() as session:
        if not claim(session, workspace_id, idempotency_key):
            return None
        owner = _member_for(session, workspace_id, valid.owner_user_id, profiles, now)
        owed = (
            _member_for(session, workspace_id, valid.owed_to_user_id, profiles, now)
            if valid.owed_to_user_id
            else None
        )
        if owed is None and owner.id != member_id:
            owed_id: int | None = member_id  # recording someone else's commitment: it is owed to you
        else:
            owed_id = owed.id if owed is not None else None
        conditions = valid.conditions
        commitment = queries.create_commitment(
            session,
            workspace_id,
            queries.NewCommitment(
                text=valid.what,
                due=valid.due,
                currency=valid.currency,
                source=source,
                negotiation_id=valid.negotiation_id,
                owner_id=owner.id,
                owed_to_id=owed_id,
                notice_days=conditions.notice_days if conditions else None,
                chargeback_percent=conditions.chargeback_percent if conditions else None,
                chargeback_base_minor=conditions.value_base.amount_minor if conditions else None,
                charged_to=conditions.charged_to if conditions else None,
                units=valid.units,
                unit=valid.unit,
            ),
        )
        audit.record(
            session, workspace_id, "commitment.created", "commitment", commitment.id, now,
            actor_id=member_id, owner_id=owner.id, due=valid.due.isoformat(),
        )  # fmt: skip
        recorder = queries.member_by_id(session, workspace_id, member_id)
        item = item_for(session, commitment, member_id, now, recorder.tz if recorder else None)
        owner_item = item_for(session, commitment, owner.id, now, owner.tz) if owner.id != member_id else None
        return Recorded(workspace_id, item, owner_item, owner.slack_user_id, slack_user_id)


def _member_for(
    session: Session,
    workspace_id: int,
    slack_user_id: str,
    profiles: Mapping[str, Profile | None],
    now: datetime,
) -> Member:
    member = find_member(session, workspace_id, slack_user_id)
    profile = profiles.get(slack_user_id)
    if member is not None and (profile is None or member.profile_refreshed_at is not None):
        return member
    if profile is not None:
        return save_profile(session, workspace_id, slack_user_id, profile, now)[0]
    return touch_member(session, workspace_id, slack_user_id)[0]


# ------------------------------------------------------------------------------------------ the list


@dataclass(frozen=True, slots=True)
class CommitmentsList:
    mine: tuple[CommitmentItem, ...]
    owed: tuple[CommitmentItem, ...]
    nudges: str
    hours: str


def list_commitments(services: Services, workspace_id: int, member_id: int) -> CommitmentsList:
    playbook = playbook_of(services, workspace_id)
    with services.db.session() as session:
        member, prefs = member_and_prefs(session, playbook, workspace_id, member_id)
        now = services.clock()
        mine = tuple(
            item_for(session, c, member_id, now, member.tz)
            for c in queries.commitments_of(session, workspace_id, member_id)
        )
        owed = tuple(
            item_for(session, c, member_id, now, member.tz)
            for c in queries.commitments_owed_to(session, workspace_id, member_id)
        )
    return CommitmentsList(mine, owed, prefs.mode.label, describe_hours(prefs.hours))


LIST_SHOWN_MINE: Final = 12
LIST_SHOWN_OWED: Final = 8
