"""The weekly digests' data for a whole workspace, from a constant number of aggregate queries.

Every digest of a workspace (each learner's, each manager's, the organisation's) is built from one
:class:`DigestData`, read by :func:`load_digest_data` in the same ten statements whether the workspace
has ten members or ten thousand (a test counts them). The sums are done by the database: ledger money
per member, week, counterpart kind and currency; debriefed negotiations per member, week, kind and
outcome; commitments kept and lapsed per member and week; and, for the charts, money per team and
week. Only the few rows a digest names come back one by one: giveaways (the most expensive one, the
recurring items), open commitments near their due date, trade requests waiting for a decision, and
each member's next planned negotiation.

Weeks are the *member's own* weeks: Monday 00:00 to Monday 00:00 in their time zone. The caller
passes those boundaries as :class:`WeekWindow` rows (per distinct ``Member.tz`` value), which become a
``VALUES`` CTE joined on the member's time zone, so a member in UTC+13 has their week counted on their
calendar, not the server's.

The money rules match :func:`coaching.digests.concession_tally` (a test checks them against it):
a ``conceded`` line adds its cost to *conceded*; with nothing received it is a giveaway (its cost is
the giveaway total and money left behind); with something received its same-currency value adds to
*received* and any shortfall is left behind (unknown when the value is unknown). A ``received`` line —
what came back, priced in another currency than the concession — adds to *received* in its currency.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import (
    and_,
    case,
    func,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from coaching import vocabulary
from coaching.commitments import lapse_instant
from coaching.zones import local_today
from storage.models import (
    Commitment,
    Debrief,
    DigestRun,
    LedgerEntry,
    Member,
    Negotiation,
    OutboxMessage,
    TradeProposal,
    Workspace,
)

CONCEDED: Final = "conceded"
RECEIVED: Final = "received"
KEPT_STATUS: Final = "done"
LAPSED_STATUS: Final = "lapsed"
LIVE_STATUSES: Final = tuple(sorted(vocabulary.LIVE_STATUSES))
PENDING_TRADE: Final = "pending"
PLANNED: Final = "planned"


@dataclass(frozen=True, slots=True)
class WeekWindow:
    """One week of one time zone: ``[starts, ends)`` in aware UTC; ``index`` 0 is the oldest week."""

    tz: str
    index: int
    starts: datetime
    ends: datetime


@dataclass(frozen=True, slots=True)
class MemberInfo:
    id: int
    slack_user_id: str
    display_name: str
    tz: str
    manager_id: int | None
    style: str | None
    role: str
    is_slack_admin: bool
    settings: dict[str, Any]
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class LedgerSums:
    """Ledger money of one member, week, counterpart kind and currency (None: nothing of that sort)."""

    member_id: int
    week: int
    counterpart_kind: str
    currency: str
    conceded: int | None
    received: int | None
    giveaways: int
    giveaway_total: int | None
    left_behind: int | None


@dataclass(frozen=True, slots=True)
class OutcomeCounts:
    """Debriefed negotiations of one member, week, counterpart kind and outcome."""

    member_id: int
    week: int
    counterpart_kind: str
    outcome: str
    count: int
    limits_breached: int


@dataclass(frozen=True, slots=True)
class TeamLedgerSums:
    """Ledger money of one team (a manager's direct reports; None: members without a manager)."""

    manager_id: int | None
    week: int
    currency: str
    conceded: int | None
    received: int | None
    left_behind: int | None


@dataclass(frozen=True, slots=True)
class GiveawayRow:
    member_id: int
    week: int
    counterpart_kind: str
    item: str
    value_minor: int | None
    currency: str


@dataclass(frozen=True, slots=True)
class ClosedCommitments:
    member_id: int
    week: int
    status: str
    count: int


@dataclass(frozen=True, slots=True)
class OpenCommitment:
    member_id: int
    text: str
    due: date
    nudges_unanswered: int


@dataclass(frozen=True, slots=True)
class PendingTrade:
    id: int
    requester_id: int
    approver_id: int | None
    give_item: str
    get_item: str
    waiting_since: datetime


@dataclass(frozen=True, slots=True)
class NextNegotiation:
    member_id: int
    negotiation_id: int
    title: str
    date: date | None


@dataclass(frozen=True, slots=True)
class DigestData:
    """Everything the digests of one workspace need for one week (and the weeks before it)."""

    workspace: Workspace
    members: tuple[MemberInfo, ...]
    ledger: tuple[LedgerSums, ...] = ()
    outcomes: tuple[OutcomeCounts, ...] = ()
    team_ledger: tuple[TeamLedgerSums, ...] = ()
    giveaways: tuple[GiveawayRow, ...] = ()
    closed_commitments: tuple[ClosedCommitments, ...] = ()
    open_commitments: tuple[OpenCommitment, ...] = ()
    pending_trades: tuple[PendingTrade, ...] = ()
    next_negotiations: tuple[NextNegotiation, ...] = ()


# ------------------------------------------------------------------------------------------ pieces


def _aware(moment: datetime) -> datetime:
    """A stored instant as aware UTC (SQLite hands back naive values for some drivers)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def week_of(moment: Any, tz: Any, windows: Sequence[WeekWindow]) -> ColumnElement[Any]:
    """The window index ``moment`` falls in, for a member whose time zone is the value of ``tz``
    (NULL outside every window): ``CASE tz WHEN 'Europe/London' THEN CASE WHEN moment < … END …``.

    A ``CASE`` rather than a join with the windows: exact (each zone's own boundaries, daylight
    saving included) and evaluated once per row, where a range join makes both databases compare
    every row with every window.
    """
    if not windows:
        raise ValueError("at least one week window is needed")
    zones: dict[str, list[WeekWindow]] = {}
    for window in sorted(windows, key=lambda w: (w.tz, w.index)):
        zones.setdefault(window.tz, []).append(window)
    per_zone = {
        key: case(
            (moment < weeks[0].starts, null()),
            *((moment < week.ends, literal(week.index)) for week in weeks),
            else_=null(),
        )
        for key, weeks in zones.items()
    }
    return case(per_zone, value=tz, else_=null())


def limits_breached_count(dialect: str) -> ColumnElement[Any]:
    """How many limits a debrief's analysis says were breached (0 when it says nothing)."""
    length: ColumnElement[Any]
    if dialect == "postgresql":
        path = Debrief.analysis.op("->")(literal("limits_breached"))
        length = case(
            (func.jsonb_typeof(path) == "array", func.jsonb_array_length(path)),
            else_=0,
        )
    else:
        length = func.coalesce(func.json_array_length(Debrief.analysis, "$.limits_breached"), 0)
    return func.coalesce(func.sum(length), 0)


def _is_conceded() -> ColumnElement[bool]:
    return LedgerEntry.kind == CONCEDED


def _giveaway() -> ColumnElement[bool]:
    return and_(LedgerEntry.kind == CONCEDED, LedgerEntry.received_item.is_(None))


def conceded_sum() -> ColumnElement[Any]:
    return func.sum(case((_is_conceded(), LedgerEntry.value_minor)))


def received_sum() -> ColumnElement[Any]:
    return func.sum(
        case(
            (
                and_(_is_conceded(), LedgerEntry.received_item.is_not(None)),
                LedgerEntry.received_value_minor,
            ),
            (LedgerEntry.kind == RECEIVED, LedgerEntry.value_minor),
        )
    )


def giveaway_count() -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((_giveaway(), 1), else_=0)), 0)


def giveaway_sum() -> ColumnElement[Any]:
    return func.sum(case((_giveaway(), LedgerEntry.value_minor)))


def left_behind_sum() -> ColumnElement[Any]:
    """Giveaways' costs plus trade shortfalls; NULL (unknown) rows are skipped by SUM."""
    value, got = LedgerEntry.value_minor, LedgerEntry.received_value_minor
    return func.sum(
        case(
            (or_(LedgerEntry.kind != CONCEDED, value.is_(None)), None),
            (LedgerEntry.received_item.is_(None), value),
            (got.is_(None), None),
            (value > got, value - got),
            else_=0,
        )
    )


def _span(windows: Sequence[WeekWindow], first: int) -> tuple[datetime, datetime]:
    chosen = [w for w in windows if w.index >= first]
    return min(w.starts for w in chosen), max(w.ends for w in chosen)


# ------------------------------------------------------------------------------------------ the load


def load_digest_data(
    session: Session,
    workspace: Workspace,
    windows: Sequence[WeekWindow],
    *,
    member_weeks: int,
    chart: bool,
    today: date,
    horizon: date,
    member_ids: Collection[int] | None = None,
) -> DigestData:
    """Everything for the digests of ``workspace``: members, then the sums per member for the last
    ``member_weeks`` windows, the team sums for every window (when ``chart``), giveaways, commitments,
    waiting trade requests and next negotiations. Open commitments are those due before ``horizon``;
    a next negotiation is a planned one dated ``today`` or later (or undated).

    ``member_ids`` narrows it to some members (one learner's or one team's digest on demand); the
    number of statements does not depend on it or on the workspace's size.
    """
    workspace_id = workspace.id
    dialect = session.get_bind().dialect.name
    weeks = max(w.index for w in windows) + 1
    first = max(0, weeks - member_weeks)
    recent = [w for w in windows if w.index >= first]
    member_starts, member_ends = _span(windows, first)
    chart_starts, chart_ends = _span(windows, 0)

    def only(column_: Any) -> list[ColumnElement[bool]]:
        return [column_.in_(sorted(member_ids))] if member_ids is not None else []

    members_query = (
        select(
            Member.id,
            Member.slack_user_id,
            Member.display_name,
            Member.tz,
            Member.manager_id,
            Member.style,
            Member.role,
            Member.is_slack_admin,
            Member.settings,
            Member.created_at,
        )
        .where(Member.workspace_id == workspace_id, *only(Member.id))
        .order_by(Member.id)
    )
    members = tuple(MemberInfo(*row) for row in session.execute(members_query))

    def ledger_between(starts: datetime, ends: datetime) -> list[ColumnElement[bool]]:
        return [
            LedgerEntry.workspace_id == workspace_id,
            LedgerEntry.recorded_at >= starts,
            LedgerEntry.recorded_at < ends,
            LedgerEntry.kind.in_((CONCEDED, RECEIVED)),
        ]

    ledger_week = week_of(LedgerEntry.recorded_at, Member.tz, recent).label("week")
    ledger_query = (
        select(
            Negotiation.owner_id,
            ledger_week,
            Negotiation.counterpart_kind,
            LedgerEntry.currency,
            conceded_sum(),
            received_sum(),
            giveaway_count(),
            giveaway_sum(),
            left_behind_sum(),
        )
        .select_from(LedgerEntry)
        .join(Negotiation, Negotiation.id == LedgerEntry.negotiation_id)
        .join(Member, Member.id == Negotiation.owner_id)
        .where(*ledger_between(member_starts, member_ends), *only(Negotiation.owner_id))
        .group_by(Negotiation.owner_id, ledger_week, Negotiation.counterpart_kind, LedgerEntry.currency)
    )
    ledger = tuple(LedgerSums(*row) for row in session.execute(ledger_query) if row[1] is not None)

    debrief_week = week_of(Debrief.submitted_at, Member.tz, recent).label("week")
    outcomes_query = (
        select(
            Negotiation.owner_id,
            debrief_week,
            Negotiation.counterpart_kind,
            Debrief.outcome,
            func.count(),
            limits_breached_count(dialect),
        )
        .select_from(Debrief)
        .join(Negotiation, Negotiation.id == Debrief.negotiation_id)
        .join(Member, Member.id == Negotiation.owner_id)
        .where(
            Debrief.workspace_id == workspace_id,
            Debrief.submitted_at >= member_starts,
            Debrief.submitted_at < member_ends,
            *only(Negotiation.owner_id),
        )
        .group_by(Negotiation.owner_id, debrief_week, Negotiation.counterpart_kind, Debrief.outcome)
    )
    outcomes = tuple(OutcomeCounts(*row) for row in session.execute(outcomes_query) if row[1] is not None)

    team_ledger: tuple[TeamLedgerSums, ...] = ()
    if chart:
        chart_week = week_of(LedgerEntry.recorded_at, Member.tz, windows).label("week")
        team_query = (
            select(
                Member.manager_id,
                chart_week,
                LedgerEntry.currency,
                conceded_sum(),
                received_sum(),
                left_behind_sum(),
            )
            .select_from(LedgerEntry)
            .join(Negotiation, Negotiation.id == LedgerEntry.negotiation_id)
            .join(Member, Member.id == Negotiation.owner_id)
            .where(*ledger_between(chart_starts, chart_ends), *only(Negotiation.owner_id))
            .group_by(Member.manager_id, chart_week, LedgerEntry.currency)
        )
        team_ledger = tuple(TeamLedgerSums(*row) for row in session.execute(team_query) if row[1] is not None)

    giveaways_query = (
        select(
            Negotiation.owner_id,
            ledger_week,
            Negotiation.counterpart_kind,
            LedgerEntry.item,
            LedgerEntry.value_minor,
            LedgerEntry.currency,
        )
        .select_from(LedgerEntry)
        .join(Negotiation, Negotiation.id == LedgerEntry.negotiation_id)
        .join(Member, Member.id == Negotiation.owner_id)
        .where(
            *ledger_between(member_starts, member_ends),
            LedgerEntry.kind == CONCEDED,
            LedgerEntry.received_item.is_(None),
            *only(Negotiation.owner_id),
        )
        .order_by(LedgerEntry.id)
    )
    giveaways = tuple(GiveawayRow(*row) for row in session.execute(giveaways_query) if row[1] is not None)

    closed_week = week_of(Commitment.closed_at, Member.tz, recent).label("week")
    closed_query = (
        select(Commitment.owner_id, closed_week, Commitment.status, func.count())
        .select_from(Commitment)
        .join(Member, Member.id == Commitment.owner_id)
        .where(
            Commitment.workspace_id == workspace_id,
            Commitment.status == LAPSED_STATUS,
            Commitment.closed_at >= member_starts,
            Commitment.closed_at < member_ends,
            *only(Commitment.owner_id),
        )
        .group_by(Commitment.owner_id, closed_week, Commitment.status)
    )
    tallies: dict[tuple[int, int, str], int] = {}
    for member_id, week, status, count in session.execute(closed_query):
        if week is not None:
            tallies[(member_id, week, status)] = tallies.get((member_id, week, status), 0) + int(count)
    # Done is kept only on or before the due date in the owner's zone (coaching.vocabulary): done late
    # is a lapse, counted in the week it lapsed. The owner's local date needs the zone, so done rows
    # are classified here rather than counted in SQL (a digest's weeks hold few of them).
    done_query = (
        select(Commitment.owner_id, closed_week, Commitment.due, Commitment.closed_at, Member.tz)
        .select_from(Commitment)
        .join(Member, Member.id == Commitment.owner_id)
        .where(
            Commitment.workspace_id == workspace_id,
            Commitment.status == KEPT_STATUS,
            Commitment.closed_at >= member_starts,
            Commitment.closed_at < member_ends,
            *only(Commitment.owner_id),
        )
    )
    for member_id, week, due, closed_at, tz in session.execute(done_query):
        key = tz or "UTC"
        closed_on = local_today(_aware(closed_at), key)
        if vocabulary.is_kept(KEPT_STATUS, due, closed_on):
            if week is not None:
                tallies[(member_id, week, KEPT_STATUS)] = tallies.get((member_id, week, KEPT_STATUS), 0) + 1
            continue
        lapsed_at = lapse_instant(due, key)
        lapse_week = next((w.index for w in recent if w.tz == tz and w.starts <= lapsed_at < w.ends), None)
        if lapse_week is not None:
            tally = (member_id, lapse_week, LAPSED_STATUS)
            tallies[tally] = tallies.get(tally, 0) + 1
    closed = tuple(
        ClosedCommitments(member_id, week, status, count)
        for (member_id, week, status), count in sorted(tallies.items())
    )

    unanswered = case((Commitment.snoozed_until.is_(None), Commitment.nudges_sent), else_=0)
    open_query = (
        select(Commitment.owner_id, Commitment.text, Commitment.due, unanswered)
        .where(
            Commitment.workspace_id == workspace_id,
            Commitment.status.in_(LIVE_STATUSES),  # lapsed but not done: still overdue (vocabulary)
            Commitment.owner_id.is_not(None),
            Commitment.due < horizon,
            *only(Commitment.owner_id),
        )
        .order_by(Commitment.due, Commitment.id)
    )
    open_commitments = tuple(OpenCommitment(*row) for row in session.execute(open_query))

    trades_query = (
        select(
            TradeProposal.id,
            TradeProposal.requester_id,
            TradeProposal.approver_id,
            TradeProposal.give_item,
            TradeProposal.get_item,
            func.coalesce(TradeProposal.turn_started_at, TradeProposal.created_at),
        )
        .where(
            TradeProposal.workspace_id == workspace_id,
            TradeProposal.status == PENDING_TRADE,
            *only(TradeProposal.requester_id),
        )
        .order_by(TradeProposal.id)
    )
    pending = tuple(PendingTrade(*row) for row in session.execute(trades_query))

    ranked = (
        select(
            Negotiation.owner_id.label("owner_id"),
            Negotiation.id.label("id"),
            Negotiation.title.label("title"),
            Negotiation.date.label("date"),
            func.row_number()
            .over(
                partition_by=Negotiation.owner_id,
                order_by=(Negotiation.date.is_(None), Negotiation.date, Negotiation.id),
            )
            .label("rank"),
        )
        .where(
            Negotiation.workspace_id == workspace_id,
            Negotiation.status == PLANNED,
            or_(Negotiation.date.is_(None), Negotiation.date >= today),
            *only(Negotiation.owner_id),
        )
        .subquery()
    )
    next_query = select(ranked.c.owner_id, ranked.c.id, ranked.c.title, ranked.c.date).where(
        ranked.c.rank == 1
    )
    next_negotiations = tuple(NextNegotiation(*row) for row in session.execute(next_query))

    return DigestData(
        workspace=workspace,
        members=members,
        ledger=ledger,
        outcomes=outcomes,
        team_ledger=team_ledger,
        giveaways=giveaways,
        closed_commitments=closed,
        open_commitments=open_commitments,
        pending_trades=pending,
        next_negotiations=next_negotiations,
    )


# ------------------------------------------------------------------------------------------ runs


def runs_for_weeks(
    session: Session, workspace_id: int, iso_weeks: Collection[str]
) -> list[tuple[int, str, str]]:
    """``(recipient_id, kind, iso_week)`` of the digests already recorded for these weeks."""
    if not iso_weeks:
        return []
    rows = session.execute(
        select(DigestRun.recipient_id, DigestRun.kind, DigestRun.iso_week).where(
            DigestRun.workspace_id == workspace_id, DigestRun.iso_week.in_(sorted(set(iso_weeks)))
        )
    )
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def claim_run(session: Session, workspace_id: int, recipient_id: int, kind: str, iso_week: str) -> int | None:
    """Record that ``kind`` for ``iso_week`` goes to ``recipient_id``; the run's id, or None if it was
    already recorded (by an earlier tick, or a second clock at the same moment: the unique key decides,
    and on PostgreSQL a concurrent claim waits for the first one's commit, then finds it)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(DigestRun)
        .values(workspace_id=workspace_id, recipient_id=recipient_id, kind=kind, iso_week=iso_week)
        .on_conflict_do_nothing(index_elements=["workspace_id", "recipient_id", "kind", "iso_week"])
        .returning(DigestRun.id)
    )
    return session.execute(statement).scalar_one_or_none()


def link_runs(session: Session, workspace_id: int, runs: Mapping[int, str]) -> int:
    """Point each run (id → the dedupe key of its outbox row) at its outbox row; two statements."""
    if not runs:
        return 0
    found = session.execute(
        select(OutboxMessage.dedupe_key, OutboxMessage.id).where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.dedupe_key.in_(sorted(set(runs.values()))),
        )
    )
    ids = {str(key): int(row_id) for key, row_id in found}
    changes = [{"id": run_id, "outbox_id": ids[key]} for run_id, key in runs.items() if key in ids]
    if changes:
        session.execute(update(DigestRun), changes)
    return len(changes)


def outbox_keys(session: Session, workspace_id: int, keys: Collection[str]) -> set[str]:
    """Which of these dedupe keys already have an outbox row (any status)."""
    if not keys:
        return set()
    return set(
        session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.workspace_id == workspace_id, OutboxMessage.dedupe_key.in_(sorted(set(keys)))
            )
        )
    )
