"""The playbook review: monthly to admins (a clock job), and ``/negotiate review`` on demand.

The job runs hourly; from the first of a month it enqueues the previous month's review once per
admin (outbox key ``playbook_review:<workspace>:<YYYY-MM>:<user>``), rendered at enqueue: the review
is a record of that month. The aggregation is three statements (bench/counterparts.py measures it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session

from bot.flows.counterparts import is_workspace_admin
from bot.members import Actor
from bot.playbook import playbook_for
from bot.scheduler.registry import JobContext, periodic_job
from bot.services import Services
from coaching.playbook import Playbook
from coaching.playbook_review import Review, build_review
from storage.models import Workspace
from storage.queries import outbox
from storage.queries.commitments import active_workspaces
from storage.queries.counterparts import review_breaches, review_kinds, review_trades
from storage.queries.team import admin_user_ids
from templates import Message, render_message

KIND: Final = "playbook_review"
EVERY: Final = timedelta(hours=1)
ON_DEMAND_DAYS: Final = 30


class ReviewRefused(Exception):
    """Not an admin: ``str()`` is the sentence for the member."""


def review_of(
    session: Session, workspace_id: int, playbook: Playbook, start: datetime, end: datetime, period: str
) -> Review:
    kinds = review_kinds(session, workspace_id, start, end)
    trades = review_trades(session, workspace_id, start, end, playbook.policy.balance_attention_ratio)
    breaches = review_breaches(session, workspace_id, start, end)
    return build_review(period, playbook, kinds, trades, breaches)


def review_message(review: Review) -> Message:
    return render_message(
        "messages/playbook_review",
        period=review.period,
        deals=review.deals,
        moves=[asdict(m) for m in review.moves],
        trades=list(review.trades),
        breaches=list(review.breaches),
        suggestions=[asdict(s) for s in review.suggestions],
        note=review.note,
    )


def on_demand(services: Services, actor: Actor, playbook: Playbook) -> Message:
    """``/negotiate review``: the last 30 days, for admins; others get :class:`ReviewRefused`."""
    now = services.clock()
    with services.db.read() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        if not is_workspace_admin(actor, workspace):
            raise ReviewRefused(
                "The playbook review is for the workspace's admins, who own the playbook. "
                "Your own numbers are in `/negotiate digest`."
            )
        start, end = now - timedelta(days=ON_DEMAND_DAYS), now + timedelta(seconds=1)  # up to now
        review = review_of(
            session, actor.workspace_id, playbook, start, end,
            f"the last {ON_DEMAND_DAYS} days",
        )  # fmt: skip
    return review_message(review)


def month_bounds(now: datetime) -> tuple[datetime, datetime, str]:
    """The calendar month before ``now`` (UTC): its start, end and name."""
    end = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = (end - timedelta(days=1)).replace(day=1)
    return start, end, f"{start:%B %Y}"


@dataclass(frozen=True, slots=True)
class ReviewItem:
    workspace_id: int
    admins: tuple[str, ...]


def _key(workspace_id: int, month: str, user_id: str) -> str:
    return f"{KIND}:{workspace_id}:{month}:{user_id}"


def _due(session: Session, ctx: JobContext) -> list[ReviewItem]:
    """Workspaces whose admins don't have last month's review queued yet."""
    start, _end, _name = month_bounds(ctx.now)
    month = f"{start:%Y-%m}"
    items = []
    for workspace in active_workspaces(session):
        admins = admin_user_ids(session, workspace)
        queued = outbox.existing_keys(session, (_key(workspace.id, month, a) for a in admins))
        missing = tuple(a for a in admins if _key(workspace.id, month, a) not in queued)
        if missing:
            items.append(ReviewItem(workspace.id, missing))
    return items


@periodic_job("playbook_review", every=EVERY, find=_due)
def enqueue_review(item: ReviewItem, ctx: JobContext) -> int:
    """Enqueue last month's playbook review to each admin who hasn't had it (once per month)."""
    start, end, name = month_bounds(ctx.now)
    with ctx.services.db.session() as session:
        playbook = playbook_for(ctx.services, session, item.workspace_id)  # its upload and settings
        message = review_message(review_of(session, item.workspace_id, playbook, start, end, name))
        payload: dict[str, Any] = message.as_kwargs()
        return sum(
            outbox.enqueue(
                session,
                workspace_id=item.workspace_id,
                kind=KIND,
                target=admin,
                payload=payload,
                dedupe_key=_key(item.workspace_id, f"{start:%Y-%m}", admin),
                due_at=ctx.now,
            )
            for admin in item.admins
        )
