"""`/negotiate my-data`: what Parley holds about the member, with *Send me a copy* and *Erase my data…*."""

from __future__ import annotations

from bot.flows.member_data_screens import data_view, subject_summary
from bot.replies import open_modal
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    actor = ctx.actor
    found = subject_summary(ctx.services, actor, actor.slack_user_id)
    view = data_view(found, actor.slack_user_id, admin=False)
    open_modal(ctx.client, ctx.respond, ctx.command, view, "my-data screen", again=ctx.again)
