"""`/negotiate digest [team | org | weekly | fortnightly | off | quiet skip | quiet send]`.

Shows the member's digest for the week so far (or their team's, or the organisation's) ephemerally
where they typed the command, or records how often they want the weekly one.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.flows.digests import (
    USAGE,
    DigestRefused,
    DigestRequest,
    change_settings,
    parse_request,
    preview_digest,
)
from bot.playbook import current_playbook
from templates import render_message

if TYPE_CHECKING:  # the router imports this module; importing it back at run time would be circular
    from bot.listeners.commands.negotiate import CommandContext

logger = logging.getLogger(__name__)
PREVIEWS = (DigestRequest.MINE, DigestRequest.TEAM, DigestRequest.ORG)


def digest_command(ctx: CommandContext) -> None:
    request = parse_request(ctx.args)
    if request is None:
        _notice(ctx, "warning", "That isn't a digest option", USAGE)
        return
    try:
        if request in PREVIEWS:
            message = preview_digest(
                ctx.services, ctx.actor, request, current_playbook(ctx.services.settings)
            )
            ctx.respond(response_type="ephemeral", **message.as_kwargs())
            return
        confirmation = change_settings(ctx.services, ctx.actor, request)
    except DigestRefused as refusal:
        _notice(ctx, "warning", "No digest to show", str(refusal))
        return
    except SQLAlchemyError:
        logger.exception("digest for %s failed", ctx.actor.slack_user_id)
        _notice(ctx, "error", "Parley couldn't read your data", "Try `/negotiate digest` again in a moment.")
        return
    _notice(ctx, "info", "Digest settings saved", confirmation)


def _notice(ctx: CommandContext, level: str, title: str, body: str) -> None:
    notice = render_message("messages/notice", level=level, title=title, body=body)
    ctx.respond(response_type="ephemeral", **notice.as_kwargs())
