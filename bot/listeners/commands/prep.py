"""`/negotiate prep [title]`: open the prep modal, the title prefilled from what was typed."""

from __future__ import annotations

from bot.flows.prep import new_prep_form
from bot.flows.prep_modal import PrepModalMeta, prep_view
from bot.messaging import SLACK_FAILURES
from bot.playbook import current_playbook
from bot.replies import form_did_not_open
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    view = prep_view(
        form=new_prep_form(ctx.args),
        meta=PrepModalMeta(negotiation_id=None, channel_id=ctx.channel_id),
        style=ctx.actor.style,
        editing=False,
        currency=current_playbook(ctx.services.settings).policy.default_currency,
    )
    try:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(ctx.respond, ctx.client, ctx.command, "prep form", error, again=ctx.again)
