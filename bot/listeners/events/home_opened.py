"""`app_home_opened`: record the member (first contact) and publish their Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.flows.home import refresh_home
from bot.members import resolve_actor
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def home_opened(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if event.get("tab", "home") != "home":  # the Messages tab needs nothing from us
            return
        actor = resolve_actor(
            services, client, context.team_id or body["team_id"], event["user"], context.enterprise_id
        )
        refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
