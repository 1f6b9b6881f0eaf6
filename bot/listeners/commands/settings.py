"""`/negotiate settings`: the workspace's settings for admins; everyone else's own preferences."""

from __future__ import annotations

from bot.flows.admin_notifier import open_overview
from bot.flows.commitments_presenter import settings_view
from bot.flows.commitments_settings import nudge_settings
from bot.replies import open_modal
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    if ctx.actor.is_admin:
        open_overview(ctx.services, ctx.actor, ctx.client, ctx.respond, ctx.command)
        return
    state = nudge_settings(ctx.services, ctx.actor.workspace_id, ctx.actor.member_id)
    view = settings_view(state, with_digest=True)
    open_modal(ctx.client, ctx.respond, ctx.command, view, "settings form", again=ctx.again)
