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
from dataclasses import astuple, dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy.orm import Session

from bot.flows.commitments_items import CommitmentItem, CommitOrigin, format_day, item_for, valid_id
from bot.flows.commitments_settings import describe_hours, prefs_for
from bot.playbook import current_playbook
from bot.services import Services
from coaching.commitments import CommitmentConditions, UnitValue, parse_unit_value
from coaching.errors import CoachingError
from coaching.money import is_currency
from coaching.playbook import Policy
from coaching.zones import local_today
from storage.models import Member
from storage.queries import audit
from storage.queries import commitments as queries
from storage.queries.idempotency import claim
from storage.queries.members import Profile, find_member, save_profile, touch_member
from templates.ids.commitments import CommitBlock

logger = logging.getLogger(__name__)

MAX_WHAT: Final = 500
MAX_CHARGED_TO: Final = 200
MAX_YEARS_AHEAD: Final = 3
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
    policy = current_playbook(services.settings).policy
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
class CommitForm:
    """The commit modal's fields as submitted (raw; None for an empty field)."""

    what: str | None = None
    owner_user_id: str | None = None
    owed_to_user_id: str | None = None
    due: str | None = None
    negotiation: str | None = None
    notice_days: str | None = None
    percent: str | None = None
    value_base: str | None = None
    charged_to: str | None = None


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


def _without_nul(form: CommitForm) -> CommitForm:
    """NUL cannot be stored (PostgreSQL refuses it) nor shown: drop it, keep everything else typed."""
    return CommitForm(*(None if v is None else v.replace("\x00", "") for v in astuple(form)))


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _whole_number(text: str | None, low: int, high: int, what: str) -> tuple[int | None, str | None]:
    if _blank(text):
        return None, None
    assert text is not None
    cleaned = text.strip().removesuffix("%").strip()
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 6):
        return None, f"{what} must be a whole number from {low} to {high}."
    number = int(cleaned)
    if not low <= number <= high:
        return None, f"{what} must be from {low} to {high}."
    return number, None


def validate_commit(
    services: Services, workspace_id: int, member_id: int, tz: str, form: CommitForm
) -> tuple[CommitInput | None, dict[str, str]]:
    """Check a submission; errors are keyed by the modal's block ids, worded for the member."""
    policy = current_playbook(services.settings).policy
    errors: dict[str, str] = {}
    form = _without_nul(form)
    what = (form.what or "").strip()
    if not what:
        errors[CommitBlock.WHAT] = "Say what will be done, e.g. “Send the revised quote to Dana”."
    elif len(what) > MAX_WHAT:
        errors[CommitBlock.WHAT] = f"Keep it to {MAX_WHAT} characters (this is {len(what)})."
    owner = (form.owner_user_id or "").strip()
    if not owner:
        errors[CommitBlock.OWNER] = "Choose who owns it: you or another member."
    owed = (form.owed_to_user_id or "").strip() or None
    if owed is not None and owed == owner:
        errors[CommitBlock.OWED_TO] = (
            "The owner can't owe it to themselves: leave this empty or pick someone else."
        )
    today = local_today(services.clock(), tz)
    due: date | None = None
    if _blank(form.due):
        errors[CommitBlock.DUE] = "Pick the date it is due."
    else:
        try:
            due = date.fromisoformat((form.due or "").strip())
        except ValueError:
            errors[CommitBlock.DUE] = "Pick the date from the calendar."
        else:
            if due < today:
                errors[CommitBlock.DUE] = f"That date has passed: pick {format_day(today)} or later."
            elif due.year > today.year + MAX_YEARS_AHEAD:
                errors[CommitBlock.DUE] = f"Pick a date within {MAX_YEARS_AHEAD} years."
    negotiation_id: int | None = None
    currency = policy.default_currency
    if not _blank(form.negotiation):
        raw = (form.negotiation or "").strip()
        with services.db.session() as session:
            negotiation = (
                queries.get_negotiation(session, workspace_id, int(raw))
                if raw.isascii() and raw.isdigit() and len(raw) <= 19 and valid_id(int(raw))
                else None
            )
            if negotiation is None or negotiation.owner_id != member_id:
                errors[CommitBlock.NEGOTIATION] = "That negotiation isn't one of yours: pick another or none."
            else:
                negotiation_id = negotiation.id
                currency = negotiation.currency if is_currency(negotiation.currency) else currency
    conditions, size = _conditions(form, policy, currency, errors)
    if errors or due is None:
        return None, errors
    return (
        CommitInput(
            what=what,
            owner_user_id=owner,
            owed_to_user_id=owed,
            due=due,
            negotiation_id=negotiation_id,
            currency=conditions.value_base.currency if conditions else currency,
            conditions=conditions,
            units=size.units if size and conditions else 1,
            unit=size.unit if size and conditions else "",
        ),
        {},
    )


def _conditions(
    form: CommitForm, policy: Policy, currency: str, errors: dict[str, str]
) -> tuple[CommitmentConditions | None, UnitValue | None]:
    """Conditions apply when a value is given; empty notice and percentage take the playbook's. The
    value may be N units at a value each (``12 seats × $1,800``): the chargeback is then per unit."""
    given = [not _blank(v) for v in (form.notice_days, form.percent, form.value_base, form.charged_to)]
    notice, notice_error = _whole_number(form.notice_days, 0, 365, "The notice window")
    percent, percent_error = _whole_number(form.percent, 0, 100, "The percentage")
    if notice_error:
        errors[CommitBlock.NOTICE_DAYS] = notice_error
    if percent_error:
        errors[CommitBlock.PERCENT] = percent_error
    if not any(given):
        return None, None
    if _blank(form.value_base):
        errors[CommitBlock.VALUE_BASE] = (
            "Give the value the percentage is charged on (e.g. 4,000 USD), or clear the conditions."
        )
        return None, None
    try:
        size = parse_unit_value((form.value_base or "").strip(), default_currency=currency)
    except CoachingError as error:
        errors[CommitBlock.VALUE_BASE] = f"{error}: write it like 4,000 USD, €2,500 or 12 seats × $1,800."
        return None, None
    charged_to = (form.charged_to or "").strip()
    if not charged_to:
        errors[CommitBlock.CHARGED_TO] = "Say who is charged back, e.g. the Ops department."
        return None, None
    if len(charged_to) > MAX_CHARGED_TO:
        errors[CommitBlock.CHARGED_TO] = f"Keep it to {MAX_CHARGED_TO} characters."
        return None, None
    if notice_error or percent_error:
        return None, None
    try:
        conditions = CommitmentConditions(
            policy.chargeback.notice_days if notice is None else notice,
            policy.chargeback.percent if percent is None else percent,
            size.each,
            charged_to,
        )
    except CoachingError as error:
        errors[CommitBlock.VALUE_BASE] = str(error)
        return None, None
    return conditions, size


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
    playbook = current_playbook(services.settings)
    with services.db.session() as session:
        member = queries.member_by_id(session, workspace_id, member_id)
        assert member is not None
        now = services.clock()
        mine = tuple(
            item_for(session, c, member_id, now, member.tz)
            for c in queries.commitments_of(session, workspace_id, member_id)
        )
        owed = tuple(
            item_for(session, c, member_id, now, member.tz)
            for c in queries.commitments_owed_to(session, workspace_id, member_id)
        )
        prefs = prefs_for(session, playbook, member)
    return CommitmentsList(mine, owed, prefs.mode.label, describe_hours(prefs.hours))


LIST_SHOWN_MINE: Final = 12
LIST_SHOWN_OWED: Final = 8
