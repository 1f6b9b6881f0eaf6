"""What listeners and jobs need besides the Slack payload, built once and passed in (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.settings import Settings
from storage.db import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    clock: Callable[[], datetime] = field(default=utc_now)
    jobs_in_background: bool = False
    """Run the work a request owes after its ack (``bot.delivery.jobs``) on one background thread of
    the process rather than on the request's own thread: what ``parley serve`` does, so a burst of
    submissions cannot hold back the acks of the requests behind it. Off: run it right after the ack,
    on the request's thread (tests and the playground, which read the result at once)."""
