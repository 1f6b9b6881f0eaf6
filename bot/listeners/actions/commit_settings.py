"""*Nudge settings* (a nudge or the commitments list): open the member's own reminder settings."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.flows.commitments import nudge_settings, settings_view
from bot.listeners.actions.commit_common import tell
from bot.members import actor_for_interaction
from bot.services import Services
from templates.ids.commitments import CommitAction

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.action(CommitAction.SETTINGS.value)
    def open_nudge_settings(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        actor = actor_for_interaction(services, client, body, context)
        view = settings_view(nudge_settings(services, actor.workspace_id, actor.member_id))
        try:
            client.views_open(trigger_id=body["trigger_id"], view=view)
        except (SlackApiError, SlackRequestError, OSError) as error:
            logger.warning("could not open the nudge settings: %s", type(error).__name__)
            tell(respond, "Settings didn't open", "Slack didn't let Parley open them in time: click again.")
