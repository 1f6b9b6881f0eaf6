"""`/negotiate commit`: open the commit modal."""

from __future__ import annotations

from bot.flows.commitments import commit_defaults
from bot.flows.commitments_presenter import commit_view
from bot.messaging import SLACK_FAILURES
from bot.replies import form_did_not_open
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    actor = ctx.actor
    defaults = commit_defaults(
        ctx.services, actor.workspace_id, actor.member_id, tz=actor.tz,
        slack_user_id=actor.slack_user_id, negotiation_id=None,
    )  # fmt: skip
    try:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=commit_view(defaults))
    except SLACK_FAILURES as error:
        form_did_not_open(ctx.respond, ctx.client, ctx.command, "commit form", error, again=ctx.again)
