"""The weekly digests: built when due in each recipient's time zone, enqueued exactly once.

Every run (every :data:`EVERY`) looks at each workspace: which digests are due now (the configured
local day and time has passed in the recipient's week — see :mod:`bot.digests.schedule`) and not
yet taken care of. Those are built together from one set of aggregate queries
(:func:`bot.digests.build.build_workspace_digests`), then enqueued, learners first:

* a learner digest: a ``DigestRun`` row (unique per workspace, recipient, kind and ISO week) and an
  outbox row keyed ``digest:<workspace>:<recipient>:<kind>:<ISO week>`` in one unit of work. A second
  clock, a rerun or a retry finds the run and enqueues nothing; two claims at the same instant are
  decided by the unique key. A quiet week for a member who asked for none records the run only;
* a manager's or the organisation's: first the chart (rendered to PNG here, in the clock process, and
  uploaded privately), then the same run + outbox row, with the chart in an image block. A chart that
  cannot be uploaded for a transient reason leaves that digest for the next run (at most
  :data:`CHART_PATIENCE` after it fell due; then it goes without the chart, saying so); a permanent
  failure (e.g. no ``files:write`` scope) sends it without the chart at once.

At delivery the row is sent as enqueued (it is the week's record), unless the member has switched
their digest off in the meantime.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.gateway import Team
from bot.delivery.kinds import Defer, DeliveryContext, Prepared, Send, Skip, register_kind
from bot.digests.build import (
    DIGEST_OUTBOX_KIND,
    ChartFile,
    DigestKind,
    PreparedDigest,
    build_workspace_digests,
    done_keys,
    due_recipients,
    member_infos,
    render_digest,
)
from bot.digests.chart import alt_text, render_chart
from bot.digests.schedule import Cadence, cadence_of, slot_for
from bot.digests.upload import UploadFailed, upload_png
from bot.dnd import cached_dnd
from bot.holidays import member_holidays, workspace_holidays
from bot.playbook import playbook_for
from bot.scheduler.registry import JobContext, periodic_job
from coaching.away import dnd_from
from storage.models import Member, Workspace
from storage.queries import digests as queries
from storage.queries import outbox
from storage.queries.commitments import active_workspaces
from storage.queries.outbox import Claimed

logger = logging.getLogger(__name__)

EVERY: Final = timedelta(minutes=5)
CHUNK: Final = 500
"""Digests enqueued per unit of work."""
CHART_PATIENCE: Final = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class DigestItem:
    workspace_id: int


def _workspaces(session: Session, ctx: JobContext) -> list[DigestItem]:
    return [DigestItem(workspace.id) for workspace in active_workspaces(session)]


@periodic_job("digests", every=EVERY, find=_workspaces)
def enqueue_digests(item: DigestItem, ctx: JobContext) -> int:
    """Enqueue the weekly digests that have come due in one workspace (learners, managers, owner)."""
    with ctx.services.db.session() as session:
        workspace = session.get(Workspace, item.workspace_id)
        if workspace is None or workspace.uninstalled_at is not None:
            return 0
        playbook = playbook_for(ctx.services, session, workspace.id)
        holidays = workspace_holidays(playbook.policy, workspace.settings, ctx.now.date())
        slot = slot_for(playbook.policy, workspace.settings, holidays)
        candidates = due_recipients(
            workspace,
            member_infos(session, workspace.id),
            now=ctx.now,
            slot=slot,
            away_statuses=playbook.policy.away_statuses,
            own_holidays=lambda member: member_holidays(
                playbook.policy, workspace.settings, member.settings, member.tz, ctx.now.date()
            ),
        )
        done = done_keys(session, workspace.id, candidates)
        due = [r for r in candidates if r.dedupe_key(workspace.id) not in done]
        if not due:
            return 0
        prepared = build_workspace_digests(session, workspace, now=ctx.now, playbook=playbook, recipients=due)
        team = Team(workspace.team_id, workspace.enterprise_id)
    learners = [p for p in prepared if p.chart is None]
    charted = [p for p in prepared if p.chart is not None]
    enqueued = 0
    for start in range(0, len(learners), CHUNK):
        enqueued += _enqueue(ctx, item.workspace_id, [(p, None, "") for p in learners[start : start + CHUNK]])
    for digest in charted:
        chart, note, later = _chart(ctx, team, item.workspace_id, digest)
        if later:
            continue
        enqueued += _enqueue(ctx, item.workspace_id, [(digest, chart, note)])
    return enqueued


def _chart(
    ctx: JobContext, team: Team, workspace_id: int, digest: PreparedDigest
) -> tuple[ChartFile | None, str, bool]:
    """Render and upload the digest's chart: ``(file, note, try_later)``."""
    assert digest.chart is not None
    if digest.chart.empty:
        return None, "No chart this week: nothing priced was given or received in 12 weeks.", False
    with ctx.services.db.session() as session:
        if _taken(session, workspace_id, digest):
            return None, "", True  # another clock got there first: no second upload
    alt = alt_text(digest.chart)
    try:
        png = render_chart(digest.chart)
        uploaded = upload_png(
            ctx.gateway,
            team,
            png,
            filename=f"parley-{digest.recipient.kind.value}-{digest.recipient.week.label}.png",
            title=f"Give/get and money left behind, 12 weeks to {digest.recipient.week.label}",
            alt_text=alt,
        )
    except UploadFailed as failure:
        late = ctx.now - digest.recipient.week.due_at >= CHART_PATIENCE
        logger.warning(
            "digest chart for %s not uploaded (%s)%s",
            digest.recipient.target,
            failure.error,
            "; sending without it" if (late or not failure.transient) else "; trying again next run",
        )
        if failure.transient and not late:
            return None, "", True
        return None, "The chart couldn't be attached this week.", False
    return ChartFile(uploaded.file_id, alt), "", False


def _taken(session: Session, workspace_id: int, digest: PreparedDigest) -> bool:
    recipient = digest.recipient
    key = recipient.dedupe_key(workspace_id)
    if recipient.member_id is None:
        return bool(queries.outbox_keys(session, workspace_id, [key]))
    runs = queries.runs_for_weeks(session, workspace_id, [recipient.week.label])
    return (recipient.member_id, recipient.kind.value, recipient.week.label) in runs


def _enqueue(
    ctx: JobContext, workspace_id: int, batch: Sequence[tuple[PreparedDigest, ChartFile | None, str]]
) -> int:
    """One unit of work: claim each digest's run, enqueue its message, link the two. The messages are
    rendered before it starts, so the transaction (SQLite's write lock) stays short."""
    rendered = [
        (digest, None if digest.skip is not None else render_digest(digest, chart, note).as_kwargs())
        for digest, chart, note in batch
    ]
    added = 0
    with ctx.services.db.session() as session:
        links: dict[int, str] = {}
        for digest, message in rendered:
            recipient = digest.recipient
            key = recipient.dedupe_key(workspace_id)
            run_id = None
            if recipient.member_id is not None:
                run_id = queries.claim_run(
                    session, workspace_id, recipient.member_id, recipient.kind.value, recipient.week.label
                )
                if run_id is None:
                    continue  # already taken care of
            if message is None:
                continue  # a quiet week nobody wants: the run records it, nothing is sent
            payload: dict[str, Any] = {
                "message": message,
                "member_id": recipient.member_id,
                "kind": recipient.kind.value,
                "week": recipient.week.label,
            }
            if outbox.enqueue(
                session,
                workspace_id=workspace_id,
                kind=DIGEST_OUTBOX_KIND,
                target=recipient.target,
                payload=payload,
                dedupe_key=key,
                due_at=ctx.now,
            ):
                added += 1
            if run_id is not None:
                links[run_id] = key
        queries.link_runs(session, workspace_id, links)
    return added


# ------------------------------------------------------------------------------------------ delivery


def prepare_digest(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    """Send the digest as enqueued, unless its reader switched digests off since; while they are in
    Slack's Do Not Disturb it waits until that ends (``bot.dnd``)."""
    message = row.payload.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return Skip("digest payload without a message")
    member_id = row.payload.get("member_id")
    if isinstance(member_id, int) and row.payload.get("kind") != DigestKind.ORGANISATION.value:
        settings = session.scalar(
            select(Member.settings).where(Member.workspace_id == row.workspace_id, Member.id == member_id)
        )
        if cadence_of(settings) is Cadence.OFF:
            return Skip("the member switched their digest off")
        dnd = dnd_from(cached_dnd(settings), ctx.now)
        if dnd is not None and dnd.until is not None:
            return Defer(dnd.until, dnd.reason)
    return Send({"text": message["text"], "blocks": message.get("blocks") or []})


register_kind(DIGEST_OUTBOX_KIND, prepare_digest)
