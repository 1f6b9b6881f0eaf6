"""`/negotiate commitments`: the member's open commitments and those owed to them (ephemeral)."""

from __future__ import annotations

from bot.flows.commitments import list_commitments
from bot.flows.commitments_presenter import list_message
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    listing = list_commitments(ctx.services, ctx.actor.workspace_id, ctx.actor.member_id)
    ctx.respond(response_type="ephemeral", **list_message(listing).as_kwargs())
