"""Outbox delivery against Slack's rate limits: drain 10,000 due rows spread over 2,000 members.

    .venv/bin/python -m bench.outbox_drain [--rows 10000] [--members 2000] [--scale 10] [--deliverers 1]
                                           [--database-url URL]

The strict fake Slack runs in its own process with Slack's documented limits switched on
(``FakeSlack(enforce_rate_limits=True)``: ``chat.postMessage`` ~1 per second per channel and 300 per
minute per workspace, 429 with ``Retry-After`` beyond). Parley's real ``Deliverer`` drains a real
database (a fresh SQLite file unless ``--database-url``) through the real gateway and pacer.

Simulated time: Slack's limits are per minute, so draining 10,000 messages at 300 a minute takes 33
simulated minutes. Both sides run on one clock that goes ``--scale`` times faster than real time (the
fake's rate limiter, the pacer, ``Retry-After`` sleeps, due times and backoff all read it), so the run
takes about 33 / scale real minutes. Everything else — HTTP, JSON, the database — runs at real speed,
so a scale too high for the machine shows up as a lower ratio, never a better one.

Prints: messages per (simulated) minute as a ratio of the allowed maximum — the workspace's 300 a
minute (the binding limit here: each member gets only a few messages), and also against what the
fake's token bucket strictly allows including its initial full minute of burst — the 429s received
(and whether every one was honoured), lost and duplicated messages, and peak memory (RSS) of the
delivering process and of the fake. Targets: ratio ≥ 0.9, few 429s, 0 lost, 0 duplicated.

``--deliverers N`` runs N deliverers at once (threads, each with its own pacer, as N clock processes
would be): together they ask for N times the allowance, so Slack's 429s appear and must be honoured.
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.connection
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.databases import fresh_database
from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import Pacer
from bot.delivery.worker import Deliverer, DeliveryReport
from bot.services import Services
from bot.settings import Secret, Settings, SlackMode, SlackSettings
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN
from bot.testkit.fake_slack.ratelimit import WORKSPACE_POST_PER_MINUTE
from storage import migrate
from storage.db import Database
from storage.models import OutboxMessage
from storage.queries.workspaces import ensure_workspace

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class ScaledClock:
    """One simulated clock for both processes: ``scale`` × real time since ``origin`` (monotonic)."""

    def __init__(self, origin: float, scale: float) -> None:
        self.origin = origin
        self.scale = scale

    def monotonic(self) -> float:
        return self.origin + (time.monotonic() - self.origin) * self.scale

    def utc(self) -> datetime:
        return START + timedelta(seconds=self.monotonic() - self.origin)

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds) / self.scale)


def run_fake_slack(
    conn: multiprocessing.connection.Connection, origin: float, scale: float, members: int
) -> None:
    """The fake Slack's process: serve until asked for the tally."""
    from bot.testkit.fake_slack import FakeSlack

    clock = ScaledClock(origin, scale)
    with FakeSlack(clock=clock.monotonic, enforce_rate_limits=True, bot_token=DEFAULT_BOT_TOKEN) as slack:
        for n in range(members):
            slack.add_user(member_id(n), tz="Europe/London")
        conn.send(slack.api_url)
        conn.recv()  # "tally"
        posts = slack.calls_to("chat.postMessage")
        texts = Counter(call.args.get("text") for call in posts if call.ok)
        conn.send(
            {
                "delivered": dict(texts),
                "status_429": sum(1 for call in posts if call.status == 429),
                "other_errors": sum(1 for call in posts if call.status != 429 and not call.ok),
                "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )


def member_id(n: int) -> str:
    return f"U0B{n:05d}"


def fill(db: Database, rows: int, members: int) -> None:
    """``rows`` due messages, round-robin over ``members`` (core bulk insert: setup is not measured)."""
    with db.session() as session:
        workspace_id = ensure_workspace(session, "T0EXAMPLE").id
    values = [
        {
            "workspace_id": workspace_id,
            "kind": "bench",
            "target": member_id(n % members),
            "payload": {
                "text": f"bench-{n:06d}",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"Reminder *{n}*"}}],
            },
            "due_at": START - timedelta(seconds=1),
            "status": "pending",
            "attempts": 0,
            "dedupe_key": f"bench:{n}",
        }
        for n in range(rows)
    ]
    with db.engine.begin() as connection:
        for start in range(0, rows, 1000):
            connection.execute(insert(OutboxMessage), values[start : start + 1000])


def open_rows(db: Database) -> int:
    with db.session() as session:
        return int(
            session.scalar(select(func.count()).where(OutboxMessage.status.in_(("pending", "sending")))) or 0
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--scale", type=float, default=10.0, help="simulated seconds per real second")
    parser.add_argument("--deliverers", type=int, default=1, help="concurrent deliverers (own pacers)")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="parley-bench-")
    url, drop_schema = fresh_database(args.database_url, Path(tmp.name))
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    fill(db, args.rows, args.members)

    origin = time.monotonic()
    clock = ScaledClock(origin, args.scale)
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    fake = context.Process(
        target=run_fake_slack, args=(theirs, origin, args.scale, args.members), daemon=True
    )
    fake.start()
    api_url = ours.recv()

    settings = Settings(
        database_url=url,
        slack_api_url=api_url,
        slack=SlackSettings(Secret("bench"), SlackMode.SINGLE, bot_token=Secret(DEFAULT_BOT_TOKEN)),
    )
    services = Services(settings=settings, db=db, clock=clock.utc)
    report = DeliveryReport()
    lock = threading.Lock()

    def drain() -> None:
        gateway = SlackGateway(settings, db.engine, pacer=Pacer(clock.monotonic), sleep=clock.sleep)
        deliverer = Deliverer(
            services, gateway, wall_clock=clock.utc, monotonic=clock.monotonic, sleep=clock.sleep
        )
        while True:
            done = deliverer.deliver_due()
            with lock:
                report.add(done)
            if open_rows(db) == 0:
                return
            clock.sleep(0.5)  # rows waiting for Retry-After or a backoff, or held by the other deliverer

    print(
        f"draining {args.rows:,} rows for {args.members:,} members on {db.dialect} with "
        f"{args.deliverers} deliverer(s), clock ×{args.scale:g} …"
    )
    started_sim, started_real = clock.monotonic(), time.monotonic()
    threads = [threading.Thread(target=drain, name=f"deliverer-{n}") for n in range(args.deliverers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed_sim = clock.monotonic() - started_sim
    elapsed_real = time.monotonic() - started_real

    ours.send("tally")
    tally: dict[str, Any] = ours.recv()
    fake.join(timeout=30)
    delivered: dict[str, int] = tally["delivered"]
    expected = {f"bench-{n:06d}" for n in range(args.rows)}
    lost = len(expected - set(delivered))
    duplicated = sum(count - 1 for count in delivered.values() if count > 1)

    minutes = elapsed_sim / 60
    achieved = args.rows / minutes
    allowed = WORKSPACE_POST_PER_MINUTE
    strict = (WORKSPACE_POST_PER_MINUTE * minutes + WORKSPACE_POST_PER_MINUTE) / minutes
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    honoured = report.rate_limited == tally["status_429"]
    print(
        f"delivered           {args.rows - lost:,} of {args.rows:,} in {elapsed_sim / 60:.1f} simulated min "
        f"({elapsed_real:.0f} s real at ×{args.scale:g})"
    )
    print(f"rate                {achieved:.1f} messages/min; allowed {allowed}/min per workspace")
    print(f"ratio               {achieved / allowed:.3f} of the allowed 300/min (target >= 0.9)")
    print(
        f"ratio (strict)      {achieved / strict:.3f} of the fake's bucket incl. its initial burst "
        f"({strict:.1f}/min over this run)"
    )
    print(
        f"429s received       {tally['status_429']} (honoured: {'all' if honoured else 'NOT ALL'}; "
        f"{report.rate_limited} rows rescheduled by Retry-After)"
    )
    retried = f"transient retries: {report.retrying}, failed: {report.failed}"
    print(f"other errors        {tally['other_errors']} ({retried})")
    print(f"lost                {lost}")
    print(f"duplicated          {duplicated}")
    fake_mib = tally["peak_rss_kb"] / 1024
    print(f"peak memory (RSS)   deliverer {peak_kb / 1024:.0f} MiB, fake Slack {fake_mib:.0f} MiB")
    db.dispose()
    drop_schema()
    tmp.cleanup()
    ok = lost == 0 and duplicated == 0 and achieved / allowed >= 0.9
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
