"""The playground's time: one movable clock for the app and the fake Slack, and the ticking thread.

Production reads real time; the playground reads :class:`DemoClock`, which runs at real speed but
can be moved forward ("time travel") so a person can watch a nudge arrive or read Monday's digest
without waiting for Monday. The app (``Services.clock``) and the fake Slack (its wall clock, which
stamps message ``ts``) read the same clock, so what the page shows and what the app decides agree.

Time only moves forward: the outbox, lapses and digests are keyed by the instants they were due at,
and running the world backwards would show states that could never happen.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from coaching.worktime import parse_weekday
from coaching.zones import safe_zone as _zone

logger = logging.getLogger(__name__)

DEFAULT_TICK_SECONDS: Final = 20.0
MAX_JUMP: Final = timedelta(days=366)

_RELATIVE = re.compile(
    r"^\+\s*(?P<count>\d{1,4})\s*(?P<unit>m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$"
)
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?$")
_UNITS: Final = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class TimeTravelError(ValueError):
    """The instant asked for cannot be reached; the message is meant for the person as is."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class DemoClock:
    """Real time plus an offset that only grows. Thread-safe; every reading is aware UTC."""

    def __init__(self, real: Callable[[], datetime] = utc_now, *, start: datetime | None = None) -> None:
        """``start``: the instant to read now (tests start on a known weekday); default real time."""
        self._real = real
        self._offset = timedelta(0) if start is None else start - real()
        self._pinned: datetime | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._pinned if self._pinned is not None else self._real() + self._offset

    __call__ = now

    def timestamp(self) -> float:
        """Seconds since the epoch: the fake Slack's ``wall_clock``."""
        return self.now().timestamp()

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    @contextmanager
    def pinned(self, instant: datetime) -> Iterator[None]:
        """Read ``instant`` for a while: the seed writes eight weeks of history at their own instants.

        Only for set-up before anyone uses the playground; it is not time travel (that only goes on).
        """
        with self._lock:
            self._pinned = instant
        try:
            yield
        finally:
            with self._lock:
                self._pinned = None

    def travel_to(self, instant: datetime) -> datetime:
        """Jump to ``instant`` (aware, in the future, less than a year ahead); returns it."""
        if instant.tzinfo is None:
            raise TimeTravelError("give the instant with its time zone")
        with self._lock:
            now = self._real() + self._offset
            if instant < now - timedelta(seconds=1):
                raise TimeTravelError(
                    f"the playground only moves forward: {instant.astimezone(UTC):%Y-%m-%d %H:%M} UTC "
                    f"is before now ({now:%Y-%m-%d %H:%M} UTC). Restart with --reset to start over."
                )
            if instant - now > MAX_JUMP:
                raise TimeTravelError("that is more than a year ahead: jump a little less far")
            self._offset += max(instant - now, timedelta(0))
            return self._real() + self._offset


def resolve_travel(text: str, now: datetime, tz: str) -> datetime:
    """Read what a person typed into the time-travel box, in their time zone ``tz``.

    Accepts ``+1 day``, ``+3 hours``, ``+2 weeks``, ``tomorrow 09:00``, ``next Monday 09:00``,
    ``Monday 9am``, ``2026-11-30 09:00`` and ``2026-11-30T09:00:00Z``. A weekday (with or without
    "next") is the next such day strictly after today; a time without a day is the next time that
    time comes round.
    """
    zone = _zone(tz)
    raw = " ".join(text.strip().lower().split())
    if not raw:
        raise TimeTravelError("type when to jump to, e.g. “+1 day” or “next Monday 09:00”")
    relative = _RELATIVE.match(raw)
    if relative:
        unit = _UNITS[relative["unit"][0]]
        return now + timedelta(**{unit: int(relative["count"])})
    iso = _iso(text.strip(), zone)
    if iso is not None:
        return iso
    local_now = now.astimezone(zone)
    words = raw.split(" ")
    day: date | None = None
    if words[0] in ("today", "tomorrow"):
        day = local_now.date() + timedelta(days=0 if words[0] == "today" else 1)
        words = words[1:]
    else:
        if words[0] == "next":
            words = words[1:]
        weekday = parse_weekday(words[0]) if words else None
        if weekday is not None:
            ahead = (weekday - local_now.weekday() - 1) % 7 + 1
            day = local_now.date() + timedelta(days=ahead)
            words = words[1:]
    if words and words[0] == "at":
        words = words[1:]
    at = _time(" ".join(words)) if words else (time(9, 0) if day is not None else None)
    if at is None:
        raise TimeTravelError(
            f"couldn't read “{text.strip()[:60]}”: try “+1 day”, “next Monday 09:00” or “2026-11-30 09:00”"
        )
    if day is None:
        day = local_now.date()
        if datetime.combine(day, at, zone) <= local_now:
            day += timedelta(days=1)
    return datetime.combine(day, at, zone).astimezone(UTC)


def _iso(text: str, zone: ZoneInfo) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} ", text) else text
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if len(text) == 10:  # a bare date: the start of that working day
        parsed = parsed.replace(hour=9)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def _time(text: str) -> time | None:
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@dataclass(frozen=True)
class TickResult:
    at: datetime
    summary: str
    error: str | None = None


class Ticker:
    """Runs ``parley tick`` as of the demo clock: every few seconds in a thread, and on demand.

    ``run_tick`` is the scheduler's own ``tick`` bound to the app's services; one tick at a time.
    """

    def __init__(
        self,
        clock: DemoClock,
        run_tick: Callable[[], str],
        *,
        every: float = DEFAULT_TICK_SECONDS,
    ) -> None:
        self.clock = clock
        self._run_tick = run_tick
        self._every = every
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last: TickResult | None = None

    def start(self) -> None:
        if self._thread is None and self._every > 0:
            self._thread = threading.Thread(target=self._loop, name="playground-clock", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def tick(self) -> TickResult:
        """One tick as of the clock's now (jobs, then delivery); failures are reported, not raised."""
        with self._lock:
            at = self.clock.now()
            try:
                summary = self._run_tick()
            except Exception as error:  # the page shows it; the playground keeps running
                logger.exception("tick failed")
                self.last = TickResult(at, "", f"{type(error).__name__}: {error}"[:300])
            else:
                self.last = TickResult(at, summary)
            return self.last

    def travel(self, instant: datetime) -> TickResult:
        """Jump the clock to ``instant`` and tick there (raises :class:`TimeTravelError`)."""
        with self._lock:
            self.clock.travel_to(instant)
        return self.tick()

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            self.tick()
