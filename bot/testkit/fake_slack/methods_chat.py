"""Messages: ``chat.*``, ``conversations.history``/``replies`` and posts to a ``response_url``."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any, Final

from bot.testkit.fake_slack.methods import (
    Ctx,
    SlackError,
    bot_message,
    check_message,
    find_channel,
    find_user,
    method,
    post,
    with_block_ids,
)
from bot.testkit.fake_slack.state import RESPONSE_URL_TTL, RESPONSE_URL_USES, Channel, ResponseUrl


@method("chat.postMessage")
def chat_post_message(ctx: Ctx) -> dict[str, Any]:
    channel = find_channel(ctx, ctx.arg("channel"))
    blocks, text = ctx.arg("blocks"), ctx.arg("text")
    check_message(blocks, text, has_attachments=bool(ctx.arg("attachments")))
    metadata = message_metadata(ctx.arg("metadata"))
    message = bot_message(ctx, text, blocks, ctx.ws.new_ts(ctx.wall))
    if ctx.arg("attachments"):
        message["attachments"] = copy.deepcopy(ctx.arg("attachments"))
    if metadata is not None:
        message["metadata"] = metadata
    post(ctx, channel, message, ctx.arg("thread_ts"))
    return {"channel": channel.id, "ts": message["ts"], "message": message}


def message_metadata(raw: Any) -> dict[str, Any] | None:
    """Slack's ``metadata`` argument: an object (JSON bodies) or a JSON string (forms) holding a string
    ``event_type`` and an object ``event_payload``; anything else is refused as Slack refuses it."""
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise SlackError("invalid_metadata_format") from None
    if not isinstance(raw, dict):
        raise SlackError("invalid_metadata_format")
    event_type, payload = raw.get("event_type"), raw.get("event_payload")
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise SlackError("invalid_metadata_schema")
    return {"event_type": event_type, "event_payload": copy.deepcopy(payload)}


HISTORY_DEFAULT_LIMIT: Final = 100
HISTORY_MAX_LIMIT: Final = 999


@method("conversations.history")
def conversations_history(ctx: Ctx) -> dict[str, Any]:
    """Newest first, ``oldest``/``latest`` exclusive unless ``inclusive``, paged by ``limit`` and an
    opaque cursor; thread replies are left out and metadata only shows with ``include_all_metadata``.
    Its scope depends on the kind of conversation (``im:history`` for a DM): see ``scopes.py``."""
    channel = find_channel(ctx, ctx.arg("channel"))
    if not channel.is_im and (not channel.bot_member or not channel.has_member(ctx.team.bot_user_id)):
        raise SlackError("not_in_channel")  # a DM always has the bot in it
    limit = _history_number(ctx.arg("limit"), HISTORY_DEFAULT_LIMIT)
    limit = max(1, min(HISTORY_MAX_LIMIT, limit))
    inclusive = ctx.flag("inclusive")
    oldest, latest = _history_ts(ctx.arg("oldest")), _history_ts(ctx.arg("latest"))
    cursor = ctx.arg("cursor")
    if cursor is not None:
        try:
            latest, inclusive_latest = (
                float(base64.b64decode(cursor).decode().removeprefix("next_ts:")),
                False,
            )
        except ValueError:
            raise SlackError("invalid_cursor") from None
    else:
        inclusive_latest = inclusive

    def wanted(message: dict[str, Any]) -> bool:
        ts = float(message["ts"])
        if message.get("thread_ts") not in (None, message["ts"]):
            return False  # a reply: conversations.replies shows those
        if oldest is not None and (ts < oldest or (ts == oldest and not inclusive)):
            return False
        return latest is None or ts < latest or (ts == latest and inclusive_latest)

    found = sorted(
        (m for m in ctx.ws.messages.get(channel.id, []) if wanted(m)),
        key=lambda m: float(m["ts"]),
        reverse=True,
    )
    page, more = found[:limit], len(found) > limit
    messages = []
    for message in page:
        shown = copy.deepcopy(message)
        if not ctx.flag("include_all_metadata"):
            shown.pop("metadata", None)
        messages.append(shown)
    body: dict[str, Any] = {"messages": messages, "has_more": more, "pin_count": 0}
    next_cursor = base64.b64encode(f"next_ts:{page[-1]['ts']}".encode()).decode() if more else ""
    body["response_metadata"] = {"next_cursor": next_cursor}
    return body


REPLIES_DEFAULT_LIMIT: Final = 15
"""Slack's default and maximum for apps distributed outside the Marketplace (since May 2025)."""


@method("conversations.replies")
def conversations_replies(ctx: Ctx) -> dict[str, Any]:
    """A thread, oldest first: the message at ``ts`` (which must exist, else ``thread_not_found``) and
    its replies, up to ``limit``; metadata only with ``include_all_metadata``. No cursor paging here
    (``has_more`` says when the thread is longer). Same scopes as ``conversations.history``."""
    channel = find_channel(ctx, ctx.arg("channel"))
    if not channel.is_im and (not channel.bot_member or not channel.has_member(ctx.team.bot_user_id)):
        raise SlackError("not_in_channel")
    ts = ctx.arg("ts")
    if ts is None:
        raise SlackError("invalid_arguments")
    limit = max(1, min(REPLIES_DEFAULT_LIMIT, _history_number(ctx.arg("limit"), REPLIES_DEFAULT_LIMIT)))
    stored = ctx.ws.messages.get(channel.id, [])
    parent = next((m for m in stored if m["ts"] == str(ts)), None)
    if parent is None:
        raise SlackError("thread_not_found")
    thread = [parent] if parent.get("thread_ts") in (None, parent["ts"]) else []
    thread += sorted(
        (m for m in stored if m.get("thread_ts") == parent["ts"] and m["ts"] != parent["ts"]),
        key=lambda m: float(m["ts"]),
    )
    messages = []
    for message in thread[:limit]:
        shown = copy.deepcopy(message)
        if not ctx.flag("include_all_metadata"):
            shown.pop("metadata", None)
        messages.append(shown)
    return {"messages": messages, "has_more": len(thread) > limit, "response_metadata": {"next_cursor": ""}}


def _history_number(raw: Any, default: int) -> int:
    if raw is None:
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise SlackError("invalid_limit") from None


def _history_ts(raw: Any) -> float | None:
    if raw is None:
        return None
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise SlackError("invalid_ts_oldest") from None


def _posted(ctx: Ctx) -> tuple[Channel, dict[str, Any]]:
    """The channel and the message ``channel`` + ``ts`` name (Slack: ``message_not_found`` if none)."""
    channel = find_channel(ctx, ctx.arg("channel"))
    message = ctx.ws.find_message(channel.id, ctx.arg("ts")) if isinstance(ctx.arg("ts"), str) else None
    if message is None:
        raise SlackError("message_not_found")
    return channel, message


@method("chat.update")
def chat_update(ctx: Ctx) -> dict[str, Any]:
    """Omitted ``blocks`` keep the old ones (Slack's rule); ``blocks=[]`` removes them.

    As Slack: ``channel`` and ``ts`` must name an existing message (``message_not_found``), and a bot
    token may only edit its own app's messages (``cant_update_message``), never a person's or another
    app's; an ephemeral message has no ts to find (it is changed through its ``response_url``)."""
    channel, message = _posted(ctx)
    if message.get("bot_id") != ctx.team.bot_id or message.get("app_id") != ctx.team.app_id:
        raise SlackError("cant_update_message")
    blocks, text = ctx.arg("blocks"), ctx.arg("text")
    check_message(blocks if blocks != [] else None, text, has_attachments=bool(ctx.arg("attachments")))
    message["text"] = text or ""
    if blocks is not None:
        message["blocks"] = with_block_ids(ctx.ws, blocks)
        if not blocks:
            del message["blocks"]
    message["edited"] = {"user": ctx.team.bot_user_id, "ts": ctx.ws.new_ts(ctx.wall)}
    return {"channel": channel.id, "ts": message["ts"], "text": message["text"], "message": message}


@method("chat.delete")
def chat_delete(ctx: Ctx) -> dict[str, Any]:
    channel, message = _posted(ctx)
    ctx.ws.messages[channel.id].remove(message)
    return {"channel": channel.id, "ts": message["ts"]}


@method("chat.postEphemeral")
def chat_post_ephemeral(ctx: Ctx) -> dict[str, Any]:
    """Slack answers ``user_not_in_channel`` for an unknown user as well as for a non-member."""
    channel = find_channel(ctx, ctx.arg("channel"))
    user = find_user(ctx, ctx.arg("user"), error="user_not_in_channel")
    if not channel.has_member(user.id):
        raise SlackError("user_not_in_channel")
    blocks, text = ctx.arg("blocks"), ctx.arg("text")
    check_message(blocks, text, has_attachments=bool(ctx.arg("attachments")))
    ts = ctx.ws.new_ts(ctx.wall)
    ephemeral = bot_message(ctx, text, blocks, ts) | {"channel": channel.id, "recipient": user.id}
    if ctx.arg("thread_ts"):
        ephemeral["thread_ts"] = ctx.arg("thread_ts")
    ctx.ws.ephemerals.append(ephemeral)
    return {"message_ts": ts}


def respond(ctx: Ctx, hook: ResponseUrl) -> tuple[int, str]:
    """A POST to a ``response_url``: ephemeral by default, ``in_channel``, replace or delete the original.

    Answers are plain text like Slack's (``ok``, ``expired_url``, ``used_url``, ``invalid_blocks``);
    usable :data:`RESPONSE_URL_USES` times within :data:`RESPONSE_URL_TTL` seconds.
    """
    if ctx.clock() - hook.issued_at > RESPONSE_URL_TTL:
        return 404, "expired_url"
    if hook.uses >= RESPONSE_URL_USES:
        return 404, "used_url"
    hook.uses += 1
    channel = ctx.ws.channels[hook.channel_id]
    original = ctx.ws.find_message(channel.id, hook.message_ts) if hook.message_ts else None
    if original is None and hook.message_ts:
        # The click came from an ephemeral message: Slack replaces (or deletes) that one, for that user.
        original = next(
            (
                e
                for e in ctx.ws.ephemerals
                if e.get("ts") == hook.message_ts
                and e.get("channel") == channel.id
                and e.get("recipient") == hook.user_id
            ),
            None,
        )
    if ctx.flag("delete_original"):
        if original is not None:
            holder = (
                ctx.ws.messages[channel.id]
                if original in ctx.ws.messages.get(channel.id, [])
                else ctx.ws.ephemerals
            )
            holder.remove(original)
        return 200, "ok"
    blocks, text = ctx.arg("blocks"), ctx.arg("text")
    try:
        check_message(blocks, text)
    except SlackError as error:
        return 400, error.error
    if ctx.flag("replace_original") and original is not None:
        original |= {
            "text": text or "",
            "edited": {"user": ctx.team.bot_user_id, "ts": ctx.ws.new_ts(ctx.wall)},
        }
        original.pop("blocks", None)
        if blocks:
            original["blocks"] = with_block_ids(ctx.ws, blocks)
        return 200, "ok"
    message = bot_message(ctx, text, blocks, ctx.ws.new_ts(ctx.wall))
    if ctx.arg("response_type") == "in_channel":
        post(ctx, channel, message, ctx.arg("thread_ts"))
    else:
        ctx.ws.ephemerals.append(message | {"channel": channel.id, "recipient": hook.user_id})
    return 200, "ok"
