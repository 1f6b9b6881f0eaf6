"""`/negotiate team`: who approves whose trades."""

from __future__ import annotations

from bot.flows.team import team_form, team_view
from bot.messaging import SLACK_FAILURES
from bot.replies import form_did_not_open
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    form = team_form(ctx.services, ctx.actor)
    try:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=team_view(form))
    except SLACK_FAILURES as error:
        form_did_not_open(ctx.respond, ctx.client, ctx.command, "team form", error, again=ctx.again)
