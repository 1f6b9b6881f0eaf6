"""`/negotiate trade [negotiation]`: open the trade modal, and list the member's open trades.

With text after ``trade`` the negotiation whose title contains it is preselected; without, the
member's open requests and those waiting on their decision are listed too (ephemerally).
"""

from __future__ import annotations

from bot.flows.team import WhoCanSet
from bot.flows.trades import proposal_modal, trade_overview
from bot.flows.trades_presenter import no_approver_context, overview_message, propose_view_context
from bot.replies import open_modal
from bot.subcommands import CommandContext
from templates import render_message, render_view


def handle(ctx: CommandContext) -> None:
    modal = proposal_modal(ctx.services, ctx.actor, title_hint=ctx.args)
    if isinstance(modal, WhoCanSet):
        message = render_message("messages/trade_no_approver", **no_approver_context(modal))
        ctx.respond(response_type="ephemeral", **message.as_kwargs())
    else:
        view = render_view("views/trade_propose", **propose_view_context(modal))
        open_modal(ctx.client, ctx.respond, ctx.command, view, "trade form", again=ctx.again)
    if not ctx.args.strip():
        overview = trade_overview(ctx.services, ctx.actor)
        if not overview.empty:
            ctx.respond(response_type="ephemeral", **overview_message(overview, ctx.actor.tz).as_kwargs())
