"""A delivery process for the kill -9 test: ``python -m tests.scheduling.deliver_process --at ISO``.

The real :class:`~bot.delivery.worker.Deliverer` against ``DATABASE_URL`` and ``SLACK_API_URL``, as of
``--at``; ``--wall-offset-seconds`` shifts the wall clock the leases are measured on, so a restart can
reclaim the rows of a process that died without waiting for the lease in real time.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime, timedelta

from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import Pacer
from bot.delivery.worker import Deliverer
from bot.services import Services
from bot.settings import Secret, Settings, SlackMode, SlackSettings
from storage.db import Database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", required=True)
    parser.add_argument("--wall-offset-seconds", type=float, default=0.0)
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
    gateway = SlackGateway(settings, db.engine, pacer=Pacer(workspace_per_minute=1e9, channel_per_second=1e9))
    report = Deliverer(
        services, gateway, wall_clock=lambda: datetime.now(UTC) + offset, batch_size=10
    ).deliver_due()
    print(report.summary())


if __name__ == "__main__":
    main()
