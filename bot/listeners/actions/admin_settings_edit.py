"""*Edit* on one group of the admin screen: push that group's modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.admin_notifier import pushed_from, refuse_non_admin
from bot.flows.admin_settings import group_values, refusal
from bot.flows.admin_settings_presenter import group_view, scope_of
from bot.messaging import SLACK_FAILURES
from bot.replies import answer, form_did_not_open
from bot.services import Services
from coaching.workspace_settings import Group
from templates import app_text


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    ack()
    actor = edge.actor(context)
    if refuse_non_admin(actor, respond, client, body):
        return
    try:
        group = Group(edge.action_value(body) or "")
    except ValueError:
        answer(
            respond,
            client,
            body,
            "That button doesn't work any more",
            app_text("Run `/negotiate settings` again."),
        )
        return
    scope = scope_of(edge.view_of(body))
    refused = refusal(services, actor, scope)
    if refused is not None:
        answer(respond, client, body, "You can't change these settings", refused)
        return
    view = group_view(group, group_values(services, actor, group, scope), pushed_from(body), scope)
    try:
        if pushed_from(body):
            client.views_push(trigger_id=edge.trigger_id(body), view=view)
        else:
            client.views_open(trigger_id=edge.trigger_id(body), view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(
            respond, client, body, "settings form", error, again=app_text("Run `/negotiate settings` again.")
        )
