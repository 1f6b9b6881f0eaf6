"""*Erase my data…* (or an admin's *Erase…*): push the confirmation that says what goes and what stays."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.member_data_screens import erase_view, may_act_on, subject_member, subject_summary
from bot.messaging import SLACK_FAILURES
from bot.metadata import DataSubject, MetadataError, load
from bot.replies import answer, form_did_not_open
from bot.services import Services


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    ack()
    try:
        subject = load(DataSubject, edge.private_metadata(edge.view_of(body)))
    except MetadataError:
        return
    actor = edge.actor(context)
    if not may_act_on(services, actor, subject.slack_user_id):
        answer(respond, client, body, "Nothing was erased", "Only an admin can erase someone else's data.")
        return
    if subject_member(services, actor, subject.slack_user_id) is None:
        answer(respond, client, body, "Nothing to erase", "Parley holds nothing about them.", level="info")
        return
    found = subject_summary(services, actor, subject.slack_user_id)
    admin = subject.slack_user_id != actor.slack_user_id
    try:
        client.views_push(
            trigger_id=edge.trigger_id(body), view=erase_view(found, subject.slack_user_id, admin=admin)
        )
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "erase confirmation", error)
