"""`/negotiate team`: who approves whose trades."""

from __future__ import annotations

from bot.flows.team import team_form, team_view
from bot.replies import open_modal
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    form = team_form(ctx.services, ctx.actor)
    open_modal(ctx.client, ctx.respond, ctx.command, team_view(form), "team form", again=ctx.again)
