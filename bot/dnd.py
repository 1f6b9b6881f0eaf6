"""Slack's Do Not Disturb for members with a nudge or digest about to go out (``dnd.info``).

A member inside their Do Not Disturb window is not nudged and not sent their digest until it ends:
the delivery is deferred, never dropped (``coaching.away.dnd_from`` decides from the cached answer;
the nudge and digest preparers defer). Slack's answer is cached in ``Member.settings`` under
:data:`~storage.queries.members.DND_KEY` with the instant it was read, and read again only when it is
older than :data:`DND_TTL` (:data:`REFUSED_TTL` after Slack refused, e.g. an install made before the
``dnd:read`` scope was asked for).

The reading is a periodic job, not part of delivery: delivery claims rows under a lease and must not
wait on Slack's pace, whereas a job may. It looks only at members with a nudge or digest due within
:data:`LOOKAHEAD` (``parley tick`` runs jobs before delivery, so this tick's rows are seen), at most
:data:`PER_RUN` a run — one minute of ``dnd.info``'s Tier 3 allowance — each call paced by the
gateway. Anyone not read in time is treated as reachable: a failing or slow ``dnd.info`` never holds
back or drops a nudge. Bot tokens see the DnD *schedule* (``dnd_enabled``, ``next_dnd_start_ts``,
``next_dnd_end_ts``); Slack shows ``snooze_*`` only to the member's own token, so a snooze is honoured
when Slack reports one and is otherwise invisible to Parley.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.gateway import Team
from bot.scheduler.registry import JobContext, periodic_job
from storage.models import Member, OutboxMessage, Workspace
from storage.queries.assessments import lock_member, set_setting
from storage.queries.members import DND_KEY
from storage.queries.outbox import PENDING

logger = logging.getLogger(__name__)

DND_KINDS: Final = frozenset({"nudge", "digest"})
"""Outbox kinds that wait for a member's Do Not Disturb to end."""
DND_TTL: Final = timedelta(minutes=30)
REFUSED_TTL: Final = timedelta(hours=24)
LOOKAHEAD: Final = timedelta(minutes=5)
PER_RUN: Final = 50
EVERY: Final = timedelta(minutes=1)


def cached_dnd(settings: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    value = (settings or {}).get(DND_KEY)
    return value if isinstance(value, Mapping) else None


def is_stale(cached: Mapping[str, Any] | None, now: datetime) -> bool:
    """Whether to ask Slack again: never asked, or asked longer ago than the cache keeps answers."""
    if cached is None:
        return True
    checked = cached.get("checked")
    if not isinstance(checked, int) or isinstance(checked, bool):
        return True
    ttl = REFUSED_TTL if cached.get("error") else DND_TTL
    return now.timestamp() - checked >= ttl.total_seconds()


def _seconds(body: Mapping[str, Any], key: str) -> int:
    value = body.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def cache_entry(body: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """What is kept of a ``dnd.info`` answer (or of its error), stamped with when it was read."""
    checked = int(now.timestamp())
    if "error" in body:
        return {"checked": checked, "error": str(body["error"])[:60]}
    return {
        "checked": checked,
        "enabled": body.get("dnd_enabled") is True,
        "start": _seconds(body, "next_dnd_start_ts"),
        "end": _seconds(body, "next_dnd_end_ts"),
        "snooze_end": _seconds(body, "snooze_endtime") if body.get("snooze_enabled") is True else 0,
    }


@dataclass(frozen=True, slots=True)
class DndItem:
    workspace_id: int
    member_id: int
    slack_user_id: str
    team: Team


def _awaiting(session: Session, ctx: JobContext) -> list[DndItem]:
    """Members with a nudge or digest due soon whose cached Do Not Disturb is stale (≤ PER_RUN)."""
    rows = session.execute(
        select(Member.workspace_id, Member.id, Member.slack_user_id, Member.settings, Workspace.team_id,
               Workspace.enterprise_id)
        .join(OutboxMessage, (OutboxMessage.workspace_id == Member.workspace_id)
              & (OutboxMessage.target == Member.slack_user_id))
        .join(Workspace, Workspace.id == Member.workspace_id)
        .where(OutboxMessage.status == PENDING, OutboxMessage.kind.in_(DND_KINDS),
               OutboxMessage.due_at <= ctx.now + LOOKAHEAD, Workspace.uninstalled_at.is_(None))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
    )  # fmt: skip
    items: dict[tuple[int, str], DndItem] = {}
    for workspace_id, member_id, user_id, settings, team_id, enterprise_id in rows:
        if (workspace_id, user_id) in items or not is_stale(cached_dnd(settings), ctx.now):
            continue
        team = Team(team_id, enterprise_id)
        items[(workspace_id, user_id)] = DndItem(workspace_id, member_id, user_id, team)
        if len(items) >= PER_RUN:
            break
    return list(items.values())


@periodic_job("dnd_refresh", every=EVERY, find=_awaiting)
def refresh_dnd(item: DndItem, ctx: JobContext) -> int:
    """Read one member's Do Not Disturb from Slack (outside any transaction) and cache it."""
    body = ctx.gateway.dnd_info(item.team, item.slack_user_id)
    if "error" in body:
        logger.info("dnd.info for %s answered %s: treated as reachable", item.slack_user_id, body["error"])
    with ctx.services.db.session() as session:
        # locked: a settings save or a profile refresh at the same moment keeps its keys
        member = lock_member(session, item.workspace_id, item.member_id)
        if member is not None:
            set_setting(member, DND_KEY, cache_entry(body, ctx.now))
    return 0
