"""`/negotiate commit`: open the commit modal."""

from __future__ import annotations

from bot.flows.commitments import commit_defaults
from bot.flows.commitments_presenter import commit_view
from bot.replies import open_modal
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    actor = ctx.actor
    defaults = commit_defaults(
        ctx.services, actor.workspace_id, actor.member_id, tz=actor.tz,
        slack_user_id=actor.slack_user_id, negotiation_id=None,
    )  # fmt: skip
    open_modal(ctx.client, ctx.respond, ctx.command, commit_view(defaults), "commit form", again=ctx.again)
