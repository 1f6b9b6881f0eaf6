"""The team modal is saved: who approves whose trades (admins for anyone, managers for themselves)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.home_notifier import refresh_home
from bot.flows.team import TeamChange, TeamRefused, save_team
from bot.members import record_members
from bot.services import Services
from templates import render_view
from templates.ids.team import TeamBlock


def read_change(values: Mapping[str, Any]) -> TeamChange:
    member = edge.optional_value(values, TeamBlock.MEMBER)
    manager = edge.optional_value(values, TeamBlock.MANAGER)
    fallback = edge.optional_value(values, TeamBlock.FALLBACK)
    return TeamChange(member, manager, fallback, edge.has_input(values, TeamBlock.FALLBACK))


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    actor = edge.actor(context)
    result = save_team(services, actor, read_change(edge.form_values(edge.view_of(body))))
    if isinstance(result, TeamRefused):
        ack(response_action="errors", errors=result.errors)
        return
    ack(
        response_action="update",
        view=render_view(
            "views/team_done",
            member=result.member_user_id,
            manager=result.manager_user_id or "",
            fallback=result.fallback_user_id or "",
            manager_changed=result.manager_changed,
            fallback_changed=result.fallback_changed,
        ),
    )
    # after the ack: their names and time zones from Slack
    record_members(services, client, edge.team_id(body, context), result.new_user_ids, context.enterprise_id)
    for user_id in result.affected_user_ids:
        refresh_home(services, client, actor.workspace_id, user_id)
