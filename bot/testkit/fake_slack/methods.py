"""One function per Slack Web API method, dispatched by name through :data:`METHODS`.

Each takes a :class:`Ctx` (the authenticated team, the parsed arguments, the workspace and the clocks)
and returns the success body without ``ok``, or raises :class:`SlackError` with Slack's error name.
Error names and response shapes follow Slack's documentation and slack-sdk's expectations; where Slack
documents nothing the choice is noted in the docstring.
"""

from __future__ import annotations

import base64
import copy
import json
import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from bot.testkit.blockkit import (
    BLOCKS_TOO_LONG,
    NO_FALLBACK_TEXT,
    NO_TEXT,
    VIEW_STACK_DEPTH,
    VIEW_TOO_LARGE,
    Problem,
    message_problems,
    view_problems,
)
from bot.testkit.fake_slack.scopes import EMAIL_SCOPE, METHOD_SCOPES
from bot.testkit.fake_slack.state import (
    RESPONSE_URL_TTL,
    RESPONSE_URL_USES,
    TRIGGER_TTL,
    Channel,
    ResponseUrl,
    Team,
    Trigger,
    UploadedFile,
    User,
    ViewRecord,
    Workspace,
)

MAX_MPIM_USERS: Final = 8
USERS_LIST_MAX: Final = 1_000  # the largest page users.list answers


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


def _channel(ctx: Ctx, channel_id: Any) -> Channel:
    channel = ctx.ws.resolve_channel(ctx.team, channel_id, ctx.wall) if isinstance(channel_id, str) else None
    if channel is None:
        raise SlackError("channel_not_found")
    if not channel.bot_member:
        raise SlackError("not_in_channel")
    return channel


def _user(ctx: Ctx, user_id: Any, error: str = "user_not_found") -> User:
    user = ctx.ws.users.get(user_id) if isinstance(user_id, str) else None
    if user is None or user.team_id != ctx.team.id:
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


def _with_block_ids(ws: Workspace, blocks: Any) -> list[Any]:
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
        message["blocks"] = _with_block_ids(ctx.ws, blocks)
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


# ---------------------------------------------------------------------------------------------- auth, users


@method("auth.test")
def auth_test(ctx: Ctx) -> dict[str, Any]:
    team = ctx.team
    return {
        "url": f"https://{team.domain}.slack.com/",
        "team": team.name,
        "user": ctx.ws.users[team.bot_user_id].name,
        "team_id": team.id,
        "user_id": team.bot_user_id,
        "bot_id": team.bot_id,
        "app_id": team.app_id,
        "enterprise_id": team.enterprise_id,
        "is_enterprise_install": False,
    }


@method("users.info")
def users_info(ctx: Ctx) -> dict[str, Any]:
    user = _user(ctx, ctx.arg("user"))
    with_email = EMAIL_SCOPE in ctx.team.scopes
    body = user.to_slack(ctx.wall, with_email=with_email, app_id=ctx.team.app_id)
    if ctx.flag("include_locale"):
        body["locale"] = "en-US"
    return {"user": body}


@method("users.list")
def users_list(ctx: Ctx) -> dict[str, Any]:
    """The team's members (bots included, as Slack lists them), ``limit`` at a time with a ``next_cursor``.

    ``profile.email`` only with ``users:read.email``, like ``users.info``. The cursor here is an offset
    in a string; Slack's cursors are opaque, so callers only ever pass back what they were given.
    """
    try:
        limit = int(ctx.arg("limit") or 0) or USERS_LIST_MAX
        start = int(ctx.arg("cursor") or 0)
    except (TypeError, ValueError):
        raise SlackError("invalid_cursor") from None
    if limit < 0 or start < 0:
        raise SlackError("invalid_cursor")
    members = sorted((u for u in ctx.ws.users.values() if u.team_id == ctx.team.id), key=lambda u: u.id)
    page = members[start : start + min(limit, USERS_LIST_MAX)]
    with_email = EMAIL_SCOPE in ctx.team.scopes
    following = start + len(page)
    return {
        "members": [u.to_slack(ctx.wall, with_email=with_email, app_id=ctx.team.app_id) for u in page],
        "cache_ts": int(ctx.wall),
        "response_metadata": {"next_cursor": str(following) if following < len(members) else ""},
    }


@method("conversations.open")
def conversations_open(ctx: Ctx) -> dict[str, Any]:
    """A DM (one user) or a multi-person DM (2–8 users); the id is stable for the same people."""
    if ctx.arg("channel"):
        channel = _channel(ctx, ctx.arg("channel"))
        if not (channel.is_im or channel.is_mpim):
            raise SlackError("channel_not_found")
    else:
        raw = ctx.arg("users")
        ids = [u.strip() for u in raw.split(",") if u.strip()] if isinstance(raw, str) else []
        if not ids:
            raise SlackError("users_list_not_supplied")
        if len(ids) > MAX_MPIM_USERS:
            raise SlackError("too_many_users")
        users = [_user(ctx, user_id) for user_id in ids]
        if any(user.is_bot for user in users):
            raise SlackError("cannot_dm_bot")
        channel = ctx.ws.dm_channel(users[0], ctx.wall) if len(users) == 1 else _mpim(ctx, users)
    if not ctx.flag("return_im"):
        return {"channel": {"id": channel.id}}
    return {
        "channel": {
            "id": channel.id,
            "created": channel.created,
            "is_im": channel.is_im,
            "is_mpim": channel.is_mpim,
            "is_org_shared": False,
            "user": channel.user,
            "last_read": "0000000000.000000",
            "latest": None,
            "unread_count": 0,
            "unread_count_display": 0,
            "is_open": True,
            "priority": 0,
        }
    }


def _mpim(ctx: Ctx, users: list[User]) -> Channel:
    members = {u.id for u in users} | {ctx.team.bot_user_id}
    for channel in ctx.ws.channels.values():
        if channel.is_mpim and channel.members == members:
            return channel
    channel_id = ctx.ws.new_id("G")
    name = "mpdm-" + "--".join(sorted(u.name for u in users)) + "-1"
    channel = Channel(channel_id, ctx.team.id, name, is_mpim=True, is_private=True, members=members)
    channel.created = int(ctx.wall)
    ctx.ws.channels[channel_id] = channel
    ctx.ws.messages[channel_id] = []
    return channel


# ---------------------------------------------------------------------------------------------- chat


@method("chat.postMessage")
def chat_post_message(ctx: Ctx) -> dict[str, Any]:
    channel = _channel(ctx, ctx.arg("channel"))
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
    channel = _channel(ctx, ctx.arg("channel"))
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
    channel = _channel(ctx, ctx.arg("channel"))
    message = ctx.ws.find_message(channel.id, ctx.arg("ts")) if isinstance(ctx.arg("ts"), str) else None
    if message is None:
        raise SlackError("message_not_found")
    return channel, message


@method("chat.update")
def chat_update(ctx: Ctx) -> dict[str, Any]:
    """Omitted ``blocks`` keep the old ones (Slack's rule); ``blocks=[]`` removes them."""
    channel, message = _posted(ctx)
    blocks, text = ctx.arg("blocks"), ctx.arg("text")
    check_message(blocks if blocks != [] else None, text, has_attachments=bool(ctx.arg("attachments")))
    message["text"] = text or ""
    if blocks is not None:
        message["blocks"] = _with_block_ids(ctx.ws, blocks)
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
    channel = _channel(ctx, ctx.arg("channel"))
    user = _user(ctx, ctx.arg("user"), error="user_not_in_channel")
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


# ---------------------------------------------------------------------------------------------- views


def _view_arg(ctx: Ctx, kind: str) -> dict[str, Any]:
    """The ``view`` argument, validated; Slack answers view schema errors with ``invalid_arguments``."""
    view = ctx.args.get("view")
    if view is None or view == "":
        raise invalid("invalid_arguments", ["missing required field: view [json-pointer:/view]"])
    if not isinstance(view, dict):
        raise invalid("invalid_arguments", ["expected a JSON object [json-pointer:/view]"])
    problems = view_problems(view)
    if any(p.code == VIEW_TOO_LARGE for p in problems):
        raise SlackError("view_too_large")
    if view.get("type") != kind and not problems:
        problems = [Problem("/view/type", f"must be {kind!r} for this method")]
    if problems:
        raise invalid("invalid_arguments", problems)
    external_id = view.get("external_id")
    if external_id and any(
        r.view.get("external_id") == external_id and r.team_id == ctx.team.id for r in ctx.ws.views.values()
    ):
        raise SlackError("duplicate_external_id")
    return view


def _full_view(
    ctx: Ctx, view: dict[str, Any], view_id: str, root_id: str, previous_id: str | None
) -> dict[str, Any]:
    """The view as Slack returns it: the app's fields plus id, hash, state and ownership."""
    team = ctx.team
    return {
        "id": view_id,
        "team_id": team.id,
        "type": view["type"],
        "blocks": _with_block_ids(ctx.ws, view["blocks"]),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": ctx.ws.new_hash(ctx.wall),
        "title": copy.deepcopy(view.get("title")),
        "clear_on_close": view.get("clear_on_close", False),
        "notify_on_close": view.get("notify_on_close", False),
        "close": copy.deepcopy(view.get("close")),
        "submit": copy.deepcopy(view.get("submit")),
        "previous_view_id": previous_id,
        "root_view_id": root_id,
        "app_id": team.app_id,
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": team.id,
        "bot_id": team.bot_id,
    }


def _exchange_trigger(ctx: Ctx) -> Trigger:
    """A valid ``trigger_id``; the caller marks it used only once the view is accepted."""
    trigger_id = ctx.arg("trigger_id") or ctx.arg("interactivity_pointer")
    trigger = ctx.ws.triggers.get(trigger_id) if isinstance(trigger_id, str) else None
    if trigger is None or trigger.team_id != ctx.team.id:
        raise SlackError("invalid_trigger_id")
    if trigger.used:
        raise SlackError("exchanged_trigger_id")
    if ctx.clock() - trigger.issued_at >= TRIGGER_TTL:
        raise SlackError("expired_trigger_id")
    return trigger


def _close_stack(ws: Workspace, user_id: str) -> None:
    for view_id in ws.stack(user_id):
        ws.views.pop(view_id, None)
    ws.stacks[user_id] = []


@method("views.open")
def views_open(ctx: Ctx) -> dict[str, Any]:
    """Opening a modal replaces whatever modal the user had open."""
    trigger = _exchange_trigger(ctx)
    view = _view_arg(ctx, "modal")
    trigger.used, user_id = True, trigger.user_id
    _close_stack(ctx.ws, user_id)
    view_id = ctx.ws.new_id("V")
    full = _full_view(ctx, view, view_id, view_id, None)
    ctx.ws.views[view_id] = ViewRecord(full, user_id, ctx.team.id)
    ctx.ws.stacks[user_id] = [view_id]
    return {"view": full}


@method("views.push")
def views_push(ctx: Ctx) -> dict[str, Any]:
    """At most :data:`VIEW_STACK_DEPTH` views in a stack: the root plus two pushed (Slack's docs)."""
    trigger = _exchange_trigger(ctx)
    stack = ctx.ws.stack(user_id := trigger.user_id)
    if not stack:
        raise SlackError("not_found")
    if len(stack) >= VIEW_STACK_DEPTH:
        raise SlackError("push_limit_reached")
    view = _view_arg(ctx, "modal")
    trigger.used = True
    view_id = ctx.ws.new_id("V")
    full = _full_view(ctx, view, view_id, stack[0], stack[-1])
    ctx.ws.views[view_id] = ViewRecord(full, user_id, ctx.team.id)
    stack.append(view_id)
    return {"view": full}


@method("views.update")
def views_update(ctx: Ctx) -> dict[str, Any]:
    view_id, external_id = ctx.arg("view_id"), ctx.arg("external_id")
    record = ctx.ws.views.get(view_id) if isinstance(view_id, str) else None
    if record is None and external_id:
        record = next(
            (
                r
                for r in ctx.ws.views.values()
                if r.view["external_id"] == external_id and r.team_id == ctx.team.id
            ),
            None,
        )
    if record is None or record.team_id != ctx.team.id:
        raise SlackError("not_found")
    if ctx.arg("hash") and ctx.arg("hash") != record.view["hash"]:
        raise SlackError("hash_conflict")
    old = record.view
    ctx.ws.views.pop(old["id"])  # so its own external_id does not count as a duplicate
    try:
        view = _view_arg(ctx, old["type"])
    finally:
        ctx.ws.views[old["id"]] = record
    record.view = _full_view(ctx, view, old["id"], old["root_view_id"], old["previous_view_id"])
    return {"view": record.view}


@method("views.publish")
def views_publish(ctx: Ctx) -> dict[str, Any]:
    """An unknown ``user_id`` is ``invalid_arguments`` with "invalid `user_id`", as Slack's docs show."""
    user_id = ctx.arg("user_id")
    user = ctx.ws.users.get(user_id) if isinstance(user_id, str) else None
    if user is None or user.team_id != ctx.team.id or user.is_bot:
        raise invalid("invalid_arguments", ["invalid `user_id`"])
    current = ctx.ws.views.get(ctx.ws.homes.get(user.id, ""))
    if current is not None and ctx.arg("hash") and ctx.arg("hash") != current.view["hash"]:
        raise SlackError("hash_conflict")
    if current is not None:
        ctx.ws.views.pop(current.view["id"])
    try:
        view = _view_arg(ctx, "home")
    finally:
        if current is not None:
            ctx.ws.views[current.view["id"]] = current
    view_id = current.view["id"] if current else ctx.ws.new_id("V")
    full = _full_view(ctx, view, view_id, view_id, None)
    ctx.ws.views[view_id] = ViewRecord(full, user.id, ctx.team.id)
    ctx.ws.homes[user.id] = view_id
    return {"view": full}


# ---------------------------------------------------------------------------------------------- files


@method("files.getUploadURLExternal")
def files_get_upload_url_external(ctx: Ctx) -> dict[str, Any]:
    filename, length = ctx.arg("filename"), ctx.arg("length")
    if not filename or length is None:
        raise invalid("invalid_arguments", ["missing required field: filename or length"])
    try:
        size = int(length)
    except (TypeError, ValueError):
        raise invalid("invalid_arguments", ["length must be an integer"]) from None
    if size <= 0:
        raise SlackError("missing_argument")
    file_id = ctx.ws.new_id("F")
    ctx.ws.files[file_id] = UploadedFile(
        file_id, ctx.team.id, str(filename), size, ctx.arg("alt_txt"), ctx.arg("snippet_type")
    )
    return {"upload_url": f"{ctx.base_url}/upload/v1/{file_id}", "file_id": file_id}


def accept_upload(ws: Workspace, file_id: str, data: bytes) -> tuple[int, str]:
    """The upload URL's answer (plain text, like files.slack.com): ``OK - <bytes>``."""
    upload = ws.files.get(file_id)
    if upload is None or upload.completed:
        return 404, "file_not_found"
    upload.content = data
    return 200, f"OK - {len(data)}"


def _file_object(ctx: Ctx, upload: UploadedFile) -> dict[str, Any]:
    mimetype = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
    return {
        "id": upload.id,
        "created": int(ctx.wall),
        "timestamp": int(ctx.wall),
        "name": upload.filename,
        "title": upload.title or upload.filename,
        "mimetype": mimetype,
        "filetype": upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "binary",
        "user": ctx.team.bot_user_id,
        "user_team": ctx.team.id,
        "size": len(upload.content or b""),
        "is_external": False,
        "url_private": f"{ctx.base_url}/files/{upload.id}/{upload.filename}",
        "channels": list(upload.channels),
    }


@method("files.completeUploadExternal")
def files_complete_upload_external(ctx: Ctx) -> dict[str, Any]:
    """Shares the files in ``channel_id``/``channels`` as one message (Slack does that asynchronously)."""
    files = ctx.arg("files")
    if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
        raise invalid("invalid_arguments", ["files must be a JSON array of {id, title} objects"])
    uploads = [ctx.ws.files.get(f.get("id")) if isinstance(f.get("id"), str) else None for f in files]
    if any(u is None or u.team_id != ctx.team.id or u.content is None or u.completed for u in uploads):
        raise SlackError("file_not_found")
    channel_ids = [c for c in str(ctx.arg("channels") or "").split(",") if c]
    if ctx.arg("channel_id"):
        channel_ids.insert(0, ctx.arg("channel_id"))
    channels = [_channel(ctx, channel_id) for channel_id in channel_ids]
    done: list[UploadedFile] = [u for u in uploads if u is not None]
    for spec, upload in zip(files, done, strict=True):
        upload.title = spec.get("title") or upload.filename
        upload.completed = True
        upload.channels = [c.id for c in channels]
    objects = [_file_object(ctx, u) for u in done]
    for channel in channels:
        message = bot_message(ctx, ctx.arg("initial_comment"), None, ctx.ws.new_ts(ctx.wall))
        message |= {"files": copy.deepcopy(objects), "upload": True}
        post(ctx, channel, message, ctx.arg("thread_ts"))
    return {"files": objects}


# ---------------------------------------------------------------------------------------------- response_url


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
    if ctx.flag("delete_original"):
        if original is not None:
            ctx.ws.messages[channel.id].remove(original)
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
            original["blocks"] = _with_block_ids(ctx.ws, blocks)
        return 200, "ok"
    message = bot_message(ctx, text, blocks, ctx.ws.new_ts(ctx.wall))
    if ctx.arg("response_type") == "in_channel":
        post(ctx, channel, message, ctx.arg("thread_ts"))
    else:
        ctx.ws.ephemerals.append(message | {"channel": channel.id, "recipient": hook.user_id})
    return 200, "ok"
