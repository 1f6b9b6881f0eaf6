"""The daily privacy jobs: retention, the leaver policy, and erasure 30 days after an uninstall.

Each works in batches, each batch its own unit of work, and is idempotent: what it deletes or
empties is gone, so a second run (or a second clock) finds nothing more. Every run that changed
something leaves one audit event with the counts (never names).

* ``privacy_retention``: workspace settings ``retention_text_months`` (empty the free text of
  negotiations older than that: prep objectives, limits, walk-away, tradeables, wants and asks, debrief
  reflections and analysis wording, trade reasons; amounts, outcomes, items and titles stay) and
  ``retention_all_months`` (delete negotiations older than that with everything about them: prep,
  debrief, ledger, trades and commitments made for them). Both default off.
* ``leaver_policy``: approvals still waiting on members who left (found by ``users.info``) move on;
  with ``leaver_policy: "anonymise"``, members who left ``leaver_anonymise_days`` (30) days ago are
  erased as if they had asked.
* ``uninstall_erasure``: a workspace uninstalled 30 days ago and not reinstalled loses all its data.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.gateway import Team
from bot.flows.leavers import leaver_policy, mark_left, tell
from bot.flows.member_data import erase_now
from bot.scheduler.registry import JobContext, periodic_job
from coaching.retention import ALL_KEY, TEXT_KEY, months_before, months_setting
from storage.models import Member, Workspace
from storage.queries import audit
from storage.queries import privacy as queries

logger = logging.getLogger(__name__)

DAILY: Final = timedelta(days=1)
BATCH: Final = 500
MAX_BATCHES: Final = 400  # per run and workspace: a huge backlog finishes over the next days
UNINSTALL_GRACE: Final = timedelta(days=30)


def _installed(session: Session) -> list[tuple[int, dict[str, object]]]:
    rows = session.execute(
        select(Workspace.id, Workspace.settings).where(
            Workspace.uninstalled_at.is_(None), Workspace.erased_at.is_(None)
        )
    )
    return [(int(w), dict(s or {})) for w, s in rows]


def _with_retention(session: Session, ctx: JobContext) -> list[int]:
    return [
        ws
        for ws, settings in _installed(session)
        if months_setting(settings, TEXT_KEY) is not None or months_setting(settings, ALL_KEY) is not None
    ]


@periodic_job("privacy_retention", every=DAILY, find=_with_retention)
def apply_retention(workspace_id: int, ctx: JobContext) -> int:
    """Delete old free text and old negotiations as the workspace's retention settings say."""
    with ctx.services.db.session() as session:
        workspace = session.get(Workspace, workspace_id)
        settings = dict(workspace.settings or {}) if workspace is not None else {}
    today = ctx.now.date()
    counts: dict[str, int] = {}
    all_months = months_setting(settings, ALL_KEY)
    if all_months is not None:
        cutoff = months_before(today, all_months)
        for _ in range(MAX_BATCHES):
            with ctx.services.db.session() as session:
                ids = queries.old_negotiation_ids(session, workspace_id, cutoff, limit=BATCH)
                if not ids:
                    break
                for name, count in queries.delete_negotiations(
                    session, workspace_id, ids, now=ctx.now
                ).items():
                    counts[f"deleted_{name}"] = counts.get(f"deleted_{name}", 0) + count
    text_months = months_setting(settings, TEXT_KEY)
    if text_months is not None:
        cutoff = months_before(today, text_months)
        for _ in range(MAX_BATCHES):
            with ctx.services.db.session() as session:
                batch = queries.text_batch(session, workspace_id, cutoff, limit=BATCH, now=ctx.now)
            for name, count in batch.items():
                counts[f"text_emptied_{name}"] = counts.get(f"text_emptied_{name}", 0) + count
            if not any(batch.values()):
                break
    counts = {name: count for name, count in counts.items() if count}
    if counts:
        with ctx.services.db.session() as session:
            audit.record(
                session,
                workspace_id,
                "retention.applied",
                "workspace",
                workspace_id,
                ctx.now,
                text_months=text_months,
                all_months=all_months,
                counts=counts,
            )
    return 0


def _with_leavers(session: Session, ctx: JobContext) -> list[int]:
    installed = {ws for ws, _ in _installed(session)}
    rows = session.scalars(
        select(Member.workspace_id).where(Member.left_at.is_not(None), Member.erased_at.is_(None)).distinct()
    )
    return sorted(int(ws) for ws in rows if int(ws) in installed)


@periodic_job("leaver_policy", every=DAILY, find=_with_leavers)
def apply_leaver_policy(workspace_id: int, ctx: JobContext) -> int:
    """Move approvals off members who left, and anonymise them when the workspace's policy says so."""
    with ctx.services.db.session() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            return 0
        policy, days = leaver_policy(workspace.settings)
        team = Team(workspace.team_id, workspace.enterprise_id)
        leavers = list(
            session.scalars(
                select(Member.id).where(
                    Member.workspace_id == workspace_id,
                    Member.left_at.is_not(None),
                    Member.erased_at.is_(None),
                )
            )
        )
    client = ctx.gateway.client_for(team)
    for member_id in leavers:
        with ctx.services.db.session() as session:
            workspace = session.get(Workspace, workspace_id)
            member = session.get(Member, member_id)
            assert workspace is not None and member is not None
            left = mark_left(session, workspace, member, ctx.now)
        if client is not None and (left.moved or left.reports):
            tell(ctx.services, client, workspace_id, left)
    if policy != "anonymise":
        return 0
    with ctx.services.db.session() as session:
        due = queries.left_members_due(session, workspace_id, ctx.now - timedelta(days=days))
    for member_id in due:
        erase_now(ctx.services, workspace_id, member_id, actor_id=None, via="leaver_policy")
    return 0


def _uninstalled(session: Session, ctx: JobContext) -> list[int]:
    return [
        int(ws)
        for ws in session.scalars(
            select(Workspace.id).where(
                Workspace.uninstalled_at.is_not(None),
                Workspace.uninstalled_at <= ctx.now - UNINSTALL_GRACE,
                Workspace.erased_at.is_(None),
            )
        )
    ]


@periodic_job("uninstall_erasure", every=DAILY, find=_uninstalled)
def erase_uninstalled(workspace_id: int, ctx: JobContext) -> int:
    """Erase everything of a workspace uninstalled 30 days ago and not installed again."""
    with ctx.services.db.session() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None or workspace.uninstalled_at is None or workspace.erased_at is not None:
            return 0  # reinstalled (or done) since the list was read
        if workspace.uninstalled_at > ctx.now - UNINSTALL_GRACE:
            return 0
        counts = queries.erase_workspace(session, workspace, ctx.now)
        audit.record(
            session,
            workspace_id,
            "workspace.erased",
            "workspace",
            workspace_id,
            ctx.now,
            reason="uninstalled_30_days",
            uninstalled_at=workspace.uninstalled_at.isoformat(),
            counts=counts,
        )
    logger.info("erased workspace %s, uninstalled 30 days ago: %s", workspace_id, counts)
    return 0
