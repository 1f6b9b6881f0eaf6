"""`/negotiate style`: open the style assessment (first sitting or a retake)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.flows.style import AssessmentOrigin, open_assessment
from templates import render_message

if TYPE_CHECKING:  # the router imports this module; importing it back at run time would be circular
    from bot.listeners.commands.negotiate import CommandContext

logger = logging.getLogger(__name__)


def style_command(ctx: CommandContext) -> None:
    origin = AssessmentOrigin.of(ctx.command.get("response_url"))
    try:
        open_assessment(ctx.client, ctx.trigger_id, ctx.actor.style, origin)
    except (SlackApiError, SlackRequestError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
        logger.warning("could not open the style assessment for %s: %s", ctx.actor.slack_user_id, reason)
        notice = render_message(
            "messages/notice",
            level="error",
            title="The assessment didn't open",
            body="Slack didn't let Parley open it in time. Run `/negotiate style` again to take it.",
        )
        ctx.respond(response_type="ephemeral", **notice.as_kwargs())
