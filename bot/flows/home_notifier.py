"""Publishing a member's Home tab (``views.publish``) after anything it shows changed."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy.exc import SQLAlchemyError

from bot import edge
from bot.flows.home import HomeExpand, home_view, set_expanded
from bot.messaging import retry_rate_limited
from bot.metadata import MetadataError, load
from bot.services import Services

logger = logging.getLogger(__name__)


def refresh_home(services: Services, client: WebClient, workspace_id: int, slack_user_id: str) -> None:
    """Re-publish ``slack_user_id``'s Home tab from the database.

    Never raises for a database or Slack failure: the change that prompted the refresh is already
    committed, and the tab is rebuilt again the next time the member opens it.
    """
    try:
        view = home_view(services, workspace_id, slack_user_id)
    except SQLAlchemyError:
        logger.exception("could not read the Home tab of %s in workspace %s", slack_user_id, workspace_id)
        return
    if view is None:
        return
    try:
        retry_rate_limited(lambda: client.views_publish(user_id=slack_user_id, view=view))
    except (SlackApiError, SlackRequestError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
        logger.warning("views.publish for %s failed: %s", slack_user_id, reason)


def show_section(
    services: Services, body: Mapping[str, Any], client: WebClient, context: BoltContext, *, expand: bool
) -> None:
    """*Show more* / *Show fewer*: remember which list is expanded and republish the tab."""
    try:
        section: str | None = load(HomeExpand, edge.action_value(body)).section
    except MetadataError:
        return
    actor = edge.actor(context)
    set_expanded(services, actor.workspace_id, actor.member_id, section if expand else None)
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
