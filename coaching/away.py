"""Whether a member is away (on vacation, ill, out of office), from their Slack status.

A status counts as away when its emoji or its text matches one of the playbook's ``away_statuses``
(an emoji marker such as ``:palm_tree:`` matches the status emoji; a word or phrase such as "OOO"
matches the status text as whole words, any case). A status that has expired counts for nothing.
Pure: the status and the instant are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Away:
    """Away, until ``until`` (None: the status has no end set, so ask again later)."""

    until: datetime | None
    reason: str


def _is_emoji(marker: str) -> bool:
    return len(marker) > 2 and marker.startswith(":") and marker.endswith(":")


def away_from(status: Mapping[str, Any] | None, markers: Iterable[str], now: datetime) -> Away | None:
    """The member's absence as their cached Slack status says (``{text, emoji, expiration}``)."""
    if not status:
        return None
    text = str(status.get("text") or "")
    emoji = str(status.get("emoji") or "").strip().lower()
    expiration = status.get("expiration")
    until: datetime | None = None
    if isinstance(expiration, int) and not isinstance(expiration, bool) and expiration > 0:
        until = datetime.fromtimestamp(expiration, tz=UTC)
        if until <= now:
            return None
    for marker in markers:
        marker = marker.strip()
        if not marker:
            continue
        if _is_emoji(marker):
            if emoji == marker.lower():
                return Away(until, marker)
        elif re.search(rf"(?<!\w){re.escape(marker)}(?!\w)", text, flags=re.IGNORECASE):
            return Away(until, marker)
    return None
