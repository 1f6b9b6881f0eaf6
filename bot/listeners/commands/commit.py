"""`/negotiate commit` (open the commit modal) and `/negotiate commitments` (the member's list)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.flows.commitments import commit_defaults, commit_view, list_commitments, list_message
from templates import render_message

if TYPE_CHECKING:  # the router imports this module; importing it back at run time would be circular
    from bot.listeners.commands.negotiate import CommandContext

logger = logging.getLogger(__name__)


def commit_command(ctx: CommandContext) -> None:
    actor = ctx.actor
    defaults = commit_defaults(
        ctx.services,
        actor.workspace_id,
        actor.member_id,
        tz=actor.tz,
        slack_user_id=actor.slack_user_id,
        negotiation_id=None,
    )
    try:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=commit_view(defaults))
    except (SlackApiError, SlackRequestError, OSError) as error:
        logger.warning("could not open the commit modal: %s", type(error).__name__)
        notice = render_message(
            "messages/notice",
            level="error",
            title="The form didn't open",
            body="Slack didn't let Parley open it in time. Run `/negotiate commit` again.",
        )
        ctx.respond(response_type="ephemeral", **notice.as_kwargs())


def commitments_command(ctx: CommandContext) -> None:
    listing = list_commitments(ctx.services, ctx.actor.workspace_id, ctx.actor.member_id)
    ctx.respond(response_type="ephemeral", **list_message(listing).as_kwargs())
