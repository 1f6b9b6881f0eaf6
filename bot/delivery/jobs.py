"""Outbox rows that are work to do with Slack, not one message: the ``job`` kinds.

A request that saved something and owes the member more than its ack (the plan of a prep, in their
DM, and their Home tab) enqueues a row of a job kind *in the same unit of work* as what it saved, then,
after the commit and the ack, claims that row by its dedupe key and runs it (:func:`run_after_ack`):
in ``parley serve``, on one background thread per process, in the order the requests were answered,
so however many submissions arrive at once, the threads that answer Slack within its 3 s are never
busy with this work (under a burst the work queues, and the member's DM arrives seconds later rather
than an ack too late). A process killed between the commit and the end of that run loses nothing: the
row stays ``pending`` (or ``sending`` until its lease runs out) and any deliverer, the clock's, claims
and runs it (``bot.delivery.worker``). The claim decides who runs it, so it runs once: a row the clock
claimed while it waited in this process's queue is skipped here.

A job's runner does its Slack calls and hands back what it did (:class:`Done`): its main message,
and what to write about it (where a message now is), run in the same unit of work that marks the row
sent, so what was delivered and the row's state change together. A runner must be safe to run again
after a crash before that unit of work: it reads where its messages already are and updates them in
place, and a row taken back from an expired lease (``Claimed.reclaimed_lease``) looks in Slack for a
message its earlier attempt may have posted before posting one (the message's metadata names the row).
"""

from __future__ import annotations

import contextvars
import importlib
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.services import Services, utc_now
from storage.queries import outbox
from storage.queries.outbox import Claimed

logger = logging.getLogger(__name__)

Recorder = Callable[[Session], None]


@dataclass(frozen=True, slots=True)
class Done:
    """What a job did: its main message (recorded on the row, like any outbox message's) and what to
    write about it in the unit of work that marks the row sent."""

    channel: str | None = None
    ts: str | None = None
    record: Recorder | None = None


Runner = Callable[[Services, WebClient, Claimed], Done]
"""Do the row's Slack work with ``client``; raise to have the row retried later."""

JOB_MODULES: Final = ("bot.flows.prep_delivery",)
"""Modules that register job kinds (imported before the first lookup, wherever delivery runs)."""

LEASE: Final = timedelta(minutes=2)
RETRY_BASE_SECONDS: Final = 5.0

_RUNNERS: dict[str, Runner] = {}


def register_job(kind: str, runner: Runner) -> Runner:
    existing = _RUNNERS.get(kind)
    if existing is not None and existing is not runner:
        raise ValueError(f"outbox job kind {kind!r} already has a runner")
    _RUNNERS[kind] = runner
    return runner


def runner_for(kind: str) -> Runner | None:
    """The runner of a job kind; None for a message kind (``bot.delivery.kinds``)."""
    if not _RUNNERS:
        for module in JOB_MODULES:
            importlib.import_module(module)
    return _RUNNERS.get(kind)


_Work = tuple[contextvars.Context, Services, WebClient, tuple[str, ...]]
_BACKLOG: queue.Queue[_Work] = queue.Queue()
_WORKER_LOCK = threading.Lock()
_worker: threading.Thread | None = None


def run_after_ack(services: Services, client: WebClient, keys: Sequence[str]) -> None:
    """Run the job rows named by ``keys`` (just enqueued and committed by this request, which has
    been answered): on this process's job thread when ``services.jobs_in_background``, else here."""
    if not services.jobs_in_background:
        run_now(services, client, keys)
        return
    _start_worker()
    # the request's context goes with it: its log fields (request id, workspace) and its reader's dates
    _BACKLOG.put((contextvars.copy_context(), services, client, tuple(keys)))


def drain(timeout: float | None = None) -> bool:
    """Wait until this process's job thread has run everything queued so far (tests, shutdown);
    whether it did within ``timeout`` seconds."""
    done = threading.Event()

    def wait() -> None:
        _BACKLOG.join()
        done.set()

    threading.Thread(target=wait, name="parley-jobs-drain", daemon=True).start()
    return done.wait(timeout)


def _start_worker() -> None:
    global _worker
    with _WORKER_LOCK:  # started in the process that serves (after gunicorn's fork), once
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="parley-jobs", daemon=True)
            _worker.start()


def _work() -> None:
    while True:
        context, services, client, keys = _BACKLOG.get()
        try:
            context.run(run_now, services, client, keys)  # never raises; a row it cannot run waits
        finally:
            _BACKLOG.task_done()


def run_now(services: Services, client: WebClient, keys: Sequence[str]) -> int:
    """Claim the job rows named by ``keys`` (just enqueued and committed by this request) and run them
    here with the request's ``client``; how many ran. Rows another deliverer holds are left to it; a
    runner's failure puts its row back for a deliverer to retry. Never raises: the request is answered."""
    try:
        with services.db.session() as session:
            rows = outbox.claim_keys(session, keys, wall_now=utc_now(), lease=LEASE)
    except Exception:  # the rows stay pending: the clock's deliverer runs them
        logger.exception("claiming job rows %s failed; a deliverer will run them", list(keys))
        return 0
    done = [ran for ran in (run_claimed(services, client, row, record_sent=False) for row in rows) if ran]
    if done:
        try:
            with services.db.session() as session:
                for row, result in done:
                    _mark_done(session, services, row, result)
        except Exception:  # the lease runs out and a deliverer runs the job again, updating in place
            logger.exception("recording job rows %s failed", [row.id for row, _ in done])
    return len(done)


def _mark_done(session: Session, services: Services, row: Claimed, result: Done) -> None:
    if result.record is not None:
        result.record(session)
    outbox.mark_sent(session, row, at=services.clock(), channel=result.channel, ts=result.ts)


def run_claimed(
    services: Services, client: WebClient, row: Claimed, *, record_sent: bool = True
) -> tuple[Claimed, Done] | None:
    """Run one claimed job row. With ``record_sent`` its recorder runs and the row is marked sent here;
    without, (row, recorder) is handed back for the caller to record with others. None when the
    runner failed (the row is put back, due again after a backoff) or the kind has no runner (failed)."""
    runner = runner_for(row.kind)
    if runner is None:
        with services.db.session() as session:
            outbox.mark_failed(session, row, error=f"no runner for job kind {row.kind!r}")
        return None
    try:
        result = runner(services, client, row)
    except Exception as error:
        logger.exception("outbox job %s (%s) failed", row.id, row.kind)
        delay = timedelta(seconds=RETRY_BASE_SECONDS * 2 ** max(0, row.attempts - 1))
        try:
            with services.db.session() as session:
                outbox.retry_later(
                    session, row, at=services.clock() + delay, error=f"{type(error).__name__}: {error}"
                )
        except Exception:
            logger.exception("putting job row %s back failed; its lease will run out", row.id)
        return None
    if record_sent:
        with services.db.session() as session:
            _mark_done(session, services, row, result)
    return row, result
