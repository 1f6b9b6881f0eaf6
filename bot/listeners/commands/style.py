"""`/negotiate style`: open the style assessment (first sitting or a retake)."""

from __future__ import annotations

from bot import edge
from bot.flows.style import AssessmentOrigin
from bot.flows.style_notifier import open_assessment
from bot.messaging import SLACK_FAILURES
from bot.replies import form_did_not_open
from bot.subcommands import CommandContext


def handle(ctx: CommandContext) -> None:
    origin = AssessmentOrigin.of(edge.response_url(ctx.command))
    try:
        open_assessment(ctx.client, ctx.trigger_id, ctx.actor.style, origin)
    except SLACK_FAILURES as error:
        form_did_not_open(ctx.respond, ctx.client, ctx.command, "assessment", error, again=ctx.again)
