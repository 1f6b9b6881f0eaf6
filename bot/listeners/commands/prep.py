"""`/negotiate prep [title]`: open the prep modal, the title prefilled from what was typed."""

from __future__ import annotations

from bot.flows.prep import new_prep_form
from bot.flows.prep_modal import PrepModalMeta, prep_view
from bot.playbook import playbook_of
from bot.replies import open_modal
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    view = prep_view(
        form=new_prep_form(ctx.args),
        meta=PrepModalMeta(negotiation_id=None, channel_id=ctx.channel_id),
        style=ctx.actor.style,
        editing=False,
        currency=playbook_of(ctx.services, ctx.actor.workspace_id).policy.default_currency,
    )
    open_modal(ctx.client, ctx.respond, ctx.command, view, "prep form", again=ctx.again)
