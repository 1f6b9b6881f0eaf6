"""A negotiation's recorded messages: the debrief reminder (its button gone once the debrief is
logged) and the prep plan card (marked debriefed), rendered again from the negotiation's state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.delivery.cards import register_card
from bot.delivery.kinds import DeliveryContext
from bot.flows.commitments_settings import describe_hours, prefs_for
from bot.flows.debrief_reminders import VIEW as REMINDER
from bot.flows.debrief_reminders import reminder_message
from bot.flows.prep import PLAN_VIEW as PLAN
from bot.flows.prep import plan_message_context, stored_prep_input, style_of
from bot.playbook import in_force_over
from coaching.prep import build_prep_plan
from storage.models import MessageRef, Negotiation
from storage.queries import commitments as queries
from storage.queries import message_refs
from storage.queries.message_refs import NEGOTIATION
from storage.queries.negotiations import find_prep
from templates import Message, render_message


def refresh_negotiation(session: Session, negotiation: Negotiation, now: datetime, *, version: str) -> int:
    """Enqueue an update of every recorded message of ``negotiation`` (in the changing unit of work)."""
    return message_refs.enqueue_refresh(
        session, negotiation.workspace_id, NEGOTIATION, negotiation.id, now=now, version=version
    )


def _reminder(session: Session, ref: MessageRef, ctx: DeliveryContext) -> Message | None:
    negotiation = queries.get_negotiation(session, ref.workspace_id, ref.entity_id)
    if negotiation is None or negotiation.date is None:
        return None
    member = queries.member_by_id(session, ref.workspace_id, negotiation.owner_id)
    if member is None:
        return None
    playbook = in_force_over(session, ctx.playbook, member.workspace_id)
    hours = describe_hours(prefs_for(session, playbook, member).hours)
    logged = queries.has_debrief(session, ref.workspace_id, negotiation.id)
    return reminder_message(negotiation, hours, logged=logged)


def _plan(session: Session, ref: MessageRef, ctx: DeliveryContext) -> Message | None:
    negotiation = queries.get_negotiation(session, ref.workspace_id, ref.entity_id)
    prep_row = find_prep(session, ref.workspace_id, ref.entity_id) if negotiation is not None else None
    prep = stored_prep_input(negotiation, prep_row) if negotiation is not None else None
    if prep is None or prep_row is None:
        return None
    plan = build_prep_plan(prep, style_of(prep_row.style), ctx.playbook)
    debriefed = queries.has_debrief(session, ref.workspace_id, ref.entity_id)
    return render_message(
        "messages/prep_plan", **plan_message_context(plan, ref.entity_id, debriefed=debriefed)
    )


register_card(NEGOTIATION, REMINDER, _reminder)
register_card(NEGOTIATION, PLAN, _plan)
