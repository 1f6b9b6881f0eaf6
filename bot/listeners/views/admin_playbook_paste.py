"""A pasted playbook is submitted: answer with every problem, or its diff summary and Apply/Discard."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows import admin_playbook as flow
from bot.flows.admin_playbook_presenter import playbook_view
from bot.flows.admin_settings_presenter import scope_of
from bot.services import Services
from templates.ids.settings import PlaybookBlock


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    actor = edge.actor(context)
    scope = scope_of(edge.view_of(body))
    text = edge.state_value(edge.form_values(edge.view_of(body)), PlaybookBlock.TEXT) or ""
    if not text.strip():
        ack(response_action="errors", errors={PlaybookBlock.TEXT: "Paste the playbook's TOML."})
        return
    try:
        result = flow.upload(services, actor, text, "pasted.toml", scope)
    except flow.PlaybookRefused as refused:
        ack(response_action="errors", errors={PlaybookBlock.TEXT: str(refused)})
        return
    ack(response_action="update", view=playbook_view(flow.screen(services, actor, scope), result=result))
