"""``parley scheduler``: the clock process (the Procfile's ``clock``).

APScheduler 3.x runs the periodic jobs of :mod:`bot.scheduler.registry` on a ``BlockingScheduler``
with explicit ids, ``coalesce=True`` (runs missed while the process was busy or asleep collapse into
one), ``max_instances=1`` and a ``misfire_grace_time`` of one interval (a late run still happens,
once). Its job store is in memory on purpose: what is due and what was sent lives in Parley's
tables, so a restarted clock just runs each job at once (one catch-up, whatever it missed) and a
second clock by mistake enqueues and sends nothing twice.

Delivery runs beside it on one thread: drain what is due, idle a second when nothing is, repeat.
Any number of other processes may deliver too (``parley tick``); rows are claimed atomically.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any, Final

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery.gateway import SlackGateway
from bot.delivery.worker import DEFAULT_LEASE, Deliverer
from bot.metrics import count_deliveries, run_timed, serve_metrics
from bot.playbook import current_playbook
from bot.scheduler.registry import JobContext, PeriodicJob, all_jobs, run_job
from bot.services import Services

logger = logging.getLogger(__name__)

DELIVERY_IDLE_SECONDS: Final = 1.0
DELIVERY_SLICE_SECONDS: Final = 30.0


def _run(services: Services, gateway: SlackGateway, job: PeriodicJob[Any]) -> None:
    context = JobContext(services, gateway, current_playbook(services.settings), services.clock())
    run_timed(job.id, lambda: run_job(job, context))  # metrics: runs, failures, durations


def build_scheduler(
    services: Services, gateway: SlackGateway, scheduler: BaseScheduler | None = None
) -> BaseScheduler:
    """The scheduler with every periodic job added (first runs at once: the catch-up)."""
    scheduler = scheduler or BlockingScheduler(timezone=UTC)
    for job in all_jobs():
        seconds = job.every.total_seconds()
        scheduler.add_job(
            _run,
            trigger=IntervalTrigger(seconds=seconds, timezone=UTC),
            args=(services, gateway, job),
            id=job.id,
            name=job.description or job.id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(seconds)),
            next_run_time=datetime.now(UTC),
        )
    return scheduler


class DeliveryLoop(threading.Thread):
    """Drains the outbox until ``stop`` is set."""

    def __init__(self, deliverer: Deliverer, stop: threading.Event) -> None:
        super().__init__(name="parley-delivery", daemon=True)
        self.deliverer = deliverer
        self.stop = stop

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                report = self.deliverer.deliver_due(max_seconds=DELIVERY_SLICE_SECONDS, stop=self.stop)
            except Exception:  # the database may be down for a moment: keep the clock alive
                logger.exception("delivery failed; trying again shortly")
                self.stop.wait(DELIVERY_IDLE_SECONDS * 5)
                continue
            count_deliveries(report)  # metrics: outcomes (sent, retrying, rate_limited, failed …)
            if report.sent or report.failed or report.retrying or report.rate_limited:
                logger.info("delivered: %s", report.summary())
            else:
                self.stop.wait(DELIVERY_IDLE_SECONDS)


def run_clock(services: Services, *, lease: timedelta = DEFAULT_LEASE) -> None:
    """Run until SIGTERM or SIGINT (then finish the message in hand and stop).

    ``lease`` is how long a claimed row stays this process's; the scale-out test shortens it so a
    clock killed with ``kill -9`` has its rows reclaimed in seconds, not minutes."""
    gateway = SlackGateway(services.settings, services.db.engine)
    scheduler = build_scheduler(services, gateway)
    stop = threading.Event()
    loop = DeliveryLoop(Deliverer(services, gateway, lease=lease), stop)

    def shutdown(signum: int, _frame: FrameType | None) -> None:
        logger.info("signal %s: stopping the clock", signum)
        stop.set()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    settings = services.settings
    metrics = (  # PARLEY_METRICS_PORT: this process's own /metrics (off when unset)
        serve_metrics(services.db, settings.metrics_host, settings.metrics_port, settings.metrics_token)
        if settings.metrics_port
        else None
    )
    loop.start()
    logger.info("clock started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    finally:
        stop.set()
        loop.join(timeout=DELIVERY_SLICE_SECONDS)
        if metrics is not None:
            metrics.shutdown()
