"""Periodic jobs as idempotent pollers (STYLE §9): find due work in the database, handle each item.

A job is two functions: ``find(session, ctx)`` lists the items due at ``ctx.now`` (ids, small
tuples) in one read; ``handle(item, ctx)`` does one item in its own unit(s) of work and returns how
many outbox rows it enqueued. :func:`run_job` owns the sessions' edges, isolates failures (one broken
item is logged and counted, the others still run) and logs the run. The state lives in Parley's
tables — what was enqueued is an outbox row with a unique key — so running a job twice, from two
processes or after a crash, changes nothing the second time.

Features add jobs with :func:`periodic_job` in a module next to their code (``bot/flows/<feature>_*.py``,
``bot/digests/job.py``) and name that module in :data:`JOB_MODULES`, the job table.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from bot.delivery.gateway import SlackGateway
from bot.services import Services
from coaching.playbook import Playbook

logger = logging.getLogger(__name__)
T = TypeVar("T")

# The job table: the modules whose periodic_job(...) calls register the clock's jobs.
JOB_MODULES: tuple[str, ...] = (
    "bot.flows.commitments_nudges",  # nudges before and after a commitment is due
    "bot.flows.debrief_reminders",  # "log the debrief" after a negotiation's date
    "bot.flows.trades_timers",  # trade reminders, escalation and expiry
    "bot.digests.job",  # the weekly digests
    "bot.flows.member_data",  # members' archives and erasures, asked for in Slack
    "bot.flows.privacy_jobs",  # retention, leavers' anonymisation, erasure after uninstall (daily)
    "bot.flows.playbook_review",  # the monthly playbook review to admins
    "bot.dnd",  # Do Not Disturb read for members with a nudge or digest due (after those are enqueued)
)


@dataclass(frozen=True)
class JobContext:
    """What a job sees: the instant it runs as of, the playbook, and the gateway for Slack reads."""

    services: Services
    gateway: SlackGateway
    playbook: Playbook
    now: datetime


@dataclass
class JobRun:
    job_id: str
    found: int = 0
    enqueued: int = 0
    failed: int = 0


@dataclass(frozen=True)
class PeriodicJob(Generic[T]):
    id: str
    every: timedelta
    find: Callable[[Session, JobContext], Sequence[T]]
    handle: Callable[[T, JobContext], int]
    description: str = ""


_JOBS: dict[str, PeriodicJob[Any]] = {}


def periodic_job(
    job_id: str, *, every: timedelta, find: Callable[[Session, JobContext], Sequence[T]]
) -> Callable[[Callable[[T, JobContext], int]], Callable[[T, JobContext], int]]:
    """Register ``handle`` as the per-item half of job ``job_id`` (run every ``every``)."""

    def register(handle: Callable[[T, JobContext], int]) -> Callable[[T, JobContext], int]:
        existing = _JOBS.get(job_id)
        if existing is not None and existing.handle is not handle:
            raise ValueError(f"two periodic jobs are called {job_id!r}")
        doc = (handle.__doc__ or "").strip().splitlines()
        _JOBS[job_id] = PeriodicJob(job_id, every, find, handle, doc[0] if doc else "")
        return handle

    return register


def all_jobs() -> list[PeriodicJob[Any]]:
    """Every registered job, in id order (imports each module of :data:`JOB_MODULES` first)."""
    for module in JOB_MODULES:
        importlib.import_module(module)
    return [_JOBS[job_id] for job_id in sorted(_JOBS)]


def run_job(job: PeriodicJob[Any], ctx: JobContext) -> JobRun:
    """One run of ``job`` as of ``ctx.now``; never raises for a failing item."""
    run = JobRun(job.id)
    try:
        with ctx.services.db.session() as session:
            items = list(job.find(session, ctx))
    except Exception:
        logger.exception("job %s could not list its work", job.id)
        run.failed += 1
        return run
    run.found = len(items)
    for item in items:
        try:
            run.enqueued += job.handle(item, ctx)
        except Exception:
            run.failed += 1
            logger.exception("job %s failed on %r", job.id, item)
    if run.enqueued or run.failed:
        logger.info(
            "job %s at %s: %d found, %d enqueued, %d failed",
            job.id,
            ctx.now.isoformat(),
            run.found,
            run.enqueued,
            run.failed,
        )
    return run
