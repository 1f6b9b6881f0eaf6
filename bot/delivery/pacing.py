"""Pacing outgoing Slack calls to Slack's documented limits, so delivery rarely meets a 429.

The limits (``shared/slack-platform.md``): ``chat.postMessage`` about one message per second per
channel and, for a workspace, "several hundred per minute" (we plan for 300); other methods by tier,
per method and workspace. Each limit is a GCRA schedule (a token bucket kept as one "theoretical
arrival time"): :meth:`Pacer.reserve` books the earliest moment every limit a call counts against
allows and returns it, so threads sharing a pacer never spend the same slot twice. A 429 is still
possible (another process shares the workspace's allowance); :meth:`Pacer.hold` then blocks the
limits it may have come from for ``Retry-After`` seconds — doubled for each 429 in a row, up to a
minute, so a process starved by another one asks rarely instead of every few seconds — and halves
this process's pace on them, creeping back by 0.1 % per call (additive increase, multiplicative
decrease, as TCP does), so two delivery processes settle on sharing the allowance.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

POST_PER_MINUTE_PER_WORKSPACE: Final = 300.0
POST_PER_SECOND_PER_CHANNEL: Final = 1.0
TIER_PER_MINUTE: Final = {1: 1.0, 2: 20.0, 3: 50.0, 4: 100.0}
METHOD_TIERS: Final = {
    "users.info": 4,
    "views.publish": 4,
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "conversations.open": 3,
}
DEFAULT_TIER: Final = 3
# Slack publishes no burst sizes: allow a small burst per workspace, none per channel.
WORKSPACE_BURST: Final = 10
CHANNEL_BURST: Final = 1

LimitKey = tuple[str, ...]


MAX_SLOWDOWN: Final = 8.0
RECOVERY: Final = 0.999
MAX_HOLD_SECONDS: Final = 60.0


@dataclass
class _Schedule:
    """GCRA: ``interval`` seconds per call, ``tolerance`` seconds of burst; ``tat`` is the state."""

    interval: float
    tolerance: float
    tat: float = 0.0
    held_until: float = 0.0
    slowdown: float = 1.0  # > 1 after a 429: another process is sharing this limit
    strikes: int = 0  # 429s in a row

    def earliest(self, now: float) -> float:
        # No bursts while the limit is shared with another process (a 429 said so): catching up
        # after a stall would land on top of the other process's calls.
        tolerance = self.tolerance if self.slowdown <= 1.0 else 0.0
        return max(now, self.tat - tolerance, self.held_until)

    def book(self, at: float) -> None:
        self.tat = max(self.tat, at) + self.interval * self.slowdown
        self.slowdown = max(1.0, self.slowdown * RECOVERY)

    def back_off(self, now: float, retry_after: float) -> float:
        until = now + min(MAX_HOLD_SECONDS, max(retry_after, retry_after * 2**self.strikes))
        self.strikes += 1
        self.held_until = max(self.held_until, until)
        self.tat = max(self.tat, until)  # with no burst allowed while slowed, the next call is at until
        self.slowdown = min(MAX_SLOWDOWN, self.slowdown * 2)
        return until


class Pacer:
    """Books call slots against Slack's limits on an injectable monotonic clock (thread-safe)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        workspace_per_minute: float = POST_PER_MINUTE_PER_WORKSPACE,
        channel_per_second: float = POST_PER_SECOND_PER_CHANNEL,
        workspace_burst: int = WORKSPACE_BURST,
        channel_burst: int = CHANNEL_BURST,
        tier_scale: float = 1.0,
    ) -> None:
        """``tier_scale`` multiplies every tier's allowance (1: Slack's; tests not about pacing raise it)."""
        self._clock = clock
        self._tier_scale = tier_scale
        self._workspace_interval = 60.0 / workspace_per_minute
        self._channel_interval = 1.0 / channel_per_second
        self._workspace_burst = workspace_burst
        self._channel_burst = channel_burst
        self._schedules: dict[LimitKey, _Schedule] = {}
        self._lock = threading.Lock()

    def limits_for(self, team_id: str, method: str, channel: str | None = None) -> list[LimitKey]:
        if method == "chat.postMessage":
            keys: list[LimitKey] = [(team_id, method)]
            if channel:
                keys.append((team_id, method, channel))
            return keys
        return [(team_id, method)]

    def _schedule(self, key: LimitKey) -> _Schedule:
        schedule = self._schedules.get(key)
        if schedule is None:
            if len(key) == 3:
                interval, burst = self._channel_interval, self._channel_burst
            elif key[1] == "chat.postMessage":
                interval, burst = self._workspace_interval, self._workspace_burst
            else:
                per_minute = TIER_PER_MINUTE[METHOD_TIERS.get(key[1], DEFAULT_TIER)] * self._tier_scale
                interval, burst = 60.0 / per_minute, 1
            schedule = _Schedule(interval, (burst - 1) * interval)
            self._schedules[key] = schedule
        return schedule

    def delay(self, team_id: str, method: str, channel: str | None = None) -> float:
        """Seconds until a call could go (without booking it): for choosing what to send next."""
        with self._lock:
            now = self._clock()
            at = max(self._schedule(key).earliest(now) for key in self.limits_for(team_id, method, channel))
            return _seconds(at - now)

    def reserve(self, team_id: str, method: str, channel: str | None = None) -> float:
        """Book the earliest slot for a call and return how many seconds to wait for it."""
        with self._lock:
            now = self._clock()
            schedules = [self._schedule(key) for key in self.limits_for(team_id, method, channel)]
            at = max(schedule.earliest(now) for schedule in schedules)
            for schedule in schedules:
                schedule.book(at)
            return _seconds(at - now)

    def hold(self, team_id: str, method: str, channel: str | None, seconds: float) -> None:
        """After a 429: nothing on those limits for ``seconds`` (Slack's ``Retry-After``), or longer if
        the last calls were refused too; and a slower pace on them for a while."""
        with self._lock:
            now = self._clock()
            for key in self.limits_for(team_id, method, channel):
                self._schedule(key).back_off(now, seconds)

    def succeeded(self, team_id: str, method: str, channel: str | None = None) -> None:
        """A call went through: the next 429 starts the doubling again from ``Retry-After``."""
        with self._lock:
            for key in self.limits_for(team_id, method, channel):
                schedule = self._schedules.get(key)
                if schedule is not None:
                    schedule.strikes = 0


def _seconds(wait: float) -> float:
    """No wait at all below a nanosecond (floating-point dust from adding intervals)."""
    return wait if wait > 1e-9 else 0.0
