"""`/negotiate debrief`: open the debrief modal, choosing among the member's open negotiations."""

from __future__ import annotations

from bot.flows.debrief import debrief_choices
from bot.flows.debrief_modal import DebriefModalMeta, debrief_view
from bot.flows.prep import NegotiationError
from bot.messaging import SLACK_FAILURES
from bot.playbook import current_playbook
from bot.replies import answer, form_did_not_open
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    try:
        choices = debrief_choices(ctx.services, ctx.actor)
    except NegotiationError as error:
        answer(ctx.respond, ctx.client, ctx.command, "The debrief form didn't open", str(error), "error")
        return
    view = debrief_view(
        choices=choices,
        target=None,
        meta=DebriefModalMeta(negotiation_id=None, channel_id=ctx.channel_id),
        style=ctx.actor.style,
        currency=current_playbook(ctx.services.settings).policy.default_currency,
    )
    try:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(ctx.respond, ctx.client, ctx.command, "debrief form", error, again=ctx.again)
