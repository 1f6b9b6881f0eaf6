"""`/negotiate playbook` (admins): the playbook in force, uploads, versions and rollback.
`/negotiate playbook org`: the same for the Enterprise Grid org's playbook, for the org's admins."""

from __future__ import annotations

from bot.flows.admin_notifier import NOT_ADMIN, NOT_ADMIN_TITLE
from bot.flows.admin_playbook import screen
from bot.flows.admin_playbook_presenter import playbook_view
from bot.flows.admin_settings import NOT_ORG_ADMIN_TITLE, Scope, refusal
from bot.replies import notice, open_modal
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    if ctx.args.strip().lower() == "org":
        refused = refusal(ctx.services, ctx.actor, Scope.ORG, of="playbook")
        if refused is not None:
            ctx.respond(response_type="ephemeral", **notice(NOT_ORG_ADMIN_TITLE, refused).as_kwargs())
            return
        view = playbook_view(screen(ctx.services, ctx.actor, Scope.ORG))
        open_modal(ctx.client, ctx.respond, ctx.command, view, "playbook screen", again=ctx.again)
        return
    if not ctx.actor.is_admin:
        ctx.respond(response_type="ephemeral", **notice(NOT_ADMIN_TITLE, NOT_ADMIN).as_kwargs())
        return
    view = playbook_view(screen(ctx.services, ctx.actor))
    open_modal(ctx.client, ctx.respond, ctx.command, view, "playbook screen", again=ctx.again)
