"""`/negotiate <subcommand>`: routes to the subcommand; help for empty, `help` and unknown ones."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.services import Services
from bot.subcommands import HELP, SUBCOMMANDS, find_subcommand, parse_command_text
from templates import render_message


class NegotiateCommand:
    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(self, ack: Ack, command: dict[str, Any]) -> None:
        name, _args = parse_command_text(command.get("text"))
        subcommand = find_subcommand(name)
        if subcommand is None or subcommand is HELP:
            # The help reply rides on the ack itself: instant, and it works in any channel or DM
            # without the bot being a member.
            unknown = None if subcommand is HELP else name
            ack(response_type="ephemeral", **render_help(command.get("command", "/negotiate"), unknown))
            return
        ack()  # pragma: no cover - no subcommand besides help exists yet


def render_help(command_name: str, unknown: str | None = None) -> dict[str, Any]:
    message = render_message(
        "messages/help",
        command=command_name,
        unknown=unknown,
        commands=[(sub.name, sub.args, sub.description) for sub in SUBCOMMANDS],
    )
    return {"text": message.text, "blocks": message.blocks}
