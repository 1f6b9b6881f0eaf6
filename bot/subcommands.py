"""The `/negotiate` subcommands that exist, in the order help lists them.

Features add themselves here when they land, so help never advertises something that is not built.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subcommand:
    name: str
    args: str
    description: str


HELP = Subcommand("help", "", "Show what Parley can do and how to ask for it.")

SUBCOMMANDS: tuple[Subcommand, ...] = (HELP,)


def parse_command_text(text: str | None) -> tuple[str, str]:
    """Split ``"prep Q3 renewal"`` into ``("prep", "Q3 renewal")``; empty text means help."""
    stripped = (text or "").strip()
    if not stripped:
        return HELP.name, ""
    name, *rest = stripped.split(maxsplit=1)
    return name.lower(), rest[0].strip() if rest else ""


def find_subcommand(name: str) -> Subcommand | None:
    return next((sub for sub in SUBCOMMANDS if sub.name == name), None)
