"""`/negotiate debrief`: open the debrief modal, choosing among the member's open negotiations."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackClientError

from bot.flows.debrief import debrief_choices
from bot.flows.prep import NegotiationError
from bot.listeners.views.debrief_modal import DebriefModalMeta, open_debrief_modal
from bot.listeners.views.prep_delivery import slack_error
from bot.playbook import current_playbook
from templates import render_message

if TYPE_CHECKING:  # the router imports this module; importing it back at run time would be circular
    from bot.listeners.commands.negotiate import CommandContext

logger = logging.getLogger(__name__)


def debrief_command(ctx: CommandContext) -> None:
    try:
        choices = debrief_choices(ctx.services, ctx.actor)
    except NegotiationError as error:
        _notice(ctx, "The debrief form didn't open", str(error))
        return
    try:
        open_debrief_modal(
            ctx.client,
            ctx.trigger_id,
            choices=choices,
            target=None,
            meta=DebriefModalMeta(negotiation_id=None, channel_id=ctx.channel_id),
            style=ctx.actor.style,
            currency=current_playbook(ctx.services.settings).policy.default_currency,
        )
    except (SlackClientError, OSError) as error:
        logger.warning(
            "could not open the debrief modal for %s: %s", ctx.actor.slack_user_id, slack_error(error)
        )
        _notice(
            ctx,
            "The debrief form didn't open",
            "Slack didn't let Parley open it in time. Run `/negotiate debrief` again.",
        )


def _notice(ctx: CommandContext, title: str, body: str) -> None:
    notice = render_message("messages/notice", level="error", title=title, body=body)
    ctx.respond(response_type="ephemeral", **notice.as_kwargs())
