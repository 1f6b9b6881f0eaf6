"""The ``prep_plan`` outbox job: a saved prep's plan in the member's DM, then their Home tab.

Enqueued with the prep it delivers (``bot.flows.prep.enqueue_plan_delivery``) and run right after the
ack by the web process that saved it, or by any deliverer if that process died first
(``bot.delivery.jobs``). It builds the plan from the stored prep, so what arrives is the prep as
saved, and posts the card and the full plan in its thread, updating both in place when the prep was
posted before (an edit, or a second run of this job after a crash before its row was marked sent). A
run that took its row back from an expired lease first looks in the DM for the card its earlier
attempt may have posted (the card's metadata names the row), so the card is posted once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.delivery.gateway import outbox_metadata
from bot.delivery.jobs import Done, register_job
from bot.flows.home_notifier import refresh_home
from bot.flows.prep import PLAN_JOB, PlanNow, plan_message_context, plan_now, record_plan_in
from bot.flows.prep_notifier import deliver_plan, posted_before
from bot.services import Services
from coaching.dates import dates_as
from storage.queries.outbox import Claimed
from templates import Message, render_message


@dataclass(frozen=True, slots=True)
class _WithMetadata(Message):
    """A message that names its outbox row in Slack message metadata (for a first post only)."""

    row_id: int

    def as_kwargs(self) -> dict[str, Any]:
        return {**Message.as_kwargs(self), "metadata": outbox_metadata(self.row_id)}


def run_plan_job(services: Services, client: WebClient, row: Claimed) -> Done:
    """Post (or update) the plan of the row's negotiation, then refresh the owner's Home tab."""
    negotiation_id = int(row.payload["negotiation_id"])
    channel_id = str(row.payload.get("channel_id") or "")
    with services.db.read() as session:
        now = plan_now(session, services, row.workspace_id, negotiation_id)
    if now is None:  # deleted meanwhile (erased data, say): nothing to post
        return Done()
    with dates_as(now.owner.dates):  # their way, whichever process runs the job
        return _deliver(services, client, row, now, negotiation_id, channel_id)


def _deliver(
    services: Services, client: WebClient, row: Claimed, now: PlanNow, negotiation_id: int, channel_id: str
) -> Done:
    context = plan_message_context(
        now.plan,
        negotiation_id,
        updated=bool(row.payload.get("updated")),
        known=now.known,
        ranking=now.ranking,
    )
    card = render_message("messages/prep_plan", **context)
    full = render_message("messages/prep_plan_full", **context)
    previous = now.message
    if previous is None and row.reclaimed_lease is not None:
        previous = posted_before(client, row.target, row.id)
    if previous is None:
        card = _WithMetadata(card.text, card.blocks, row.id)
    user_id = now.owner.slack_user_id
    posted = deliver_plan(client, user_id, channel_id, card, full, previous)
    refresh_home(services, client, row.workspace_id, user_id)
    if posted is None:  # Slack refused the card; the member was told where their saved prep is
        return Done()
    if posted == now.message:
        return Done(posted.channel, posted.ts)

    def record(session: Session) -> None:
        record_plan_in(session, row.workspace_id, user_id, negotiation_id, posted)

    return Done(posted.channel, posted.ts, record)


register_job(PLAN_JOB, run_plan_job)
