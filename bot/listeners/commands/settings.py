"""`/negotiate settings`: the workspace's settings for admins; everyone else's own preferences.
`/negotiate settings org`: the Enterprise Grid org's settings, for the org's admins and owners."""

from __future__ import annotations

from bot.flows.admin_notifier import open_overview
from bot.flows.admin_settings import NOT_ORG_ADMIN_TITLE, Scope, refusal
from bot.flows.commitments_presenter import settings_view
from bot.flows.commitments_settings import nudge_settings
from bot.replies import notice, open_modal
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    if ctx.args.strip().lower() == "org":  # Enterprise Grid: the org's values, for its admins
        refused = refusal(ctx.services, ctx.actor, Scope.ORG)
        if refused is not None:
            ctx.respond(response_type="ephemeral", **notice(NOT_ORG_ADMIN_TITLE, refused).as_kwargs())
            return
        open_overview(ctx.services, ctx.actor, ctx.client, ctx.respond, ctx.command, Scope.ORG)
        return
    if ctx.actor.is_admin:
        open_overview(ctx.services, ctx.actor, ctx.client, ctx.respond, ctx.command)
        return
    state = nudge_settings(ctx.services, ctx.actor.workspace_id, ctx.actor.member_id)
    view = settings_view(state, with_digest=True)
    open_modal(ctx.client, ctx.respond, ctx.command, view, "settings form", again=ctx.again)
