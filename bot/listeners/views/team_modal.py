"""The team modal: an admin picking a member (the modal refreshes with their manager) and saving."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.flows.home import refresh_home
from bot.flows.team import TeamChange, TeamForm, TeamRefused, save_team, team_form
from bot.members import actor_for_interaction, resolve_actor
from bot.services import Services
from templates import render_view
from templates.ids.team import TeamBlock, TeamCallback


def team_view(form: TeamForm) -> dict[str, Any]:
    return render_view(
        "views/team_set",
        is_admin=form.is_admin,
        can_edit=form.can_edit,
        member=form.member_user_id,
        manager=form.manager_user_id or "",
        fallback=form.fallback_user_id or "",
        admins=form.admins[:20],
    )


def _picked(values: dict[str, Any], block: str) -> tuple[bool, str | None]:
    """Whether the modal had ``block``, and the user picked in it."""
    if block not in values:
        return False, None
    entry = values[block].get(block) or {}
    user = entry.get("selected_user")
    return True, user if isinstance(user, str) and user else None


def register(app: App, services: Services) -> None:
    @app.action(TeamBlock.MEMBER.value)
    def member_picked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        actor = actor_for_interaction(services, client, body, context)
        picked = (body.get("actions") or [{}])[0].get("selected_user")
        form = team_form(services, actor, picked if isinstance(picked, str) else None)
        view = body["view"]
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=team_view(form))

    @app.view(TeamCallback.SET.value)
    def save(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        team_id = context.team_id or body["team"]["id"]
        actor = resolve_actor(services, client, team_id, body["user"]["id"], context.enterprise_id)
        values = body["view"]["state"]["values"]
        _, member = _picked(values, TeamBlock.MEMBER)
        _, manager = _picked(values, TeamBlock.MANAGER)
        fallback_shown, fallback = _picked(values, TeamBlock.FALLBACK)
        result = save_team(services, actor, TeamChange(member, manager, fallback, fallback_shown))
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
        for user_id in result.new_user_ids:  # after the ack: their names and time zones from Slack
            resolve_actor(services, client, team_id, user_id, context.enterprise_id)
        for user_id in result.affected_user_ids:
            refresh_home(services, client, actor.workspace_id, user_id)
