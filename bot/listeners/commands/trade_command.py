"""`/negotiate trade [negotiation]`: open the trade modal, and list the member's open trades.

The handler is registered in ``negotiate.HANDLERS``; the router has already acked and resolved the
member. With text after ``trade`` the negotiation whose title contains it is preselected; without,
the member's open requests and those waiting on their decision are listed too (ephemerally).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackClientError

from bot.flows.team import WhoCanSet
from bot.flows.trades import (
    no_approver_context,
    overview_message,
    proposal_modal,
    propose_view_context,
    trade_overview,
)
from templates import render_message, render_view

if TYPE_CHECKING:
    from bot.listeners.commands.negotiate import CommandContext

logger = logging.getLogger(__name__)


def trade_command(ctx: CommandContext) -> None:
    modal = proposal_modal(ctx.services, ctx.actor, title_hint=ctx.args)
    if isinstance(modal, WhoCanSet):
        message = render_message("messages/trade_no_approver", **no_approver_context(modal))
        ctx.respond(response_type="ephemeral", **message.as_kwargs())
    else:
        view = render_view("views/trade_propose", **propose_view_context(modal))
        try:
            ctx.client.views_open(trigger_id=ctx.trigger_id, view=view)
        except (SlackClientError, OSError) as error:
            logger.warning("could not open the trade modal for %s: %s", ctx.actor.slack_user_id, error)
            notice = render_message(
                "messages/notice",
                level="warning",
                title="The trade form didn't open",
                body="Slack didn't let Parley open it in time; run the command again.",
                details=[],
            )
            ctx.respond(response_type="ephemeral", **notice.as_kwargs())
    if not ctx.args.strip():
        overview = trade_overview(ctx.services, ctx.actor)
        if not overview.empty:
            ctx.respond(response_type="ephemeral", **overview_message(overview, ctx.actor.tz).as_kwargs())
