"""The outbox: scheduled messages as rows, enqueued exactly once and claimed by one deliverer at a time.

Enqueueing is ``INSERT … ON CONFLICT (dedupe_key) DO NOTHING``, so the same logical message (kind +
target + subject + occurrence in its key) can be offered any number of times and exists once.

Claiming is one statement on both databases: PostgreSQL picks rows with ``FOR UPDATE SKIP LOCKED``
(concurrent deliverers take disjoint rows without waiting on each other); SQLite has a single writer
and every unit of work there begins ``IMMEDIATE`` (``storage/db.py``), so two claimers are serialised
and the second sees the first one's claim (the single-writer equivalent). A claim increments
``attempts`` and returns it: ``(id, attempts)`` is the claim's fencing token, and every later change
(sent, retry, failed, skipped) only applies while the row is still ``sending`` under that token. A row
whose deliverer died stays ``sending`` until ``lease_until`` passes; the next claim takes it back.

A row taken back from an expired lease (or left leased after an answer that may hide a delivery, such
as a timeout) comes back with ``reclaimed_lease``: the old lease's end. Its earlier attempt may have
reached Slack, so the deliverer looks for the message before posting again (``bot.delivery``).

``lease_until`` is compared with the *wall* clock of the claiming process, never with a simulated one
(``parley tick --at`` may run in the past or the future), so a lease always protects for real seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import OutboxMessage

PENDING: Final = "pending"
SENDING: Final = "sending"
SENT: Final = "sent"
FAILED: Final = "failed"  # permanently: the error is in last_error
SKIPPED: Final = "skipped"  # no longer worth sending (the commitment was closed, a later nudge superseded it)
STATUSES: Final = (PENDING, SENDING, SENT, FAILED, SKIPPED)
MAX_DEDUPE_KEY: Final = 255
MAX_ERROR: Final = 1000


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row this deliverer holds; ``attempts`` is the fencing token of this claim."""

    id: int
    workspace_id: int
    kind: str
    target: str
    payload: dict[str, Any]
    due_at: datetime
    attempts: int
    dedupe_key: str
    reclaimed_lease: datetime | None = None
    """When this row was taken back from a ``sending`` state: the end of the lease it had then."""


def enqueue(
    session: Session,
    *,
    workspace_id: int,
    kind: str,
    target: str,
    payload: dict[str, Any],
    dedupe_key: str,
    due_at: datetime,
) -> bool:
    """Add a message unless one with ``dedupe_key`` exists (in any status); True if this call added it."""
    if not dedupe_key or len(dedupe_key) > MAX_DEDUPE_KEY:
        raise ValueError(f"dedupe keys are 1 to {MAX_DEDUPE_KEY} characters: {dedupe_key[:80]!r}")
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(OutboxMessage)
        .values(
            workspace_id=workspace_id,
            kind=kind,
            target=target,
            payload=payload,
            dedupe_key=dedupe_key,
            due_at=due_at,
            status=PENDING,
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)  # psycopg reports no rowcount for this statement; RETURNING tells
    )
    return session.execute(statement).scalar_one_or_none() is not None


def _claimable(now: datetime, wall_now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < wall_now),
    )


def has_claimable(session: Session, *, now: datetime, wall_now: datetime) -> bool:
    """Whether :func:`claim_due` would find anything: a read, so an idle poll writes nothing."""
    return session.scalar(select(OutboxMessage.id).where(_claimable(now, wall_now)).limit(1)) is not None


def claim_due(
    session: Session, *, now: datetime, wall_now: datetime, lease: timedelta, limit: int
) -> list[Claimed]:
    """Take up to ``limit`` rows that are due at ``now`` (or whose lease ran out by ``wall_now``).

    Give it a unit of work of its own and commit right after, before sending anything: the claim is
    only visible to other deliverers once committed.
    """
    return _claim(session, _claimable(now, wall_now), wall_now=wall_now, lease=lease, limit=limit)


def claim_keys(
    session: Session, keys: Sequence[str], *, wall_now: datetime, lease: timedelta
) -> list[Claimed]:
    """Take the rows named by ``keys`` that no one holds: the rows a request has just enqueued, claimed
    by the process that enqueued them to deliver them at once (the clock would take them a moment
    later otherwise). Pending rows are taken whatever their ``due_at`` (a clock that found one before
    its companion was posted may have deferred it by a second); a row another deliverer holds, or has
    already sent, is left alone. Same fencing as :func:`claim_due`; a unit of work of its own."""
    if not keys:
        return []
    claimable = and_(
        OutboxMessage.dedupe_key.in_(list(keys)),
        or_(
            OutboxMessage.status == PENDING,
            and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < wall_now),
        ),
    )
    return _claim(session, claimable, wall_now=wall_now, lease=lease, limit=len(keys))


def _claim(
    session: Session, claimable: Any, *, wall_now: datetime, lease: timedelta, limit: int
) -> list[Claimed]:
    picked = (
        select(
            OutboxMessage.id,
            OutboxMessage.status.label("previous_status"),
            OutboxMessage.lease_until.label("previous_lease"),
        )
        .where(claimable)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite renders nothing and serialises instead
    )
    changes = {
        "status": SENDING,
        "lease_until": wall_now + lease,
        "attempts": OutboxMessage.attempts + 1,
    }
    returning = (
        OutboxMessage.id,
        OutboxMessage.workspace_id,
        OutboxMessage.kind,
        OutboxMessage.target,
        OutboxMessage.payload,
        OutboxMessage.due_at,
        OutboxMessage.attempts,
        OutboxMessage.dedupe_key,
    )
    if session.get_bind().dialect.name == "postgresql":
        # A CTE is evaluated once, so the locked rows are exactly the rows updated; joining it (UPDATE
        # … FROM) also tells what each row was before this claim.
        chosen = picked.cte("chosen")
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id == chosen.c.id, claimable)
            .values(changes)
            .returning(*returning, chosen.c.previous_status, chosen.c.previous_lease)
        )
        rows = [
            tuple(row) for row in session.execute(statement, execution_options={"synchronize_session": False})
        ]
    else:
        # SQLite's RETURNING sees only the updated table; its unit of work is IMMEDIATE (one writer), so
        # reading the rows first and updating them next is the same claim.
        before = {row.id: (row.previous_status, row.previous_lease) for row in session.execute(picked)}
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(before)), claimable)
            .values(changes)
            .returning(*returning)
        )
        updated = session.execute(statement, execution_options={"synchronize_session": False}).all()
        rows = [(*row, *before[row[0]]) for row in updated]
    claimed = [
        Claimed(*row[:8], reclaimed_lease=_aware(row[9]) if row[8] == SENDING else None)  # type: ignore[misc]
        for row in rows
    ]
    claimed.sort(key=lambda row: (row.due_at, row.id))
    return claimed


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes from a CTE column; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _mine(row: Claimed) -> Any:
    return and_(
        OutboxMessage.id == row.id,
        OutboxMessage.status == SENDING,
        OutboxMessage.attempts == row.attempts,
    )


def _change(session: Session, row: Claimed, **values: Any) -> bool:
    result = session.execute(
        update(OutboxMessage).where(_mine(row)).values(**values),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def mark_sent(session: Session, row: Claimed, *, at: datetime, channel: str | None, ts: str | None) -> bool:
    """Record a delivery; False if the claim was lost meanwhile (the lease ran out and another took it)."""
    return _change(
        session, row, status=SENT, sent_at=at, lease_until=None, slack_channel=channel, slack_ts=ts
    )


def retry_later(session: Session, row: Claimed, *, at: datetime, error: str) -> bool:
    """Put the row back as pending, due again at ``at`` (a transient failure or a deferral)."""
    return _change(session, row, status=PENDING, due_at=at, lease_until=None, last_error=error[:MAX_ERROR])


def hold_unsure(session: Session, row: Claimed, *, until: datetime, error: str) -> bool:
    """An attempt whose outcome is unknown (a timeout: Slack may have posted): keep the row ``sending``
    until the wall-clock ``until``, so the next claim treats it as reclaimed and checks Slack first."""
    return _change(session, row, lease_until=until, last_error=error[:MAX_ERROR])


def mark_failed(session: Session, row: Claimed, *, error: str) -> bool:
    """A permanent failure: kept with its error, never retried."""
    return _change(session, row, status=FAILED, lease_until=None, last_error=error[:MAX_ERROR])


def mark_skipped(session: Session, row: Claimed, *, reason: str) -> bool:
    """Not sent because it no longer applies; kept so its dedupe key still blocks a re-enqueue."""
    return _change(session, row, status=SKIPPED, lease_until=None, last_error=reason[:MAX_ERROR])


def release(session: Session, rows: Iterable[Claimed]) -> int:
    """Give unsent claimed rows back (pending, due as before) so another deliverer can take them now."""
    released = 0
    for row in rows:
        released += _change(session, row, status=PENDING, lease_until=None)
    return released


def extend_lease(session: Session, rows: Iterable[Claimed], *, until: datetime) -> int:
    """Keep holding rows that are still waiting for their turn (pacing) past the original lease."""
    extended = 0
    for row in rows:
        extended += _change(session, row, lease_until=until)
    return extended


def next_due_at(session: Session) -> datetime | None:
    """When the earliest pending row falls due (for a deliverer deciding how long to idle)."""
    return session.scalar(select(func.min(OutboxMessage.due_at)).where(OutboxMessage.status == PENDING))


def status_counts(session: Session, workspace_id: int | None = None) -> dict[str, int]:
    """Rows per status, for operators and the tick summary."""
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    if workspace_id is not None:
        query = query.where(OutboxMessage.workspace_id == workspace_id)
    return {str(status): int(count) for status, count in session.execute(query)}


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are already in the outbox (in any status): lets a job skip work in bulk."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk)))
        )
    return found


def find_by_dedupe_key(session: Session, workspace_id: int, dedupe_key: str) -> OutboxMessage | None:
    return session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id, OutboxMessage.dedupe_key == dedupe_key
        )
    )


def messages_of_kind(session: Session, workspace_id: int, kind: str) -> list[OutboxMessage]:
    """Every row of ``kind`` in the workspace, oldest first (tests and operators)."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.workspace_id == workspace_id, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
    )
