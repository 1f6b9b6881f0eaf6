"""A delivery process for the kill -9 test: ``python -m tests.scheduling.deliver_process --at ISO``.

The real :class:`~bot.delivery.worker.Deliverer` against ``DATABASE_URL`` and ``SLACK_API_URL``, as of
``--at``; ``--wall-offset-seconds`` shifts the wall clock the leases are measured on, so a restart can
reclaim the rows of a process that died without waiting for the lease in real time. ``--clock`` runs
the clock process's delivery loop (:class:`bot.scheduler.clock.DeliveryLoop`) until the outbox has
nothing left to send, with a lease of ``--lease-seconds`` on the real wall clock.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from datetime import UTC, datetime, timedelta

from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import Pacer
from bot.delivery.worker import Deliverer
from bot.scheduler.clock import DeliveryLoop
from bot.services import Services
from bot.settings import Secret, Settings, SlackMode, SlackSettings
from storage.db import Database
from storage.queries import outbox


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", required=True)
    parser.add_argument("--wall-offset-seconds", type=float, default=0.0)
    parser.add_argument("--clock", action="store_true")
    parser.add_argument("--lease-seconds", type=float, default=120.0)
    args = parser.parse_args()
    at = datetime.fromisoformat(args.at)
    offset = timedelta(seconds=args.wall_offset_seconds)
    settings = Settings(
        database_url=os.environ["DATABASE_URL"],
        slack_api_url=os.environ["SLACK_API_URL"],
        slack=SlackSettings(Secret("s"), SlackMode.SINGLE, bot_token=Secret("xoxb-test-token")),
    )
    db = Database.from_url(settings.database_url)
    services = Services(settings=settings, db=db, clock=lambda: at)
    gateway = SlackGateway(
        settings, db.engine, pacer=Pacer(workspace_per_minute=1e9, channel_per_second=1e9, tier_scale=1e9)
    )
    deliverer = Deliverer(
        services,
        gateway,
        wall_clock=lambda: datetime.now(UTC) + offset,
        batch_size=10,
        lease=timedelta(seconds=args.lease_seconds),
    )
    if args.clock:
        run_clock_delivery(deliverer, db)
        return
    report = deliverer.deliver_due()
    print(report.summary())


def run_clock_delivery(deliverer: Deliverer, db: Database) -> None:
    """The clock's delivery thread, stopped once every row is sent (or failed) for good."""
    stop = threading.Event()
    loop = DeliveryLoop(deliverer, stop)
    loop.start()
    while True:
        with db.session() as session:
            counts = outbox.status_counts(session)
        if not counts.get(outbox.PENDING) and not counts.get(outbox.SENDING):
            break
        time.sleep(0.05)
    stop.set()
    loop.join(timeout=30)
    print("clock done")


if __name__ == "__main__":
    main()
