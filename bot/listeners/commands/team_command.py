"""`/negotiate team`: who approves whose trades (registered in ``negotiate.HANDLERS``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackClientError

from bot.flows.team import team_form
from bot.listeners.views.team_modal import team_view
from templates import render_message

if TYPE_CHECKING:
    from bot.listeners.commands.negotiate import CommandContext

logger = logging.getLogger(__name__)


def team_command(ctx: CommandContext) -> None:
    form = team_form(ctx.services, ctx.actor)
    try:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=team_view(form))
    except (SlackClientError, OSError) as error:
        logger.warning("could not open the team modal for %s: %s", ctx.actor.slack_user_id, error)
        notice = render_message(
            "messages/notice",
            level="warning",
            title="The team form didn't open",
            body="Slack didn't let Parley open it in time; run the command again.",
            details=[],
        )
        ctx.respond(response_type="ephemeral", **notice.as_kwargs())
