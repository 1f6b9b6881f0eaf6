"""The `/negotiate` subcommands that exist, in the order help lists them.

Features add themselves here when they land, so help never advertises something that is not built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.members import Actor
from bot.services import Services
from templates import app_text


@dataclass(frozen=True)
class Subcommand:
    name: str
    args: str
    description: str


HELP = Subcommand("help", "", "Show what Parley can do and how to ask for it.")

SUBCOMMANDS: tuple[Subcommand, ...] = (
    HELP,
    Subcommand("prep", "[title]", "Prepare a negotiation: a plan written for your style and counterpart."),
    Subcommand("debrief", "", "Log how a negotiation went: what you gave, got and held, and what it cost."),
    Subcommand("style", "", "Take (or retake) the style assessment: find your negotiating style."),
    Subcommand("commit", "", "Record a commitment: who does what by when, with any conditions agreed."),
    Subcommand("commitments", "", "Your open commitments and those owed to you: done, snooze or cancel."),
    Subcommand("trade", "[negotiation]", "Propose a concession trade for approval; lists your open trades."),
    Subcommand("team", "", "Set who approves whose trades: your manager, or anyone's if you're an admin."),
    Subcommand(
        "digest",
        "[team | weekly | fortnightly | off | quiet skip]",
        "Your weekly digest for the week so far; `team` for your team's (`org`: the organisation's, for "
        "its owner and admins). `weekly`, `fortnightly` or `off` sets how often it comes; `quiet skip` "
        "skips quiet weeks (`quiet send` sends a short one).",
    ),
    Subcommand("my-data", "", "See what Parley holds about you; get a copy, or erase it."),
    Subcommand(
        "counterparts",
        "[merge 12 into 7 | unmerge 12 | rename 7 name | delete 7 | restore 7]",
        "Who you negotiate with, most recent first; admins merge, rename or delete them.",
    ),
    Subcommand("review", "", "Admins: the playbook review: what was used, how it ended, edits to make."),
    Subcommand(
        "settings",
        "",
        "Admins: the workspace's settings (hours, digests, approvals, data); others: your own. "
        "Enterprise Grid org admins: `settings org`.",
    ),
    Subcommand(
        "playbook",
        "",
        "Admins: the playbook in force; upload a new version, roll back, download. "
        "Grid org admins: `playbook org`.",
    ),
)


def parse_command_text(text: str | None) -> tuple[str, str]:
    """Split ``"prep Q3 renewal"`` into ``("prep", "Q3 renewal")``; empty text means help."""
    stripped = (text or "").strip()
    if not stripped:
        return HELP.name, ""
    name, *rest = stripped.split(maxsplit=1)
    return name.lower(), rest[0].strip() if rest else ""


def find_subcommand(name: str) -> Subcommand | None:
    return next((sub for sub in SUBCOMMANDS if sub.name == name), None)


@dataclass(frozen=True)
class CommandContext:
    """What a subcommand handler gets: the router has acked and knows the member."""

    respond: Respond
    client: WebClient
    services: Services
    actor: Actor
    name: str
    args: str
    command: dict[str, Any]

    @property
    def channel_id(self) -> str:
        return str(self.command.get("channel_id", ""))

    @property
    def trigger_id(self) -> str:
        return str(self.command.get("trigger_id", ""))

    @property
    def again(self) -> str:
        """How to retry this subcommand, for replies that ask for it."""
        return app_text(f"Run `/negotiate {self.name}` again.")
