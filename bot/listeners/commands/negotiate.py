"""`/negotiate <subcommand>`: routes to the subcommand; help for empty, `help` and unknown ones.

Each feature adds its :class:`~bot.subcommands.Subcommand` to ``SUBCOMMANDS`` and its handler to
:data:`HANDLERS`. The router acks at once (Slack's 3-second limit), records the member, then calls the
handler, which opens a modal with the trigger id or replies with ``respond`` (ephemeral, and it works in
any channel because it goes through the command's response_url).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.first_contact import offer_assessment
from bot.listeners.commands.commit import commit_command, commitments_command
from bot.listeners.commands.debrief_command import debrief_command
from bot.listeners.commands.digest_command import digest_command
from bot.listeners.commands.prep_command import prep_command
from bot.listeners.commands.style import style_command
from bot.listeners.commands.team_command import team_command
from bot.listeners.commands.trade_command import trade_command
from bot.members import Actor, resolve_actor
from bot.services import Services
from bot.subcommands import HELP, SUBCOMMANDS, find_subcommand, parse_command_text
from templates import render_message


@dataclass(frozen=True)
class CommandContext:
    respond: Respond
    client: WebClient
    services: Services
    actor: Actor
    args: str
    command: dict[str, Any]

    @property
    def channel_id(self) -> str:
        return str(self.command.get("channel_id", ""))

    @property
    def trigger_id(self) -> str:
        return str(self.command.get("trigger_id", ""))


SubcommandHandler = Callable[[CommandContext], None]

# name → handler; every name here must also be in SUBCOMMANDS (a test checks both ways).
HANDLERS: dict[str, SubcommandHandler] = {
    "prep": prep_command,
    "debrief": debrief_command,
    "style": style_command,
    "commit": commit_command,
    "commitments": commitments_command,
    "trade": trade_command,
    "team": team_command,
    "digest": digest_command,
}


class NegotiateCommand:
    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(
        self, ack: Ack, respond: Respond, command: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        name, args = parse_command_text(command.get("text"))
        subcommand = find_subcommand(name)
        handler = HANDLERS.get(name)
        if subcommand is None or subcommand is HELP or handler is None:
            # The help reply rides on the ack itself: instant, and it works in any channel or DM
            # without the bot being a member.
            unknown = None if subcommand is not None else name
            ack(response_type="ephemeral", **render_help(command.get("command", "/negotiate"), unknown))
            return
        ack()
        actor = resolve_actor(
            self.services,
            client,
            context.team_id or command["team_id"],
            command["user_id"],
            context.enterprise_id,
        )
        handler(
            CommandContext(
                respond=respond,
                client=client,
                services=self.services,
                actor=actor,
                args=args,
                command=command,
            )
        )
        offer_assessment(self.services, client, actor, name)  # first contact: once, after the reply


def render_help(command_name: str, unknown: str | None = None) -> dict[str, Any]:
    message = render_message(
        "messages/help",
        command=command_name,
        unknown=unknown,
        commands=[(sub.name, sub.args, sub.description) for sub in SUBCOMMANDS],
    )
    return message.as_kwargs()
