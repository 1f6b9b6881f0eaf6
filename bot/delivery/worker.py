"""Delivering the outbox: claim due rows, prepare, send at Slack's pace, record what happened.

Each row goes through three short units of work and never holds a transaction across a network
call: *claim* (rows become ``sending`` under a lease), *prepare* (reload state; skip or defer what no
longer applies), then per row *send* and *record* (``sent`` with the message's channel and ts; a
transient failure back to ``pending`` with exponential backoff; a 429 back to ``pending`` after its
``Retry-After``; a permanent error ``failed`` with the error). Rows are sent in the order the pacer
can take them (another member's DM instead of waiting on one channel's one-per-second limit).

Exactly once: a row is claimed by one deliverer at a time (see ``storage.queries.outbox``) and marked
sent right after Slack accepts it. Every message carries Slack message metadata naming its row. A
deliverer killed between Slack's answer and that mark leaves the row ``sending``; when a later claim
takes it back after the lease, or after an answer that may hide a delivery (a timeout, a 5xx), the
deliverer first reads the channel's history since the earlier attempt and, if the message is there,
records it instead of posting again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Final

from bot.delivery import cards  # noqa: F401  (registers the card_update kind)
from bot.delivery.gateway import NO_INSTALLATION, Outcome, SendResult, SlackGateway, Team
from bot.delivery.jobs import run_claimed, runner_for
from bot.delivery.kinds import Defer, DeliveryContext, Send, Skip, prepare
from bot.playbook import current_playbook
from bot.scheduler.registry import all_jobs
from bot.services import Services, utc_now
from storage.models import Workspace
from storage.queries import message_refs, outbox
from storage.queries.outbox import Claimed

logger = logging.getLogger(__name__)

DEFAULT_LEASE: Final = timedelta(minutes=2)
DEFAULT_BATCH: Final = 50
MAX_TRANSIENT_ATTEMPTS: Final = 8
MAX_ATTEMPTS: Final = 30  # 429s included: a row that can never be sent still ends
MAX_WAIT_IN_BATCH: Final = 10.0
"""Seconds a deliverer waits for the pacer while holding claimed rows; longer (a workspace held back
by repeated 429s) and it gives the rows back and ends this run, so another deliverer can send them."""
HISTORY_MARGIN: Final = timedelta(minutes=10)
"""Slack's clock and ours may disagree: a reclaimed row's message is looked for from this much earlier."""
BACKOFF_BASE_SECONDS: Final = 5.0
BACKOFF_CAP_SECONDS: Final = 15 * 60.0


def _paced_as(row: Claimed, send: Send) -> tuple[str, str | None]:
    """The pacer's limit a row's call counts against: an update is per method, a post per channel."""
    return ("chat.update", None) if send.update is not None else ("chat.postMessage", row.target)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … capped at 15 minutes, for the ``attempts``-th failed try."""
    return timedelta(seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    """What one delivery run did (numbers of rows)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retrying: int = 0
    rate_limited: int = 0
    deferred: int = 0
    lost_claims: int = 0
    recovered: int = 0  # sent by an earlier attempt that died before recording it; found, not resent
    failures: list[str] = field(default_factory=list)

    def add(self, other: DeliveryReport) -> None:
        for item in fields(self):
            if item.name == "failures":
                self.failures.extend(other.failures)
            else:
                setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def summary(self) -> str:
        parts = [f"{self.sent} sent"]
        for name in ("recovered", "failed", "skipped", "retrying", "rate_limited", "deferred"):
            value = getattr(self, name)
            if value:
                parts.append(f"{value} {name.replace('_', ' ')}")
        return ", ".join(parts)


class Deliverer:
    """Drains due outbox rows. ``services.clock`` says what is due; ``wall_clock`` times the leases."""

    def __init__(
        self,
        services: Services,
        gateway: SlackGateway,
        *,
        wall_clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        lease: timedelta = DEFAULT_LEASE,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self.services = services
        self.gateway = gateway
        self._wall = wall_clock
        self._monotonic = monotonic
        self._sleep = sleep
        self.lease = lease
        self.batch_size = batch_size
        self._teams: dict[int, Team] = {}
        # Importing every scheduler module registers every kind's preparer: without it a nudge would
        # look like a payload with no message, wherever this deliverer runs (clock, tick, a web process).
        all_jobs()

    def deliver_due(
        self, *, max_seconds: float | None = None, stop: threading.Event | None = None
    ) -> DeliveryReport:
        """Send everything due now, batch after batch, until nothing is due (or time or ``stop`` says)."""
        report = DeliveryReport()
        started = self._monotonic()
        while stop is None or not stop.is_set():
            if max_seconds is not None and self._monotonic() - started >= max_seconds:
                break
            rows = self._claim()
            if not rows:
                break
            batch, held_back = self._deliver_batch(rows, stop)
            report.add(batch)
            if held_back:
                break
        return report

    # ------------------------------------------------------------------------------------------ steps

    def _claim(self) -> list[Claimed]:
        now, wall_now = self.services.clock(), self._wall()
        with self.services.db.session() as session:  # a read first: an idle poll writes nothing
            if not outbox.has_claimable(session, now=now, wall_now=wall_now):
                return []
        with self.services.db.session() as session:  # the claim in a unit of work of its own
            return outbox.claim_due(
                session,
                now=now,
                wall_now=wall_now,
                lease=self.lease,
                limit=self.batch_size,
            )

    def _deliver_batch(
        self, rows: list[Claimed], stop: threading.Event | None
    ) -> tuple[DeliveryReport, bool]:
        """Send a claimed batch; also says whether the pacer held delivery back (rows given back)."""
        report = DeliveryReport()
        held_back = False
        lease_ends = self._monotonic() + self.lease.total_seconds()
        ready: list[tuple[Claimed, Send]] = []
        jobs = [row for row in rows if runner_for(row.kind) is not None]
        rows = [row for row in rows if runner_for(row.kind) is None]
        for row in jobs:
            self._run_job(row, report)
        with self.services.db.session() as session:
            now = self.services.clock()
            context = DeliveryContext(now, current_playbook(self.services.settings))
            for row in rows:
                try:
                    prepared = prepare(session, row, context)
                except Exception as error:  # one broken row must not stop the others
                    logger.exception("preparing outbox row %s (%s) failed", row.id, row.kind)
                    prepared = Defer(now + backoff(row.attempts), f"prepare failed: {type(error).__name__}")
                if isinstance(prepared, Skip):
                    report.skipped += outbox.mark_skipped(session, row, reason=prepared.reason)
                elif isinstance(prepared, Defer):
                    report.deferred += outbox.retry_later(
                        session, row, at=prepared.until, error=prepared.reason
                    )
                else:
                    ready.append((row, prepared))
        for row, _ in ready:
            self._team(row.workspace_id)  # resolve every workspace before the clock starts
        while ready:
            if stop is not None and stop.is_set():
                break
            index = self._next(ready)
            row, send = ready[index]
            wait = self.gateway.pacer.delay(self._team(row.workspace_id).team_id, *_paced_as(row, send))
            if wait > MAX_WAIT_IN_BATCH:
                held_back = True
                break
            ready.pop(index)
            if self._monotonic() + wait > lease_ends - self.lease.total_seconds() / 4:
                lease_ends = self._extend([row, *(r for r, _ in ready)])
            result = self._send(row, send, report)
            self._record(row, send, result, report)
        if ready:
            with self.services.db.session() as session:
                outbox.release(session, (row for row, _ in ready))
        return report, held_back

    def _run_job(self, row: Claimed, report: DeliveryReport) -> None:
        """A job row (``bot.delivery.jobs``): its runner makes its own calls with the workspace's client."""
        client = self.gateway.client_for(self._team(row.workspace_id))
        if client is None:
            with self.services.db.session() as session:
                report.failed += outbox.mark_failed(session, row, error=NO_INSTALLATION)
            report.failures.append(f"{row.kind} to {row.target}: {NO_INSTALLATION}")
        elif run_claimed(self.services, client, row) is not None:
            report.sent += 1
        else:
            report.retrying += 1

    def _send(self, row: Claimed, send: Send, report: DeliveryReport) -> SendResult:
        team = self._team(row.workspace_id)
        if send.update is not None:  # an update is idempotent: a retry needs no search first
            channel, ts = send.update
            return self.gateway.update_message(team, channel, ts, send.message)
        if row.reclaimed_lease is not None:
            # The earlier attempt may have reached Slack. It began at most a lease (a deliverer that died)
            # or a backoff (a send that timed out, held by ``hold_unsure``) before the lease's end.
            held = max(self.lease, timedelta(seconds=BACKOFF_CAP_SECONDS))
            since = row.reclaimed_lease - held - HISTORY_MARGIN
            found = self.gateway.find_sent(team, row.target, row.id, since=since)
            if found is not None:
                if found.outcome is Outcome.SENT:
                    report.recovered += 1
                    logger.info(
                        "outbox row %s was already in Slack (%s); not sending it again", row.id, found.ts
                    )
                return found
        return self.gateway.post_message(team, row.target, send.message, outbox_id=row.id)

    def _next(self, ready: list[tuple[Claimed, Send]]) -> int:
        """The row the pacer lets go soonest (due order among equals)."""
        pacer = self.gateway.pacer
        best, best_delay = 0, float("inf")
        for index, (row, send) in enumerate(ready):
            delay = pacer.delay(self._team(row.workspace_id).team_id, *_paced_as(row, send))
            if delay < best_delay:
                best, best_delay = index, delay
                if delay <= 0:
                    break
        return best

    def _extend(self, rows: list[Claimed]) -> float:
        with self.services.db.session() as session:
            outbox.extend_lease(session, rows, until=self._wall() + self.lease)
        return self._monotonic() + self.lease.total_seconds()

    def _record(self, row: Claimed, send: Send, result: SendResult, report: DeliveryReport) -> None:
        with self.services.db.session() as session:
            now = self.services.clock()
            if result.outcome is Outcome.SENT:
                if outbox.mark_sent(session, row, at=now, channel=result.channel, ts=result.ts):
                    report.sent += 1
                    if send.shows is not None and result.channel and result.ts:
                        message_refs.record(
                            session,
                            workspace_id=row.workspace_id,
                            entity=send.shows.entity,
                            entity_id=send.shows.entity_id,
                            view=send.shows.view,
                            viewer=send.shows.viewer,
                            channel=result.channel,
                            ts=result.ts,
                            detail=send.shows.detail,
                        )
                    if send.after_sent is not None:
                        send.after_sent(session, now)
                else:
                    report.lost_claims += 1
                    logger.warning("outbox row %s was sent after its lease ran out", row.id)
            elif result.outcome is Outcome.RATE_LIMITED and row.attempts < MAX_ATTEMPTS:
                retry = timedelta(seconds=result.retry_after or 1)
                report.rate_limited += outbox.retry_later(session, row, at=now + retry, error="ratelimited")
            elif result.outcome is Outcome.PERMANENT:
                report.failed += outbox.mark_failed(session, row, error=result.error or "failed")
                report.failures.append(f"{row.kind} to {row.target}: {result.error}")
            elif result.unsure and row.attempts < MAX_TRANSIENT_ATTEMPTS:
                # Slack may have posted it: keep the row leased, so its next claim looks before sending.
                report.retrying += outbox.hold_unsure(
                    session, row, until=self._wall() + backoff(row.attempts), error=result.error or "unsure"
                )
            elif row.attempts < MAX_TRANSIENT_ATTEMPTS:
                report.retrying += outbox.retry_later(
                    session, row, at=now + backoff(row.attempts), error=result.error or "transient"
                )
            else:
                error = f"gave up after {row.attempts} attempts: {result.error}"
                report.failed += outbox.mark_failed(session, row, error=error)
                report.failures.append(f"{row.kind} to {row.target}: {error}")

    def _team(self, workspace_id: int) -> Team:
        team = self._teams.get(workspace_id)
        if team is None:
            with self.services.db.session() as session:
                workspace = session.get(Workspace, workspace_id)
                assert workspace is not None  # the row's foreign key
                team = Team(workspace.team_id, workspace.enterprise_id)
            self._teams[workspace_id] = team
        return team
