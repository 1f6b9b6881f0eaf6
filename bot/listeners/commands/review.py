"""`/negotiate review`: the playbook review of the last 30 days, for admins; others get a refusal."""

from __future__ import annotations

from bot.flows.playbook_review import ReviewRefused, on_demand
from bot.playbook import playbook_of
from bot.replies import answer
from bot.subcommands import CommandContext
from templates import app_text


def handle(ctx: CommandContext) -> None:
    try:
        message = on_demand(ctx.services, ctx.actor, playbook_of(ctx.services, ctx.actor.workspace_id))
    except ReviewRefused as refusal:
        answer(
            ctx.respond, ctx.client, ctx.command, "The playbook review is for admins", app_text(str(refusal))
        )
        return
    ctx.respond(response_type="ephemeral", **message.as_kwargs())
