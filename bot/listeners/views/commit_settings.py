"""Nudge settings are submitted: store the member's reminder level and working hours, then redraw
their Home tab (it shows dates in the style and language just chosen)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments_settings import SettingsForm, save_nudge_settings
from bot.flows.home_notifier import refresh_home
from bot.services import Services
from templates.ids.commitments import CommitBlock


def read_settings(values: Mapping[str, Any]) -> SettingsForm:
    return SettingsForm(
        mode=edge.optional_value(values, CommitBlock.NUDGES),
        start=edge.optional_value(values, CommitBlock.HOURS_START),
        end=edge.optional_value(values, CommitBlock.HOURS_END),
        days=edge.selected_values(values, CommitBlock.DAYS),
        digest=edge.state_value(values, CommitBlock.DIGEST),
        digest_quiet=edge.state_value(values, CommitBlock.DIGEST_QUIET),
        date_style=edge.state_value(values, CommitBlock.DATE_STYLE),
        date_language=edge.state_value(values, CommitBlock.DATE_LANGUAGE),
        holiday_country=edge.state_value(values, CommitBlock.HOLIDAY_COUNTRY),
    )


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    actor = edge.actor(context)
    values = edge.form_values(edge.view_of(body))
    errors = save_nudge_settings(services, actor.workspace_id, actor.member_id, read_settings(values))
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
