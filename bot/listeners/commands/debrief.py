"""`/negotiate debrief`: open the debrief modal, choosing among the member's open negotiations."""

from __future__ import annotations

from bot.flows.debrief import debrief_choices
from bot.flows.debrief_modal import DebriefModalMeta, debrief_view
from bot.flows.prep import NegotiationError
from bot.playbook import playbook_of
from bot.replies import answer, open_modal
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
        currency=playbook_of(ctx.services, ctx.actor.workspace_id).policy.default_currency,
    )
    open_modal(ctx.client, ctx.respond, ctx.command, view, "debrief form", again=ctx.again)
