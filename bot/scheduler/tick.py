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


def run_jobs(services: Services, gateway: SlackGateway) -> list[JobRun]:
    """Every periodic job once, as of ``services.clock()``."""
    ctx = JobContext(services, gateway, current_playbook(services.settings), services.clock())
    return [run_job(job, ctx) for job in all_jobs()]


def tick(services: Services, gateway: SlackGateway, *, deliverer: Deliverer | None = None) -> TickReport:
    report = TickReport(services.clock())
    report.jobs = run_jobs(services, gateway)
    report.delivery = (deliverer or Deliverer(services, gateway)).deliver_due()
    return report
