"""*Send me a copy* (or an admin's *Export a copy*): queue the archive; the modal says what happens."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.member_data import Refused, request_export
from bot.flows.member_data_screens import data_view, may_act_on, subject_member, subject_summary
from bot.metadata import DataSubject, MetadataError, load
from bot.replies import answer
from bot.services import Services

NOT_YOURS = "Only an admin can export someone else's data."


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    ack()
    view = edge.view_of(body)
    try:
        subject = load(DataSubject, edge.private_metadata(view))
    except MetadataError:
        return
    actor = edge.actor(context)
    if not may_act_on(services, actor, subject.slack_user_id):
        answer(respond, client, body, "Nothing was exported", NOT_YOURS)
        return
    member_id = subject_member(services, actor, subject.slack_user_id)
    if member_id is None:
        message = "Parley holds nothing about them: there is nothing to export."
    else:
        try:
            message = request_export(
                services, actor.workspace_id, member_id, by_member_id=actor.member_id,
                deliver_to=actor.slack_user_id,
            )  # fmt: skip
        except Refused as refusal:
            message = str(refusal)
    found = subject_summary(services, actor, subject.slack_user_id)
    admin = subject.admin and subject.slack_user_id != actor.slack_user_id
    client.views_update(
        view_id=view["id"], hash=view.get("hash"),
        view=data_view(found, subject.slack_user_id, admin=admin, message=message, picker=admin),
    )  # fmt: skip
