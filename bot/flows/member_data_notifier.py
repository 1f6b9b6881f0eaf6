"""Sending a member's archive and the notes about data requests (the Slack half of
:mod:`bot.flows.member_data`): Slack's upload flow streamed from disk, and direct DMs that leave no
outbox row behind (an outbox row would keep naming a person after their erasure)."""

from __future__ import annotations

import logging
import urllib.request
from pathlib import Path
from typing import IO, Any, Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.messaging import open_dm
from bot.replies import notice

logger = logging.getLogger(__name__)

UPLOAD_CHUNK: Final = 64 * 1024
UPLOAD_TIMEOUT_SECONDS: Final = 120


class UploadError(Exception):
    """Slack refused or the upload could not be sent."""


def upload_file(
    client: WebClient, path: Path, *, filename: str, title: str, channel_id: str, comment: str
) -> str:
    """Slack's upload flow, streamed from disk: ``files.getUploadURLExternal`` (with the size), POST
    the file to the URL in chunks, then ``files.completeUploadExternal`` to share it in
    ``channel_id``. Returns the file id."""
    size = path.stat().st_size
    answer = client.files_getUploadURLExternal(filename=filename, length=size)
    upload_url, file_id = str(answer["upload_url"]), str(answer["file_id"])
    with path.open("rb") as stream:
        request = urllib.request.Request(
            upload_url,
            data=_chunks(stream),
            method="POST",
            headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"},
        )
        try:
            with urllib.request.urlopen(request, timeout=UPLOAD_TIMEOUT_SECONDS) as response:
                if response.status != 200:
                    raise UploadError(f"the upload URL answered {response.status}")
        except OSError as error:
            raise UploadError(f"could not send the file: {error}") from None
    client.files_completeUploadExternal(
        files=[{"id": file_id, "title": title}], channel_id=channel_id, initial_comment=comment
    )
    return file_id


def _chunks(stream: IO[bytes]) -> Any:
    while True:
        chunk = stream.read(UPLOAD_CHUNK)
        if not chunk:
            return
        yield chunk


def send_archive(client: WebClient, user_id: str, path: Path, *, filename: str, comment: str) -> str:
    """Upload the archive into ``user_id``'s DM with Parley; returns the file id."""
    channel = open_dm(client, user_id)
    return upload_file(
        client, path, filename=filename, title="Your data in Parley", channel_id=channel, comment=comment
    )


def tell(client: WebClient | None, user_id: str, title: str, body: str) -> None:
    """A direct DM note; best effort."""
    if client is None:
        return
    try:
        channel = open_dm(client, user_id)
        client.chat_postMessage(channel=channel, **notice(title, body, "info").as_kwargs())
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning("could not tell %s: %s", user_id, type(error).__name__)
