"""``parley tick``: every periodic job once as of one instant, then delivery of what is due then.

This is how operators and tests drive time: ``tick(services_with_clock_at_T)`` behaves exactly like
the clock process would at T. Everything it does is idempotent, so ticking twice at the same instant
(or next to a running clock process) enqueues and sends nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.delivery.gateway import SlackGateway
from bot.delivery.worker import Deliverer, DeliveryReport
from bot.playbook import current_playbook
from bot.scheduler.registry import JobContext, JobRun, all_jobs, run_job
from bot.services import Services


@dataclass
class TickReport:
    at: datetime
    jobs: list[JobRun] = field(default_factory=list)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)

    @property
    def enqueued(self) -> int:
        return sum(run.enqueued for run in self.jobs)

    def summary(self) -> str:
        """One line: ``tick <at>: enqueued 2 (commitment_nudges 2); delivered: 2 sent``."""
        detail = ", ".join(f"{run.job_id} {run.enqueued}" for run in self.jobs if run.enqueued)
        failed = sum(run.failed for run in self.jobs)
        line = f"tick {self.at.isoformat()}: enqueued {self.enqueued}"
        if detail:
            line += f" ({detail})"
        if failed:
            line += f", {failed} job item(s) failed (see the log)"
        return f"{line}; delivered: {self.delivery.summary()}"


_JOB_WORDS: dict[str, tuple[str, str]] = {
    "commitment_nudges": ("commitment reminder", "commitment reminders"),
    "debrief_reminders": ("debrief reminder", "debrief reminders"),
    "digests": ("weekly digest", "weekly digests"),
    "trade_timers": ("trade reminder or expiry", "trade reminders and expiries"),
}


def in_words(report: TickReport) -> str:
    """What a tick did, for a person: ``3 commitment reminders and 1 weekly digest sent.``

    No instants, job ids or outbox states: a message that turned out not to be needed any more (the
    commitment was done meanwhile) is "no longer needed", one that waits for working hours "waits".
    """
    made = []
    for run in report.jobs:
        if run.enqueued:
            one, many = _JOB_WORDS.get(run.job_id, ("message", "messages"))
            made.append(f"{run.enqueued} {one if run.enqueued == 1 else many}")
    delivery = report.delivery
    parts = []
    if made:
        parts.append(_and(made) + " due")
    if delivery.sent:
        parts.append(f"{delivery.sent} {'message' if delivery.sent == 1 else 'messages'} delivered")
    if delivery.skipped:
        parts.append(f"{delivery.skipped} no longer needed")
    if delivery.deferred:
        parts.append(f"{delivery.deferred} waiting for working hours")
    if delivery.failed or any(run.failed for run in report.jobs):
        parts.append("some could not be sent (see the log)")
    return (_and(parts) if parts else "nothing was due") + "."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def run_jobs(services: Services, gateway: SlackGateway) -> list[JobRun]:
    """Every periodic job once, as of ``services.clock()``."""
    ctx = JobContext(services, gateway, current_playbook(services.settings), services.clock())
    return [run_job(job, ctx) for job in all_jobs()]


def tick(services: Services, gateway: SlackGateway, *, deliverer: Deliverer | None = None) -> TickReport:
    report = TickReport(services.clock())
    report.jobs = run_jobs(services, gateway)
    report.delivery = (deliverer or Deliverer(services, gateway)).deliver_due()
    return report
