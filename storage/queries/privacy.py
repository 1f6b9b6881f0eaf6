"""Members' data: what Parley holds about one member (read in batches), erasing it, retention.

Erasure keeps other people's records and the aggregates true: the member's row becomes a tombstone
("a former member", no Slack id, name or email), their own writing goes (preps, debrief reflections,
assessment answers, the commitments they own, the text of their ledger lines) and what others'
records need stays in anonymised form (ledger amounts, trades decided by or for others). A final
sweep replaces any remaining mention of the member's Slack id, name or email in every text and JSON
column of the workspace, so no row names them afterwards.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Column,
    String,
    Table,
    Text,
    and_,
    cast,
    delete,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from storage.base import Base
from storage.models import (
    AssessmentResult,
    AuditEvent,
    Commitment,
    DataRequest,
    Debrief,
    DigestRun,
    LedgerEntry,
    Member,
    Negotiation,
    OutboxMessage,
    PrepPlan,
    TradeProposal,
    Workspace,
)
from storage.queries import message_refs
from storage.queries.counterparts import untally

FORMER_MEMBER: Final = "a former member"
ERASED_TITLE: Final = "(erased)"
BATCH: Final = 1_000
PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
EXPORT, ERASE = "export", "erase"


# ------------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ArchiveTable:
    """One file pair of a member's archive: ``<name>.jsonl`` and ``<name>.csv`` with these columns."""

    name: str
    columns: tuple[str, ...]


ARCHIVE_TABLES: Final = (
    ArchiveTable(
        "profile",
        (
            "slack_user_id",
            "display_name",
            "email",
            "tz",
            "role",
            "style",
            "manager",
            "settings",
            "created_at",
            "left_at",
        ),
    ),
    ArchiveTable(
        "assessments",
        ("taken_at", "primary_style", "secondary_style", "confidence", "scores", "answers"),
    ),
    ArchiveTable(
        "negotiations",
        ("id", "title", "counterpart_kind", "counterpart_name", "date", "status", "currency", "created_at"),
    ),
    ArchiveTable(
        "preps",
        (
            "negotiation_id",
            "objectives",
            "limits",
            "walk_away",
            "tradeables",
            "wants",
            "asks",
            "style",
            "counterpart_style",
            "created_at",
            "updated_at",
        ),
    ),
    ArchiveTable("debriefs", ("negotiation_id", "outcome", "reflection", "analysis", "submitted_at")),
    ArchiveTable(
        "ledger_entries",
        (
            "id",
            "negotiation_id",
            "kind",
            "item",
            "value_minor",
            "currency",
            "received_item",
            "received_value_minor",
            "recorded_at",
        ),
    ),
    ArchiveTable(
        "trades",
        (
            "id",
            "role",
            "negotiation_id",
            "get_item",
            "get_value_minor",
            "give_item",
            "give_cost_minor",
            "currency",
            "reason",
            "status",
            "decision_reason",
            "created_at",
            "decided_at",
        ),
    ),
    ArchiveTable(
        "commitments",
        (
            "id",
            "role",
            "negotiation_id",
            "text",
            "due",
            "status",
            "notice_days",
            "chargeback_percent",
            "chargeback_base_minor",
            "units",
            "unit",
            "currency",
            "closed_at",
            "created_at",
        ),
    ),
    ArchiveTable("activity", ("at", "action", "subject_type", "subject_id")),
)


def _rows(session: Session, statement: Any, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Rows streamed from the database ``BATCH`` at a time (a server-side cursor on PostgreSQL)."""
    result = session.execute(statement.execution_options(yield_per=BATCH))
    for row in result:
        yield dict(zip(columns, row, strict=True))


def read_archive_table(session: Session, member: Member, name: str) -> Iterator[dict[str, Any]]:
    """The rows of one archive table for ``member``, streamed in batches."""
    ws, me = member.workspace_id, member.id
    mine = select(Negotiation.id).where(Negotiation.workspace_id == ws, Negotiation.owner_id == me)
    if name == "profile":
        manager = session.get(Member, member.manager_id) if member.manager_id else None
        yield {
            "slack_user_id": member.slack_user_id,
            "display_name": member.display_name,
            "email": member.email,
            "tz": member.tz,
            "role": member.role,
            "style": member.style,
            "manager": manager.slack_user_id if manager else None,
            "settings": dict(member.settings or {}),
            "created_at": member.created_at,
            "left_at": member.left_at,
        }
    elif name == "assessments":
        a = AssessmentResult
        yield from _rows(
            session,
            select(a.taken_at, a.primary_style, a.secondary_style, a.confidence, a.scores, a.answers)
            .where(a.workspace_id == ws, a.member_id == me)
            .order_by(a.id),
            ARCHIVE_COLUMNS["assessments"],
        )
    elif name == "negotiations":
        n = Negotiation
        yield from _rows(
            session,
            select(
                n.id,
                n.title,
                n.counterpart_kind,
                n.counterpart_name,
                n.date,
                n.status,
                n.currency,
                n.created_at,
            )
            .where(n.workspace_id == ws, n.owner_id == me)
            .order_by(n.id),
            ARCHIVE_COLUMNS["negotiations"],
        )
    elif name == "preps":
        p = PrepPlan
        yield from _rows(
            session,
            select(
                p.negotiation_id,
                p.objectives,
                p.limits,
                p.walk_away,
                p.tradeables,
                p.wants,
                p.asks,
                p.style,
                p.counterpart_style,
                p.created_at,
                p.updated_at,
            )
            .where(p.workspace_id == ws, p.negotiation_id.in_(mine))
            .order_by(p.id),
            ARCHIVE_COLUMNS["preps"],
        )
    elif name == "debriefs":
        d = Debrief
        yield from _rows(
            session,
            select(d.negotiation_id, d.outcome, d.reflection, d.analysis, d.submitted_at)
            .where(d.workspace_id == ws, or_(d.member_id == me, d.negotiation_id.in_(mine)))
            .order_by(d.id),
            ARCHIVE_COLUMNS["debriefs"],
        )
    elif name == "ledger_entries":
        e = LedgerEntry
        yield from _rows(
            session,
            select(
                e.id,
                e.negotiation_id,
                e.kind,
                e.item,
                e.value_minor,
                e.currency,
                e.received_item,
                e.received_value_minor,
                e.recorded_at,
            )
            .where(e.workspace_id == ws, e.negotiation_id.in_(mine))
            .order_by(e.id),
            ARCHIVE_COLUMNS["ledger_entries"],
        )
    elif name == "trades":
        t = TradeProposal
        for row in _rows(
            session,
            select(
                t.id,
                t.requester_id,
                t.negotiation_id,
                t.get_item,
                t.get_value_minor,
                t.give_item,
                t.give_cost_minor,
                t.currency,
                t.reason,
                t.status,
                t.decision_reason,
                t.created_at,
                t.decided_at,
            )
            .where(
                t.workspace_id == ws, or_(t.requester_id == me, t.approver_id == me, t.decided_by_id == me)
            )
            .order_by(t.id),
            ("id", "requester_id", *ARCHIVE_COLUMNS["trades"][2:]),
        ):
            row["role"] = "proposer" if row.pop("requester_id") == me else "approver"
            yield row
    elif name == "commitments":
        c = Commitment
        for row in _rows(
            session,
            select(
                c.id,
                c.owner_id,
                c.negotiation_id,
                c.text,
                c.due,
                c.status,
                c.notice_days,
                c.chargeback_percent,
                c.chargeback_base_minor,
                c.units,
                c.unit,
                c.currency,
                c.closed_at,
                c.created_at,
            )
            .where(c.workspace_id == ws, or_(c.owner_id == me, c.owed_to_id == me))
            .order_by(c.id),
            ("id", "owner_id", *ARCHIVE_COLUMNS["commitments"][2:]),
        ):
            row["role"] = "owner" if row.pop("owner_id") == me else "owed_to"
            yield row
    elif name == "activity":
        ev = AuditEvent
        yield from _rows(
            session,
            select(ev.at, ev.action, ev.subject_type, ev.subject_id)
            .where(ev.workspace_id == ws, ev.actor_id == me)
            .order_by(ev.id),
            ARCHIVE_COLUMNS["activity"],
        )
    else:
        raise KeyError(name)


ARCHIVE_COLUMNS: Final = {table.name: table.columns for table in ARCHIVE_TABLES}


def holdings(session: Session, member: Member) -> dict[str, int]:
    """How many rows of each kind Parley holds about ``member`` (for the my-data modal)."""
    ws, me = member.workspace_id, member.id
    mine = select(Negotiation.id).where(Negotiation.workspace_id == ws, Negotiation.owner_id == me)

    def count(model: Any, *where: Any) -> int:
        from sqlalchemy import func

        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    return {
        "negotiations": count(Negotiation, Negotiation.workspace_id == ws, Negotiation.owner_id == me),
        "preps": count(PrepPlan, PrepPlan.workspace_id == ws, PrepPlan.negotiation_id.in_(mine)),
        "debriefs": count(Debrief, Debrief.workspace_id == ws, Debrief.negotiation_id.in_(mine)),
        "ledger_entries": count(
            LedgerEntry, LedgerEntry.workspace_id == ws, LedgerEntry.negotiation_id.in_(mine)
        ),
        "assessments": count(
            AssessmentResult, AssessmentResult.workspace_id == ws, AssessmentResult.member_id == me
        ),
        "trades": count(
            TradeProposal,
            TradeProposal.workspace_id == ws,
            or_(TradeProposal.requester_id == me, TradeProposal.approver_id == me),
        ),
        "commitments": count(Commitment, Commitment.workspace_id == ws, Commitment.owner_id == me),
    }


# --------------------------------------------------------------------------------------- requests


def open_request(session: Session, workspace_id: int, member_id: int, kind: str) -> DataRequest | None:
    """A pending or running request of ``kind`` for the member, if any."""
    return session.scalar(
        select(DataRequest)
        .where(
            DataRequest.workspace_id == workspace_id,
            DataRequest.member_id == member_id,
            DataRequest.kind == kind,
            DataRequest.status.in_((PENDING, RUNNING)),
        )
        .order_by(DataRequest.id)
        .limit(1)
    )


def add_request(
    session: Session,
    *,
    workspace_id: int,
    member_id: int,
    requested_by_id: int | None,
    kind: str,
    deliver_to: str | None,
    at: datetime,
) -> DataRequest:
    request = DataRequest(
        workspace_id=workspace_id,
        member_id=member_id,
        requested_by_id=requested_by_id,
        kind=kind,
        status=PENDING,
        deliver_to=deliver_to,
        detail={},
        attempts=0,
        requested_at=at,
    )
    session.add(request)
    session.flush()
    return request


def due_requests(session: Session, now: datetime, limit: int = 100) -> list[tuple[int, int]]:
    """``(workspace_id, request_id)`` of pending requests, oldest first (erasures before exports of the
    same age, so an export never starts on data about to go)."""
    rows = session.execute(
        select(DataRequest.workspace_id, DataRequest.id)
        .where(DataRequest.status == PENDING, DataRequest.requested_at <= now)
        .order_by(DataRequest.requested_at, DataRequest.id)
        .limit(limit)
    )
    return [(int(w), int(i)) for w, i in rows]


def claim_request(session: Session, request_id: int, now: datetime) -> bool:
    """pending → running, atomically: two clocks never run the same request."""
    changed = session.execute(
        update(DataRequest)
        .where(DataRequest.id == request_id, DataRequest.status == PENDING)
        .values(status=RUNNING, started_at=now, attempts=DataRequest.attempts + 1)
    )
    return bool(getattr(changed, "rowcount", 0))


# ---------------------------------------------------------------------------------------- erasure


def blank_strings(value: Any) -> Any:
    """``value`` with every string emptied and every shape kept (lists keep their lengths, so counts
    such as "limits breached" stay true)."""
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return [blank_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: blank_strings(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Needles:
    """What names a member: their Slack id, name and email."""

    slack_user_id: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, member: Member) -> Needles:
        names = [n for n in (member.display_name, member.email) if n and n != member.slack_user_id]
        return cls(member.slack_user_id, tuple(n for n in names if len(n.strip()) >= 2))

    def all(self) -> tuple[str, ...]:
        return (self.slack_user_id, *self.names)

    def patterns(self) -> list[re.Pattern[str]]:
        found = [re.compile(rf"<@{re.escape(self.slack_user_id)}(\|[^>]*)?>")]
        found += [re.compile(re.escape(self.slack_user_id))]
        found += [re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") for name in self.names]
        return found

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            for pattern in self.patterns():
                value = pattern.sub(FORMER_MEMBER, value)
            return value
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, dict):
            return {self.scrub(key): self.scrub(item) for key, item in value.items()}
        return value


def _text_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if isinstance(c.type, String | Text | JSON) or _is_json(c)]


def _is_json(column: Column[Any]) -> bool:
    return isinstance(column.type, JSON) or type(column.type).__name__ in ("JSONB", "JSON")


def _like_terms(needle: str) -> list[str]:
    """How ``needle`` may appear in a column's text: as typed, and as JSON writes it (``\\u00eb``)."""
    escaped = json.dumps(needle)[1:-1]
    return list(dict.fromkeys([needle, escaped]))


def sweep_mentions(session: Session, workspace_id: int, needles: Needles, *, skip_member_id: int) -> int:
    """Replace every remaining mention of ``needles`` in the workspace's text and JSON columns.

    Candidates are found in SQL (``LIKE`` on the text, or on the JSON as text), then rewritten in
    Python; returns how many rows changed. The workspace's own settings are handled by the caller.
    """
    changed = 0
    for table in Base.metadata.sorted_tables:
        if "workspace_id" not in table.columns or table.name == "workspaces":
            continue
        columns = _text_columns(table)
        if not columns:
            continue
        key = table.columns["id"]
        conditions = []
        for column in columns:
            as_text = cast(column, Text) if _is_json(column) else column
            for needle in needles.all():
                for term in _like_terms(needle):
                    conditions.append(as_text.like(f"%{_escape_like(term)}%", escape="\\"))
        where = [table.columns["workspace_id"] == workspace_id, or_(*conditions)]
        if table.name == "members":
            where.append(key != skip_member_id)
        rows = session.execute(select(key, *columns).where(*where)).all()
        for row in rows:
            values = {}
            for column, value in zip(columns, row[1:], strict=True):
                if value is None:
                    continue
                new = needles.scrub(value)
                if new != value:
                    values[column.name] = new
            if values:
                session.execute(update(table).where(key == row[0]).values(**values))
                changed += 1
    return changed


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _without_user(value: Any, slack_user_id: str) -> Any:
    """A settings value with ``slack_user_id`` taken out (a list loses it; a matching value is None)."""
    if value == slack_user_id:
        return None
    if isinstance(value, list):
        return [_without_user(item, slack_user_id) for item in value if item != slack_user_id]
    if isinstance(value, dict):
        return {
            k: v for k, v in ((k, _without_user(v, slack_user_id)) for k, v in value.items()) if v is not None
        }
    return value


def _installation_tables(session: Session) -> list[Table]:
    """slack-sdk's installation tables, where they exist (created by migration 0001)."""
    names = set(inspect(session.connection()).get_table_names())
    found = []
    for name in ("slack_installations", "slack_bots"):
        if name in names:
            found.append(Table(name, Base.metadata.__class__(), autoload_with=session.connection()))
    return found


def erase_member(session: Session, member: Member, now: datetime) -> dict[str, int]:
    """Erase ``member`` in one unit of work; returns counts of what went and what was anonymised."""
    ws, me = member.workspace_id, member.id
    needles = Needles.of(member)
    mine = select(Negotiation.id).where(Negotiation.workspace_id == ws, Negotiation.owner_id == me)
    counts: dict[str, int] = {}

    def run(name: str, statement: Any) -> None:
        counts[name] = counts.get(name, 0) + int(getattr(session.execute(statement), "rowcount", 0) or 0)

    counts["cards_retired"] = _retire_cards_of(session, member, now)
    run(
        "trades_withdrawn",
        update(TradeProposal)
        .where(
            TradeProposal.workspace_id == ws,
            TradeProposal.requester_id == me,
            TradeProposal.status.in_(OPEN_TRADE_STATUSES),
        )
        .values(status="withdrawn", decided_at=now, turn_started_at=None),
    )
    run(
        "preps_deleted",
        delete(PrepPlan).where(PrepPlan.workspace_id == ws, PrepPlan.negotiation_id.in_(mine)),
    )
    debriefs = session.execute(
        select(Debrief.id, Debrief.analysis).where(
            Debrief.workspace_id == ws, or_(Debrief.member_id == me, Debrief.negotiation_id.in_(mine))
        )
    ).all()
    for debrief_id, analysis in debriefs:
        session.execute(
            update(Debrief)
            .where(Debrief.id == debrief_id)
            .values(reflection="", analysis=blank_strings(analysis or {}))
        )
    counts["debriefs_anonymised"] = len(debriefs)
    untally(session, ws, mine)  # their items go (the key too), so their trades stop being evidence
    run(
        "ledger_entries_anonymised",
        update(LedgerEntry)
        .where(LedgerEntry.workspace_id == ws, LedgerEntry.negotiation_id.in_(mine))
        .values(item="", item_key=None, received_item=None),
    )
    run(
        "negotiations_anonymised",
        update(Negotiation)
        .where(Negotiation.workspace_id == ws, Negotiation.owner_id == me)
        .values(title=ERASED_TITLE),
    )
    run(
        "commitments_deleted",
        delete(Commitment).where(Commitment.workspace_id == ws, Commitment.owner_id == me),
    )
    run(
        "assessments_deleted",
        delete(AssessmentResult).where(AssessmentResult.workspace_id == ws, AssessmentResult.member_id == me),
    )
    run(
        "trades_anonymised",
        update(TradeProposal)
        .where(TradeProposal.workspace_id == ws, TradeProposal.requester_id == me)
        .values(reason="", proposer_channel=None, proposer_ts=None),
    )
    run(
        "trades_decided_anonymised",
        update(TradeProposal)
        .where(TradeProposal.workspace_id == ws, TradeProposal.decided_by_id == me)
        .values(decision_reason=None),
    )
    session.execute(
        update(TradeProposal)
        .where(TradeProposal.workspace_id == ws, TradeProposal.escalated_to == member.slack_user_id)
        .values(escalated_to=None)
    )
    run(
        "digests_deleted", delete(DigestRun).where(DigestRun.workspace_id == ws, DigestRun.recipient_id == me)
    )
    run(
        "messages_deleted",
        delete(OutboxMessage).where(
            OutboxMessage.workspace_id == ws, OutboxMessage.target == member.slack_user_id
        ),
    )
    run(
        "reports_unlinked",
        update(Member).where(Member.workspace_id == ws, Member.manager_id == me).values(manager_id=None),
    )
    session.execute(
        delete(DataRequest).where(
            DataRequest.workspace_id == ws, DataRequest.member_id == me, DataRequest.kind == EXPORT
        )
    )
    session.execute(
        update(DataRequest)
        .where(DataRequest.workspace_id == ws, DataRequest.deliver_to == member.slack_user_id)
        .values(deliver_to=None)
    )
    workspace = session.get(Workspace, ws)
    if workspace is not None and workspace.settings:
        cleaned = _without_user(dict(workspace.settings), member.slack_user_id)
        if cleaned != workspace.settings:
            workspace.settings = cleaned
        for table in _installation_tables(session):
            for column in ("user_id", "installer_user_id"):
                if column in table.columns:
                    session.execute(
                        update(table)
                        .where(
                            table.columns["team_id"] == workspace.team_id,
                            table.columns[column] == member.slack_user_id,
                        )
                        .values({column: ""})
                    )
    # The member's row becomes the tombstone everyone's records now point at.
    member.slack_user_id = f"erased-{uuid.uuid4().hex[:24]}"
    member.display_name = FORMER_MEMBER
    member.email = None
    member.tz = "UTC"
    member.is_slack_admin = False
    member.role = "learner"
    member.manager_id = None
    member.style = None
    member.settings = {}
    member.profile_refreshed_at = None
    member.erased_at = now
    session.flush()
    counts["mentions_replaced"] = sweep_mentions(session, ws, needles, skip_member_id=me)
    return {name: count for name, count in counts.items() if count}


OPEN_TRADE_STATUSES: Final = ("pending", "countered")
PLAN_VIEW: Final = "plan"  # how a prep plan card is recorded with its negotiation (bot.flows.prep)
FULL_PLAN_VIEW: Final = "plan_full"  # the full plan, replied under the card (not a recorded message)


def _retire_plans(
    session: Session, workspace_id: int, negotiation_ids: Sequence[int], *, reason: str, now: datetime
) -> int:
    """The plan cards of these negotiations and the full plans replied under them."""
    if not negotiation_ids:
        return 0
    retired = message_refs.retire(
        session,
        workspace_id,
        message_refs.NEGOTIATION,
        negotiation_ids,
        reason=reason,
        now=now,
        views=(PLAN_VIEW,),
    )
    replies = session.execute(
        select(PrepPlan.slack_channel, PrepPlan.slack_thread_ts).where(
            PrepPlan.workspace_id == workspace_id,
            PrepPlan.negotiation_id.in_(list(negotiation_ids)),
            PrepPlan.slack_channel.is_not(None),
            PrepPlan.slack_thread_ts.is_not(None),
        )
    ).all()
    for channel, ts in replies:
        if channel is None or ts is None:
            continue
        retired += message_refs.retire_place(
            session,
            workspace_id,
            channel,
            ts,
            message_refs.NEGOTIATION,
            FULL_PLAN_VIEW,
            reason=reason,
            now=now,
        )
    return retired


def _retire_cards_of(session: Session, member: Member, now: datetime) -> int:
    """Every posted card of what the erasure deletes or empties says so, without buttons or text:
    the member's negotiations (plans, debrief reminders), the commitments they owe or are owed, and
    the trades they proposed (withdrawn if still open). Cards of trades they decided or were escalated
    are brought up to date instead (the trade stays, with their part anonymised)."""
    ws, me = member.workspace_id, member.id
    retired = 0
    negotiations = session.scalars(
        select(Negotiation.id).where(Negotiation.workspace_id == ws, Negotiation.owner_id == me)
    ).all()
    retired += _retire_plans(session, ws, negotiations, reason=message_refs.ERASED, now=now)
    retired += message_refs.retire(
        session, ws, message_refs.NEGOTIATION, negotiations, reason=message_refs.ERASED, now=now
    )
    commitments = session.scalars(
        select(Commitment.id).where(
            Commitment.workspace_id == ws, or_(Commitment.owner_id == me, Commitment.owed_to_id == me)
        )
    ).all()
    retired += message_refs.retire(
        session, ws, message_refs.COMMITMENT, commitments, reason=message_refs.ERASED, now=now
    )
    proposed = session.scalars(
        select(TradeProposal.id).where(TradeProposal.workspace_id == ws, TradeProposal.requester_id == me)
    ).all()
    retired += message_refs.retire(
        session, ws, message_refs.TRADE, proposed, reason=message_refs.ERASED, now=now
    )
    touched = session.scalars(
        select(TradeProposal.id).where(
            TradeProposal.workspace_id == ws,
            TradeProposal.requester_id != me,
            or_(
                TradeProposal.decided_by_id == me,
                TradeProposal.approver_id == me,
                TradeProposal.escalated_to == member.slack_user_id,
            ),
        )
    ).all()
    for trade_id in touched:
        message_refs.enqueue_refresh(
            session, ws, message_refs.TRADE, trade_id, now=now, version=f"erased-party:{me}"
        )
    return retired


def has_data(session: Session, member: Member) -> bool:
    return any(holdings(session, member).values())


# -------------------------------------------------------------------------------------- retention


def _older(cutoff: date) -> Any:
    """Negotiations whose day (or, without one, whose creation) is before ``cutoff``."""
    cutoff_at = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC)
    return or_(
        Negotiation.date < cutoff,
        and_(Negotiation.date.is_(None), Negotiation.created_at < cutoff_at),
    )


def old_negotiation_ids(session: Session, workspace_id: int, cutoff: date, *, limit: int) -> list[int]:
    return list(
        session.scalars(
            select(Negotiation.id)
            .where(Negotiation.workspace_id == workspace_id, _older(cutoff))
            .order_by(Negotiation.id)
            .limit(limit)
        )
    )


def delete_negotiations(
    session: Session, workspace_id: int, ids: Sequence[int], *, now: datetime
) -> dict[str, int]:
    """Everything of these negotiations: trades and commitments made for them, the ledger, the
    debrief and the prep, then the negotiations themselves. Every posted card of them (plans,
    reminders, trade requests, commitments) is overwritten to say the retention policy removed it."""
    counts: dict[str, int] = {}
    retired = 0
    for entity, model in ((message_refs.TRADE, TradeProposal), (message_refs.COMMITMENT, Commitment)):
        owned = session.scalars(
            select(model.id).where(model.workspace_id == workspace_id, model.negotiation_id.in_(ids))
        ).all()
        retired += message_refs.retire(
            session, workspace_id, entity, owned, reason=message_refs.RETENTION, now=now
        )
    retired += message_refs.retire(
        session, workspace_id, message_refs.NEGOTIATION, ids, reason=message_refs.RETENTION, now=now
    )
    retired += _retire_plans(session, workspace_id, ids, reason=message_refs.RETENTION, now=now)
    counts["cards_retired"] = retired
    untally(session, workspace_id, ids)  # "trades that work here" forgets them too
    models: tuple[tuple[str, Any], ...] = (
        ("trades", TradeProposal),
        ("commitments", Commitment),
        ("ledger_entries", LedgerEntry),
        ("debriefs", Debrief),
        ("preps", PrepPlan),
    )
    for name, model in models:
        result = session.execute(
            delete(model).where(model.workspace_id == workspace_id, model.negotiation_id.in_(ids))
        )
        counts[name] = int(getattr(result, "rowcount", 0) or 0)
    result = session.execute(
        delete(Negotiation).where(Negotiation.workspace_id == workspace_id, Negotiation.id.in_(ids))
    )
    counts["negotiations"] = int(getattr(result, "rowcount", 0) or 0)
    return counts


PREP_TEXT: Final = ("objectives", "limits", "walk_away", "tradeables", "wants", "asks")


def text_batch(
    session: Session, workspace_id: int, cutoff: date, *, limit: int, now: datetime
) -> dict[str, int]:
    """Empty the free text of up to ``limit`` old negotiations that still have some; amounts,
    outcomes and items stay. Returns what changed (all zero once nothing is left: idempotent).

    A prep plan card showed the emptied text: it is overwritten to say the retention policy removed
    it. A trade card is brought up to date (it stays, without its reasons)."""
    old = select(Negotiation.id).where(Negotiation.workspace_id == workspace_id, _older(cutoff))
    counts: dict[str, int] = {}
    found = session.execute(
        select(PrepPlan.id, PrepPlan.negotiation_id)
        .where(
            PrepPlan.workspace_id == workspace_id,
            PrepPlan.negotiation_id.in_(old),
            or_(*(getattr(PrepPlan, name) != "" for name in PREP_TEXT)),
        )
        .limit(limit)
    ).all()
    preps = [prep_id for prep_id, _ in found]
    if preps:
        session.execute(
            update(PrepPlan)
            .where(PrepPlan.workspace_id == workspace_id, PrepPlan.id.in_(preps))
            .values(dict.fromkeys(PREP_TEXT, ""))
        )
        planned = [negotiation_id for _, negotiation_id in found]
        _retire_plans(session, workspace_id, planned, reason=message_refs.RETENTION, now=now)
    counts["preps"] = len(preps)
    debriefs = session.execute(
        select(Debrief.id, Debrief.analysis)
        .where(
            Debrief.workspace_id == workspace_id, Debrief.negotiation_id.in_(old), Debrief.reflection != ""
        )
        .limit(limit)
    ).all()
    for debrief_id, analysis in debriefs:
        session.execute(
            update(Debrief)
            .where(Debrief.id == debrief_id)
            .values(reflection="", analysis=blank_strings(analysis or {}))
        )
    counts["debriefs"] = len(debriefs)
    trades = list(
        session.scalars(
            select(TradeProposal.id)
            .where(
                TradeProposal.workspace_id == workspace_id,
                TradeProposal.negotiation_id.in_(old),
                or_(TradeProposal.reason != "", TradeProposal.decision_reason.is_not(None)),
            )
            .limit(limit)
        )
    )
    if trades:
        session.execute(
            update(TradeProposal).where(TradeProposal.id.in_(trades)).values(reason="", decision_reason=None)
        )
        for trade_id in trades:
            message_refs.enqueue_refresh(
                session, workspace_id, message_refs.TRADE, trade_id, now=now, version="text-retention"
            )
    counts["trades"] = len(trades)
    return counts


def left_members_due(session: Session, workspace_id: int, left_before: datetime) -> list[int]:
    """Members who left Slack before ``left_before`` and are not erased yet."""
    return list(
        session.scalars(
            select(Member.id).where(
                Member.workspace_id == workspace_id,
                Member.left_at.is_not(None),
                Member.left_at <= left_before,
                Member.erased_at.is_(None),
            )
        )
    )


def erase_workspace(session: Session, workspace: Workspace, now: datetime) -> dict[str, int]:
    """Every row of the workspace, in every table, then its settings; the workspace row stays (its
    team id and ``erased_at``) so the audit event that records this has a tenant."""
    counts: dict[str, int] = {}
    for table in reversed(Base.metadata.sorted_tables):
        if "workspace_id" not in table.columns:
            continue
        if table.name == "members":  # last: others point at members
            continue
        result = session.execute(delete(table).where(table.columns["workspace_id"] == workspace.id))
        counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
    session.execute(update(Member).where(Member.workspace_id == workspace.id).values(manager_id=None))
    result = session.execute(delete(Member).where(Member.workspace_id == workspace.id))
    counts["members"] = int(getattr(result, "rowcount", 0) or 0)
    for table in _installation_tables(session):
        result = session.execute(delete(table).where(table.columns["team_id"] == workspace.team_id))
        counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
    workspace.settings = {}
    workspace.name = None
    workspace.erased_at = now
    return {name: count for name, count in counts.items() if count}
