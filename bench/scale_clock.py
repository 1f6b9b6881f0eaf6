"""``parley scheduler`` with its clock moved: ``python -m bench.scale_clock --at ISO [--lease-seconds S]``.

The clock process exactly as ``parley scheduler`` runs it (:func:`bot.scheduler.clock.run_clock`:
every periodic job at once as its catch-up, then on its interval, and the delivery loop), except that
its clock starts at ``--at`` and runs on from there in real time, so a test can put it on the day its
seeded nudges and digests fall due, and its lease is ``--lease-seconds`` so a clock killed with
``kill -9`` has its claimed rows taken over in seconds (the lease measures real time).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot import settings as settings_module
from bot.runtime import build_services
from bot.scheduler.clock import run_clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--at", required=True, help="the simulated instant the clock starts at (ISO)")
    parser.add_argument("--lease-seconds", type=float, default=120.0)
    args = parser.parse_args()
    at = datetime.fromisoformat(args.at).astimezone(UTC)
    settings = settings_module.load()
    settings_module.configure_logging(settings.log_level, settings.log_format)
    started = time.monotonic()
    services = replace(
        build_services(settings), clock=lambda: at + timedelta(seconds=time.monotonic() - started)
    )
    run_clock(services, lease=timedelta(seconds=args.lease_seconds))


if __name__ == "__main__":
    main()
