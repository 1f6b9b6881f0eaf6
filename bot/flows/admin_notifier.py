"""Opening and refreshing the admin screens (the Slack calls of `/negotiate settings` and `playbook`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.admin_settings import Scope, overview
from bot.flows.admin_settings_presenter import overview_view
from bot.members import Actor
from bot.messaging import SLACK_FAILURES, slack_error
from bot.replies import answer, open_modal
from bot.services import Services
from templates import app_text

logger = logging.getLogger(__name__)

NOT_ADMIN_TITLE = "Only workspace admins can do that"
NOT_ADMIN = app_text(
    "Workspace settings and the playbook are for Slack workspace admins and owners (and Parley admins). "
    "`/negotiate settings` shows your own preferences."
)


def refuse_non_admin(
    actor: Actor, respond: Respond | None, client: WebClient, body: Mapping[str, Any]
) -> bool:
    """True (after telling them) when ``actor`` is not an admin."""
    if actor.is_admin:
        return False
    answer(respond, client, body, NOT_ADMIN_TITLE, NOT_ADMIN)
    return True


def playbook_words(services: Services, actor: Actor) -> str:
    from bot.flows.admin_playbook import in_force  # the playbook screen is its own flow

    return in_force(services, actor).describe()


def open_overview(
    services: Services,
    actor: Actor,
    client: WebClient,
    respond: Respond | None,
    body: Mapping[str, Any],
    scope: Scope = Scope.WORKSPACE,
) -> None:
    view = overview_view(overview(services, actor, scope), playbook_words(services, actor))
    open_modal(client, respond, body, view, "settings screen")


def refresh_overview(
    services: Services, actor: Actor, client: WebClient, view_id: str, scope: Scope = Scope.WORKSPACE
) -> None:
    """Show the saved values on the overview the group modal was pushed from (best effort)."""
    if not view_id:
        return
    view = overview_view(overview(services, actor, scope), playbook_words(services, actor))
    try:
        client.views_update(view_id=view_id, view=view)
    except SLACK_FAILURES as error:
        logger.info("settings overview %s not refreshed: %s", view_id, slack_error(error))


def pushed_from(body: Mapping[str, Any]) -> str:
    """The id of the modal a button was clicked in ('' outside a modal)."""
    view = edge.view_of(body)
    value = view.get("id") if isinstance(view, Mapping) else None
    return value if isinstance(value, str) else ""
