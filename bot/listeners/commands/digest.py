"""`/negotiate digest [team | org | weekly | fortnightly | off | quiet skip | quiet send]`.

Shows the member's digest for the week so far (or their team's, or the organisation's) ephemerally
where they typed the command, or records how often they want the weekly one. A database failure is
answered by the central error handler (``bot.errors``).
"""

from __future__ import annotations

from bot.digests.requests import (
    USAGE,
    DigestRefused,
    DigestRequest,
    change_settings,
    parse_request,
    preview_digest,
)
from bot.playbook import playbook_of
from bot.replies import answer
from bot.subcommands import CommandContext

PREVIEWS = (DigestRequest.MINE, DigestRequest.TEAM, DigestRequest.ORG)


def handle(ctx: CommandContext) -> None:
    request = parse_request(ctx.args)
    if request is None:
        answer(ctx.respond, ctx.client, ctx.command, "That isn't a digest option", USAGE)
        return
    try:
        if request in PREVIEWS:
            message = preview_digest(
                ctx.services, ctx.actor, request, playbook_of(ctx.services, ctx.actor.workspace_id)
            )
            ctx.respond(response_type="ephemeral", **message.as_kwargs())
            return
        confirmation = change_settings(ctx.services, ctx.actor, request)
    except DigestRefused as refusal:
        answer(ctx.respond, ctx.client, ctx.command, "No digest to show", refusal.why)
        return
    answer(ctx.respond, ctx.client, ctx.command, "Digest settings saved", confirmation, "info")
