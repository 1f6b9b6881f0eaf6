"""A playbook shared with Parley as a file in its DM (a ``file_share`` message): look it up
with ``files.info`` and read it with the bot token (both need ``files:read``), check it like a pasted
one, and answer in the DM with every problem or the diff summary and Apply/Discard buttons.

Only files Slack itself serves are fetched: the download URL must be on ``files.slack.com`` or on
the host of ``SLACK_API_URL`` (the playground's and the tests' fake Slack), so a forged event cannot
make Parley fetch an arbitrary URL with its token.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from slack_sdk import WebClient

from bot.flows import admin_playbook as flow
from bot.flows.admin_playbook_presenter import PlaybookRef
from bot.members import Actor
from bot.messaging import SLACK_FAILURES, post_dm, slack_error
from bot.services import Services
from templates import Message, escape_mrkdwn, render_message, trusted

logger = logging.getLogger(__name__)
SLACK_FILE_HOST = "files.slack.com"
MAX_LINES_SHOWN = 40
DOWNLOAD_TIMEOUT_SECONDS = 10


def playbook_files(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The ``.toml`` files of a ``file_share`` message event (none for anything else)."""
    if event.get("subtype") != "file_share" or event.get("bot_id"):
        return []
    files = event.get("files")
    if not isinstance(files, list):
        return []
    return [f for f in files if isinstance(f, Mapping) and str(f.get("name", "")).lower().endswith(".toml")]


def _allowed(url: str, api_url: str) -> bool:
    parts = urlsplit(url)
    hosts = {SLACK_FILE_HOST, urlsplit(api_url).netloc}
    return (
        parts.scheme in ("https", "http")
        and parts.netloc in hosts
        and (parts.scheme == "https" or parts.netloc != SLACK_FILE_HOST)
    )


def read_file(url: str, token: str, api_url: str) -> str | None:
    """The file's text (UTF-8), or None when it cannot be fetched or is too large."""
    if not _allowed(url, api_url):
        logger.warning("refusing to fetch a shared file from %s", urlsplit(url).netloc)
        return None
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            if response.status != 200:
                return None
            data = response.read(flow.MAX_PLAYBOOK_BYTES + 1)
    except OSError as error:
        logger.warning("could not download a shared playbook: %s", type(error).__name__)
        return None
    if len(data) > flow.MAX_PLAYBOOK_BYTES:
        return ""
    return data.decode("utf-8", "replace")


def answer(
    services: Services, client: WebClient, actor: Actor, file: Mapping[str, Any], token: str
) -> Message:
    """Check one shared file and say what happened (nothing changes until Apply)."""
    name = str(file.get("name") or "playbook.toml")[:120]
    if not actor.is_admin:
        return render_message(
            "messages/playbook_upload", filename=name, problems=[], draft=None,
            refusal="Only workspace admins can upload a playbook; ask one of them to share it.",
        )  # fmt: skip
    text = None
    try:  # the file as Slack has it (not the event's copy): its team's, and its download URL
        found = client.files_info(file=str(file.get("id") or ""))["file"]
    except SLACK_FAILURES as error:
        logger.warning("files.info failed for a shared playbook: %s", slack_error(error))
    else:
        url = str(found.get("url_private_download") or found.get("url_private") or "")
        text = read_file(url, token, services.settings.slack_api_url) if url else None
    if text is None:
        return render_message(
            "messages/playbook_upload", filename=name, problems=[], draft=None,
            refusal=trusted(
                f"Parley couldn't read {escape_mrkdwn(name)}: share it again, "
                "or paste it in `/negotiate playbook`."
            ),
        )  # fmt: skip
    result = flow.upload(services, actor, text, name)
    if isinstance(result, flow.Problems):
        shown = list(result.problems[:MAX_LINES_SHOWN])
        if len(result.problems) > MAX_LINES_SHOWN:
            shown.append(f"…and {len(result.problems) - MAX_LINES_SHOWN} more")
        return render_message(
            "messages/playbook_upload", filename=name, problems=shown, draft=None, refusal=""
        )
    draft = {"ref": asdict(PlaybookRef(result.id)), "name": result.name, "summary": list(result.summary)}
    return render_message("messages/playbook_upload", filename=name, problems=[], draft=draft, refusal="")


def reply_to_shared_playbook(
    services: Services, client: WebClient, actor: Actor, event: Mapping[str, Any], token: str
) -> bool:
    """Answer each shared ``.toml`` in the DM; whether the event carried one."""
    files = playbook_files(event)
    for file in files[:3]:
        message = answer(services, client, actor, file, token)
        try:
            post_dm(client, actor.slack_user_id, message)
        except SLACK_FAILURES as error:
            logger.warning("could not answer a shared playbook: %s", slack_error(error))
    return bool(files)
