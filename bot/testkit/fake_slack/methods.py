"""One function per Slack Web API method, dispatched by name through :data:`METHODS`.

Handlers live in one module per API family (``methods_users``, ``methods_chat``, ``methods_views``,
``methods_files``), imported at the bottom of this one so the registry is complete whenever it is used.
Each takes a :class:`Ctx` (the authenticated team, the parsed arguments, the workspace and the clocks)
and returns the success body without ``ok``, or raises :class:`SlackError` with Slack's error name.
Error names and response shapes follow Slack's documentation and slack-sdk's expectations; where Slack
documents nothing the choice is noted in the docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.testkit.blockkit import BLOCKS_TOO_LONG, NO_FALLBACK_TEXT, NO_TEXT, Problem, message_problems
from bot.testkit.fake_slack.scopes import METHOD_SCOPES
from bot.testkit.fake_slack.state import Channel, Team, User, Workspace


class SlackError(Exception):
    """Slack's ``{"ok": false, "error": ...}``; ``extra`` carries detail fields (``needed``, ``errors``)."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class Ctx:
    """What a method sees: arguments, the team the token belongs to, state and time."""

    args: dict[str, Any]
    team: Team
    ws: Workspace
    clock: Callable[[], float]  # monotonic: trigger expiry
    wall: float  # wall-clock now: ts, hashes, time zone offsets
    base_url: str  # http://127.0.0.1:PORT, for upload URLs

    def arg(self, name: str) -> Any:
        """An argument, with Slack's reading of an empty string as absent."""
        value = self.args.get(name)
        return None if value == "" else value

    def flag(self, name: str) -> bool:
        return self.args.get(name) in (True, "true", "1", 1)


@dataclass(frozen=True)
class Method:
    handler: Callable[[Ctx], dict[str, Any]]


METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Callable[[Ctx], dict[str, Any]]], Any]:
    """Register a handler; its scope comes from :data:`METHOD_SCOPES` (Slack's reference), never from here."""
    if name not in METHOD_SCOPES:
        raise KeyError(f"{name}: add its scope from Slack's method reference to METHOD_SCOPES first")

    def register(handler: Callable[[Ctx], dict[str, Any]]) -> Callable[[Ctx], dict[str, Any]]:
        METHODS[name] = Method(handler)
        return handler

    return register


def invalid(error: str, problems: Iterable[Problem | str], *, errors_field: bool = False) -> SlackError:
    """Slack's validation failure: ``[ERROR] ...`` lines in ``response_metadata.messages``."""
    lines = [str(p) for p in problems]
    extra: dict[str, Any] = {"response_metadata": {"messages": [f"[ERROR] {line}" for line in lines]}}
    if errors_field:  # chat.* also lists them under "errors"
        extra["errors"] = lines
    return SlackError(error, **extra)


# ---------------------------------------------------------------------------------------------- helpers


def find_channel(ctx: Ctx, channel_id: Any) -> Channel:
    channel = ctx.ws.resolve_channel(ctx.team, channel_id, ctx.wall) if isinstance(channel_id, str) else None
    if channel is None:
        raise SlackError("channel_not_found")
    if not channel.bot_member:
        raise SlackError("not_in_channel")
    return channel


def find_user(ctx: Ctx, user_id: Any, error: str = "user_not_found") -> User:
    user = ctx.ws.users.get(user_id) if isinstance(user_id, str) else None
    if user is None or not ctx.ws.covers(ctx.team, user.team_id):
        raise SlackError(error)
    return user


def check_message(blocks: Any, text: Any, *, has_attachments: bool = False) -> None:
    """Slack's checks on message content, with Parley's stricter fallback-text rule."""
    if not isinstance(blocks, list | None):  # e.g. a JSON string that did not parse
        raise SlackError("invalid_blocks_format")
    problems = message_problems(blocks, text)
    if has_attachments:
        problems = [p for p in problems if p.code not in (NO_TEXT, NO_FALLBACK_TEXT)]
    if any(p.code == NO_TEXT for p in problems):
        raise SlackError("no_text")
    if problems and all(p.code == BLOCKS_TOO_LONG for p in problems):
        raise SlackError("msg_blocks_too_long")
    if problems:
        raise invalid("invalid_blocks", problems, errors_field=True)


def with_block_ids(ws: Workspace, blocks: Any) -> list[Any]:
    """Slack fills in a ``block_id`` for blocks sent without one."""
    if not isinstance(blocks, list):
        return []
    # A new dict per block (the recorded call keeps what the app sent); what is inside is shared,
    # which is safe because nothing the fake does changes a block's contents afterwards.
    return [
        {**block, "block_id": ws.new_id("b")}
        if isinstance(block, dict) and "block_id" not in block
        else dict(block)
        if isinstance(block, dict)
        else block
        for block in blocks
    ]


def bot_message(ctx: Ctx, text: str | None, blocks: list[Any] | None, ts: str) -> dict[str, Any]:
    team = ctx.team
    message: dict[str, Any] = {
        "type": "message",
        "user": team.bot_user_id,
        "bot_id": team.bot_id,
        "app_id": team.app_id,
        "text": text or "",
        "team": team.id,
        "ts": ts,
    }
    if blocks:
        message["blocks"] = with_block_ids(ctx.ws, blocks)
    return message


def post(ctx: Ctx, channel: Channel, message: dict[str, Any], thread_ts: str | None) -> None:
    """Store a message; a reply also updates its parent's thread fields like Slack does."""
    if thread_ts:
        message["thread_ts"] = thread_ts
        parent = ctx.ws.find_message(channel.id, thread_ts)
        if parent is not None:
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = message["ts"]
            parent["reply_users"] = sorted({*parent.get("reply_users", []), message.get("user")})
    ctx.ws.messages.setdefault(channel.id, []).append(message)


# The families register themselves with @method on import; importing them here means whoever reads
# METHODS sees every handler. They import this module, so these imports come after its definitions.
from bot.testkit.fake_slack import methods_chat, methods_files, methods_users, methods_views  # noqa: E402
from bot.testkit.fake_slack.methods_chat import respond  # noqa: E402
from bot.testkit.fake_slack.methods_files import accept_upload  # noqa: E402

__all__ = [
    "METHODS",
    "Ctx",
    "Method",
    "SlackError",
    "accept_upload",
    "bot_message",
    "check_message",
    "find_channel",
    "find_user",
    "invalid",
    "method",
    "methods_chat",
    "methods_files",
    "methods_users",
    "methods_views",
    "post",
    "respond",
    "with_block_ids",
]
