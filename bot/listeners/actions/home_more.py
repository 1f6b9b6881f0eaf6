"""*Show more* / *Show fewer* under a Home tab list: remember the choice and republish the tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.flows.home import HomeExpand, refresh_home, set_expanded
from bot.members import actor_for_interaction
from bot.metadata import MetadataError, load
from bot.services import Services
from templates.ids.home import HomeAction


def register(app: App, services: Services) -> None:
    def handle(
        expand: bool,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        ack()
        try:
            section: str | None = load(HomeExpand, action.get("value")).section
        except MetadataError:
            return
        actor = actor_for_interaction(services, client, body, context)
        set_expanded(services, actor.workspace_id, actor.member_id, section if expand else None)
        refresh_home(services, client, actor.workspace_id, actor.slack_user_id)

    @app.action(HomeAction.SHOW_MORE.value)
    def show_more(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        handle(True, ack, body, action, client, context)

    @app.action(HomeAction.SHOW_FEWER.value)
    def show_fewer(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        handle(False, ack, body, action, client, context)
