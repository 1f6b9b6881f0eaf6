"""Builders for the only mrkdwn control sequences templates may emit: mentions, channels, links, dates.

Each validates its input and returns ``Trusted`` text, so a template writes ``{{ mention(owner_id) }}``
and gets a live ``<@U123>`` while the same characters typed by a user arrive as ``&lt;@U123&gt;``.
Bad input raises ``ValueError``: an id or URL that does not look right is a bug upstream, and rendering
it as text would hide that.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from templates.escape import Trusted, escape_controls, escape_mrkdwn

__all__ = ["channel", "date", "link", "mention"]

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")
_DATE_FORMAT_FORBIDDEN = re.compile(r"[<>|^\x00-\x1f]")
# Characters that would end or split a <url|label> token are percent-encoded; & is mrkdwn-escaped.
_URL_TOKEN = str.maketrans({"|": "%7C", "<": "%3C", ">": "%3E", "&": "&amp;"})


def mention(user_id: str) -> Trusted:
    """``<@U123>`` for a Slack user id (U… or W… for Enterprise Grid)."""
    if not isinstance(user_id, str) or not _USER_ID.fullmatch(user_id):
        raise ValueError(f"not a Slack user id: {user_id!r}")
    return Trusted(f"<@{user_id}>")


def channel(channel_id: str) -> Trusted:
    """``<#C123>`` for a conversation id (C…, G… or D…); Slack shows the name the reader may see."""
    if not isinstance(channel_id, str) or not _CHANNEL_ID.fullmatch(channel_id):
        raise ValueError(f"not a Slack channel id: {channel_id!r}")
    return Trusted(f"<#{channel_id}>")


def _url(url: str) -> str:
    if not isinstance(url, str) or _URL_FORBIDDEN.search(url):
        raise ValueError(f"not a usable link URL: {url!r}")
    parts = urlsplit(url)
    if parts.scheme.lower() not in _URL_SCHEMES or not (parts.netloc or parts.scheme.lower() == "mailto"):
        raise ValueError(f"link URLs must be http(s) or mailto: {url!r}")
    return url.translate(_URL_TOKEN)


def link(url: str, label: str | None = None) -> Trusted:
    """``<url|label>``; the label is user-safe (escaped), the URL must be http(s) or mailto."""
    target = _url(url)
    if label is None or label == "":
        return Trusted(f"<{target}>")
    if not isinstance(label, str):
        raise ValueError(f"link label must be text, not {type(label).__name__}")
    return Trusted(f"<{target}|{escape_mrkdwn(label)}>")


def date(
    when: datetime | int | float,
    format: str = "{date_short_pretty} at {time}",
    fallback: str | None = None,
    url: str | None = None,
) -> Trusted:
    """``<!date^…>``: Slack shows ``when`` in each reader's own time zone; ``fallback`` for old clients.

    ``when`` is an aware ``datetime`` or Unix seconds. The default fallback is the UTC time, because a
    fallback in the server's zone would be wrong for almost everybody.
    """
    if isinstance(when, datetime):
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("date() needs an aware datetime; Parley keeps times in UTC")
        moment = when.astimezone(UTC)
    elif isinstance(when, int | float) and not isinstance(when, bool):
        moment = datetime.fromtimestamp(when, UTC)
    else:
        raise ValueError(f"date() takes a datetime or Unix seconds, not {type(when).__name__}")
    if not isinstance(format, str) or not format or _DATE_FORMAT_FORBIDDEN.search(format):
        raise ValueError(f"unusable date format: {format!r}")
    text = moment.strftime("%Y-%m-%d %H:%M UTC") if fallback is None else fallback
    suffix = f"^{_url(url)}" if url is not None else ""
    token = f"{int(moment.timestamp())}^{escape_controls(format)}{suffix}"
    return Trusted(f"<!date^{token}|{escape_controls(text)}>")
