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


DND_REASON = "Do Not Disturb"


def _stamp(value: object) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 1:
        return datetime.fromtimestamp(value, tz=UTC)
    return None


def dnd_from(cached: Mapping[str, Any] | None, now: datetime) -> Away | None:
    """The member's Do Not Disturb as last read from Slack's ``dnd.info`` (``{enabled, start, end,
    snooze_end}``, Unix seconds): away until the later of the snooze's end and the end of the DnD
    window they are in. Nothing known (never read, or Slack could not say) is not away: a nudge is
    never held back on a guess."""
    if not cached:
        return None
    ends: list[datetime] = []
    snooze_end = _stamp(cached.get("snooze_end"))
    if snooze_end is not None and snooze_end > now:
        ends.append(snooze_end)
    start, end = _stamp(cached.get("start")), _stamp(cached.get("end"))
    if cached.get("enabled") is True and start is not None and end is not None and start <= now < end:
        ends.append(end)
    return Away(max(ends), DND_REASON) if ends else None
