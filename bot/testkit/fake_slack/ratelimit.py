"""Slack's per-method rate limits as token buckets on an injectable clock.

The numbers come from ``shared/slack-platform.md``: tiers per method, per workspace, per app; and the
special ``chat.postMessage`` limit of about one message per second per channel (short bursts allowed)
with several hundred per minute per workspace (we plan for 300). Slack does not publish burst sizes, so
a tier's bucket holds one minute's allowance and a channel's holds :data:`CHANNEL_BURST` messages.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

TIER_PER_MINUTE: Final = {1: 1, 2: 20, 3: 50, 4: 100}
METHOD_TIERS: Final = {
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "chat.delete": 3,
    "chat.scheduleMessage": 3,
    "conversations.open": 3,
    "users.info": 4,
    "dnd.info": 3,
    "views.open": 4,
    "views.push": 4,
    "views.update": 4,
    "views.publish": 4,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
    "files.info": 4,
}  # auth.test is "special" and in practice not limited; other methods fall back to DEFAULT_TIER
DEFAULT_TIER: Final = 3
CHANNEL_PER_SECOND: Final = 1.0  # chat.postMessage, per channel
CHANNEL_BURST: Final = 3  # "short bursts allowed": an assumption, Slack gives no number
WORKSPACE_POST_PER_MINUTE: Final = 300  # chat.postMessage, per workspace
UNLIMITED: Final = frozenset({"auth.test"})


@dataclass
class TokenBucket:
    """``capacity`` tokens refilled at ``rate`` per second; one call takes one token."""

    capacity: float
    rate: float
    tokens: float
    updated: float

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0 if one is available now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class RateLimiter:
    """Decides whether a call is over Slack's limit; answers the ``Retry-After`` seconds if it is."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, ...], TokenBucket] = {}

    def _bucket(self, key: tuple[str, ...], per_second: float, capacity: float) -> TokenBucket:
        if key not in self._buckets:
            self._buckets[key] = TokenBucket(capacity, per_second, capacity, self._clock())
        return self._buckets[key]

    def buckets_for(self, team_id: str, method: str, channel_id: str | None) -> list[TokenBucket]:
        """The buckets one call draws from (both channel and workspace for ``chat.postMessage``)."""
        if method in UNLIMITED:
            return []
        if method == "chat.postMessage":
            workspace = self._bucket(
                (team_id, method), WORKSPACE_POST_PER_MINUTE / 60, WORKSPACE_POST_PER_MINUTE
            )
            if channel_id is None:
                return [workspace]
            return [self._bucket((team_id, method, channel_id), CHANNEL_PER_SECOND, CHANNEL_BURST), workspace]
        per_minute = TIER_PER_MINUTE[METHOD_TIERS.get(method, DEFAULT_TIER)]
        return [self._bucket((team_id, method), per_minute / 60, per_minute)]

    def check(self, team_id: str, method: str, channel_id: str | None = None) -> int | None:
        """Take a token from every bucket, or none and return ``Retry-After`` (whole seconds, ≥ 1)."""
        buckets = self.buckets_for(team_id, method, channel_id)
        now = self._clock()
        wait = max((b.wait(now) for b in buckets), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.take()
        return None
