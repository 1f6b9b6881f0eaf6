"""The erase confirmation is submitted: authorise again, queue the erasure, say so in the modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.member_data import Refused, request_erase
from bot.flows.member_data_screens import done_view, may_act_on, subject_member
from bot.metadata import DataSubject
from bot.replies import form_meta
from bot.services import Services


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    subject = form_meta(ack, edge.view_of(body), DataSubject)
    if subject is None:
        return
    actor = edge.actor(context)
    if not may_act_on(services, actor, subject.slack_user_id):
        ack(
            response_action="update",
            view=done_view("Nothing was erased", "Only an admin can erase someone else's data."),
        )
        return
    member_id = subject_member(services, actor, subject.slack_user_id)
    if member_id is None:
        ack(response_action="update", view=done_view("Nothing to erase", "Parley holds nothing about them."))
        return
    try:
        message = request_erase(services, actor.workspace_id, member_id, by_member_id=actor.member_id)
    except Refused as refusal:
        ack(response_action="update", view=done_view("Nothing to erase", str(refusal)))
        return
    ack(response_action="update", view=done_view("Erasure queued", message))
