"""Nudge settings are submitted: store the member's reminder level and working hours."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.flows.commitments import SettingsForm, save_nudge_settings
from bot.members import actor_for_interaction
from bot.services import Services
from templates.ids.commitments import CommitBlock, CommitCallback


def read_settings(view: dict[str, Any]) -> SettingsForm:
    values = (view.get("state") or {}).get("values") or {}

    def state(block: CommitBlock) -> dict[str, Any]:
        return (values.get(block.value) or {}).get(block.value) or {}

    mode = (state(CommitBlock.NUDGES).get("selected_option") or {}).get("value")
    days = [
        str(option.get("value"))
        for option in state(CommitBlock.DAYS).get("selected_options") or ()
        if isinstance(option, dict)
    ]
    return SettingsForm(
        mode=mode if isinstance(mode, str) else None,
        start=state(CommitBlock.HOURS_START).get("selected_time"),
        end=state(CommitBlock.HOURS_END).get("selected_time"),
        days=tuple(days),
    )


def register(app: App, services: Services) -> None:
    @app.view(CommitCallback.SETTINGS.value)
    def settings_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        actor = actor_for_interaction(services, client, body, context)
        errors = save_nudge_settings(services, actor.workspace_id, actor.member_id, read_settings(view))
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
