"""`/negotiate prep [title]`: open the prep modal, the title prefilled from what was typed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackClientError

from bot.flows.prep import new_prep_form
from bot.listeners.views.prep_delivery import slack_error
from bot.listeners.views.prep_modal import PrepModalMeta, open_prep_modal
from bot.playbook import current_playbook
from templates import render_message

if TYPE_CHECKING:  # the router imports this module; importing it back at run time would be circular
    from bot.listeners.commands.negotiate import CommandContext

logger = logging.getLogger(__name__)


def prep_command(ctx: CommandContext) -> None:
    playbook = current_playbook(ctx.services.settings)
    try:
        open_prep_modal(
            ctx.client,
            ctx.trigger_id,
            form=new_prep_form(ctx.args),
            meta=PrepModalMeta(negotiation_id=None, channel_id=ctx.channel_id),
            style=ctx.actor.style,
            editing=False,
            currency=playbook.policy.default_currency,
        )
    except (SlackClientError, OSError) as error:
        logger.warning(
            "could not open the prep modal for %s: %s", ctx.actor.slack_user_id, slack_error(error)
        )
        notice = render_message(
            "messages/notice",
            level="error",
            title="The prep form didn't open",
            body="Slack didn't let Parley open it in time. Run `/negotiate prep` again.",
        )
        ctx.respond(response_type="ephemeral", **notice.as_kwargs())
