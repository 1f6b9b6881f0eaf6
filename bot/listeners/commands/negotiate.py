"""`/negotiate <subcommand>`: routes to the subcommand; help for empty, `help` and unknown ones.

:data:`HANDLERS` is the subcommand table: each feature adds its :class:`~bot.subcommands.Subcommand`
to ``SUBCOMMANDS`` and its handler here (a test checks both ways). The router acks at once (Slack's
3-second limit), then calls the handler with the member the middleware resolved; the handler opens a
modal with the trigger id or replies with ``respond`` (ephemeral, and it works in any channel because
it goes through the command's response_url).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.style_notifier import offer_assessment
from bot.listeners.commands import (
    commit,
    commitments,
    counterparts,
    debrief,
    digest,
    my_data,
    playbook,
    prep,
    review,
    settings,
    style,
    team,
    trade,
)
from bot.services import Services
from bot.subcommands import HELP, SUBCOMMANDS, CommandContext, find_subcommand, parse_command_text
from templates import app_text, render_message

__all__ = ["HANDLERS", "CommandContext", "handle", "render_help"]

SubcommandHandler = Callable[[CommandContext], None]

# name → handler; every name here must also be in SUBCOMMANDS (a test checks both ways).
HANDLERS: dict[str, SubcommandHandler] = {
    "prep": prep.handle,
    "debrief": debrief.handle,
    "style": style.handle,
    "commit": commit.handle,
    "commitments": commitments.handle,
    "trade": trade.handle,
    "team": team.handle,
    "digest": digest.handle,
    "my-data": my_data.handle,
    "counterparts": counterparts.handle,
    "review": review.handle,
    "settings": settings.handle,
    "playbook": playbook.handle,
}


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    name, args = parse_command_text(body.get("text"))
    subcommand = find_subcommand(name)
    handler = HANDLERS.get(name)
    if subcommand is None or subcommand is HELP or handler is None:
        # The help reply rides on the ack itself: instant, and it works in any channel or DM
        # without the bot being a member.
        unknown = None if subcommand is not None else name
        ack(response_type="ephemeral", **render_help(body.get("command", "/negotiate"), unknown))
        return
    ack()
    assert respond is not None, "a slash command always has a response_url"
    actor = edge.actor(context)
    handler(
        CommandContext(
            respond=respond, client=client, services=services, actor=actor, name=name, args=args, command=body
        )
    )
    offer_assessment(services, client, actor, name)  # first contact: once, after the reply


def render_help(command_name: str, unknown: str | None = None) -> dict[str, Any]:
    message = render_message(
        "messages/help",
        command=command_name,
        unknown=unknown,
        commands=[(sub.name, sub.args, app_text(sub.description)) for sub in SUBCOMMANDS],
    )
    return message.as_kwargs()
