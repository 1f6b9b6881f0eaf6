"""One group of workspace settings is submitted: validate, store and audit, or show field errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.admin_notifier import refresh_overview
from bot.flows.admin_settings import Scope, block_id, save_group
from bot.flows.admin_settings_presenter import GroupMeta
from bot.metadata import MetadataError, load
from bot.services import Services
from coaching.workspace_settings import Group, Kind, in_group


def read_group(group: Group, values: Mapping[str, Any]) -> dict[str, Any]:
    """Setting key → what the form holds for it (None for an input the view lacks)."""
    raw: dict[str, Any] = {}
    for setting in in_group(group):
        if setting.kind is Kind.HOURS:
            raw[setting.key] = {
                "start": edge.state_value(values, block_id(setting.key, "start")),
                "end": edge.state_value(values, block_id(setting.key, "end")),
                "days": list(edge.selected_values(values, block_id(setting.key, "days"))),
            }
        else:
            raw[setting.key] = edge.state_value(values, block_id(setting.key))
    return raw


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    view = edge.view_of(body)
    try:
        meta = load(GroupMeta, edge.private_metadata(view))
        group = Group(meta.group)
        scope = Scope(meta.scope)
    except (MetadataError, ValueError):
        ack(
            response_action="errors",
            errors={edge.first_input_block(view) or "": "Run /negotiate settings again."},  # plain text
        )
        return
    actor = edge.actor(context)
    errors = save_group(services, actor, group, read_group(group, edge.form_values(view)), scope)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    refresh_overview(services, actor, client, meta.root_view_id, scope)
