"""Uploading a digest chart with Slack's current file flow, from the clock process.

``files.getUploadURLExternal`` → POST the bytes to the URL it returns → ``files.completeUploadExternal``
(slack-sdk's ``files_upload_v2`` makes exactly these three calls). No channel is given, so the file
stays private to the bot; the digest shows it with an image block that references it by id
(``slack_file``), which Slack allows because the bot that posts the blocks owns the file.

Calls go through the scheduler's :class:`~bot.delivery.gateway.SlackGateway`: its token lookup and its
pacer (waits happen on the clock's thread, never a request's). A 429 holds the pacer for
``Retry-After`` and is reported as transient, like any network failure; other Slack errors
(``missing_scope`` without ``files:write``, ``invalid_auth`` …) are permanent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.delivery.gateway import TRANSIENT_ERRORS, SlackGateway, Team, retry_after_of

UPLOAD_METHODS: Final = ("files.getUploadURLExternal", "files.completeUploadExternal")


class UploadFailed(Exception):
    """The chart could not be uploaded; ``transient`` says whether trying later may work."""

    def __init__(self, error: str, *, transient: bool) -> None:
        super().__init__(error)
        self.error = error
        self.transient = transient


@dataclass(frozen=True, slots=True)
class Uploaded:
    file_id: str


def upload_png(
    gateway: SlackGateway, team: Team, data: bytes, *, filename: str, title: str, alt_text: str
) -> Uploaded:
    """Upload ``data`` as a private PNG file; returns its id or raises :class:`UploadFailed`."""
    client = gateway.client_for(team)
    if client is None:
        raise UploadFailed("no_installation", transient=False)
    for method in UPLOAD_METHODS:
        wait = gateway.pacer.reserve(team.team_id, method)
        if wait > 0:
            gateway._wait(wait)  # the gateway's own (injectable) sleep, as for its other calls
    try:
        response = client.files_upload_v2(content=data, filename=filename, title=title, alt_txt=alt_text)
    except SlackApiError as error:
        name = str(error.response.get("error") or f"http_{error.response.status_code}")
        if error.response.status_code == 429 or name == "ratelimited":
            retry = retry_after_of(error.response.headers)
            for method in UPLOAD_METHODS:
                gateway.pacer.hold(team.team_id, method, None, retry)
            raise UploadFailed("ratelimited", transient=True) from None
        transient = error.response.status_code >= 500 or name in TRANSIENT_ERRORS
        raise UploadFailed(name, transient=transient) from None
    except (SlackClientError, OSError) as error:
        raise UploadFailed(f"{type(error).__name__}: {error}"[:200], transient=True) from None
    file = response.get("file") or {}
    if not file and isinstance(response.get("files"), list) and response["files"]:
        file = response["files"][0]
    file_id = file.get("id") if isinstance(file, dict) else None
    if not isinstance(file_id, str) or not file_id:
        raise UploadFailed("no file id in the answer", transient=True)
    return Uploaded(file_id)
