"""File uploads: the two-step external upload (``files.getUploadURLExternal``, then ``complete``)."""

from __future__ import annotations

import copy
import mimetypes
from typing import Any

from bot.testkit.fake_slack.methods import Ctx, SlackError, bot_message, find_channel, invalid, method, post
from bot.testkit.fake_slack.state import UploadedFile, Workspace

MAX_SHARE_CHANNELS = 100


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
    # Slack's reference: at most 100 channels, and a reply (thread_ts) goes to exactly one channel.
    if len(channel_ids) > MAX_SHARE_CHANNELS:
        raise invalid("invalid_arguments", [f"channels: at most {MAX_SHARE_CHANNELS}"])
    if ctx.arg("thread_ts") and len(channel_ids) != 1:
        raise invalid("invalid_arguments", ["thread_ts needs exactly one channel"])
    channels = [find_channel(ctx, channel_id) for channel_id in channel_ids]
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


@method("files.info")
def files_info(ctx: Ctx) -> dict[str, Any]:
    """A file of the caller's team (``file_not_found`` for another team's, like Slack)."""
    file_id = ctx.arg("file")
    if not file_id:
        raise SlackError("missing_argument")
    upload = ctx.ws.files.get(str(file_id))
    if upload is None or upload.team_id != ctx.team.id or not upload.completed:
        raise SlackError("file_not_found")
    return {
        "file": shared_file_object(upload, upload.shared_by or ctx.team.bot_user_id, ctx.base_url, ctx.wall)
    }


def shared_file_object(upload: UploadedFile, user_id: str, base_url: str, wall: float) -> dict[str, Any]:
    """A file a member shared, as the ``files`` of a ``file_share`` message event shows it."""
    mimetype = mimetypes.guess_type(upload.filename)[0] or "text/plain"
    stem = f"{base_url}/files-pri/{upload.team_id}-{upload.id}"
    return {
        "id": upload.id,
        "created": int(wall),
        "timestamp": int(wall),
        "name": upload.filename,
        "title": upload.title or upload.filename,
        "mimetype": mimetype,
        "filetype": upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "text",
        "user": user_id,
        "size": len(upload.content or b""),
        "mode": "hosted",
        "is_external": False,
        "url_private": f"{stem}/{upload.filename}",
        "url_private_download": f"{stem}/download/{upload.filename}",
    }


def download(ws: Workspace, path: str, token: str | None) -> tuple[int, bytes, str]:
    """``/files-pri/<team>-<file>/[download/]<name>``: (status, body, content type)."""
    parts = path.removeprefix("/files-pri/").split("/")
    team_id, _, file_id = parts[0].partition("-")
    team_of_token = ws.tokens.get(token or "") if token and token not in ws.revoked else None
    if team_of_token is None:
        return 302, b"sign in to Slack", "text/html"  # Slack redirects to its sign-in page
    if "files:read" not in ws.teams[team_of_token].scopes:
        return 403, b"missing_scope: files:read", "text/plain"
    upload = ws.files.get(file_id)
    if upload is None or upload.team_id != team_id or team_id != team_of_token or upload.content is None:
        return 404, b"file_not_found", "text/plain"
    return 200, upload.content, "application/octet-stream"
