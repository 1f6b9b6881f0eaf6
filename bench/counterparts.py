"""Counterpart memory at scale: prep-time recall and the playbook review against hand-written SQL.

    .venv/bin/python -m bench.counterparts [--scale 0.01] [--samples 40] [--database-url URL]

Generates one workspace (at ``--scale 1``, the full size: 200,000 negotiations over 20,000
counterparts, 2,000,000 ledger rows, 500 members in 50 teams, 20,000 commitments; counterparts' sizes
are skewed, so a few have thousands of negotiations) from a seeded RNG in a fresh SQLite file, or in a
fresh schema of the PostgreSQL database given with ``--database-url``. The load is bulk (PostgreSQL's
COPY, SQLite's executemany in one transaction with the load pragmas; the big tables' indexes and
foreign keys dropped for it and rebuilt once); it takes minutes at full size, seconds at the default
``--scale 0.01``, the small run CI can afford. Then, on ``--samples`` counterparts drawn by
negotiation count (busy ones are prepared for more often):

  (a) floor    the recall's data by hand-written SQL: per-owner totals, money per owner and currency,
               decided trade requests, the 20 recent deals and their money, open commitments, the
               team tree, and the trade evidence for the prep's items (11 statements)
  (b) recall   ``bot.flows.counterparts.recall``: the same data through Parley's queries, plus the
               privacy rules and the ranking (pure code) — what a prep submission adds
  (c) prep     ``bot.flows.prep.submit_prep`` (validation, which counterpart, writes) and the plan
               job's ``plan_now`` (the plan and the recall) with the memory on, against the same with
               resolve/recall replaced by no-ops: the p50 it adds
  (d) review   the monthly playbook review's aggregation (``bot.flows.playbook_review.review_of``)
               against its hand-written SQL floor, for the busiest month

It prints p50/p90 of each, the ratios (b)/(a) (target <= 2) and (d)/floor (target <= 3), the p50 that
(c) adds (target < 50 ms), the statements per recall for the smallest and the largest history (must
be equal: asserted here too), and peak memory (Python's tracemalloc peak per phase, and the process's
ru_maxrss). ``tests/app/test_counterparts.py`` asserts the constant statement count through the app;
``tests/app/test_bench_counterparts.py`` checks the loader gives the schema back.
"""

# ruff: noqa: E501  (report lines and SQL read better whole)
from __future__ import annotations

import argparse
import dataclasses
import os
import random
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Engine, Table, event, insert, text

from bench.databases import fresh_database
from coaching.counterpart_names import item_key, name_key
from storage import migrate
from storage.base import Base
from storage.db import Database, make_engine
from storage.models import Counterpart, Workspace
from storage.queries.counterparts import REBUILD_TALLIES

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TEAM_ID = "TBENCHCP01"
KINDS = ("management", "consultant", "learner", "customer", "supplier", "other")
ITEMS = (
    "Extra training day", "Free coaching session", "Discount 5%", "Discount 10%", "Tailored job aids",
    "Earlier start date", "Extended payment terms", "Free parking", "Case study rights", "Reference call",
    "Longer warranty", "Onsite support", "Rush delivery", "Waived setup fee", "Extra seats",
    "Price freeze", "Volume rebate", "Exclusive slot", "Trainer of choice", "Recorded sessions",
    *(f"Bundle option {n}" for n in range(180)),
)  # fmt: skip
RETURNS = ("24-month term", "Case study", "Sponsor opens the course", "Referral", "Faster sign-off")
CHUNK = 20_000


# ------------------------------------------------------------------------------------------ data

BULK_TABLES = ("negotiations", "debriefs", "ledger_entries", "commitments")


def _secondary_ddl(connection: Connection) -> list[tuple[str, str]]:
    """The bulk tables' secondary indexes (and, on PostgreSQL, their foreign keys) as (drop, create)
    statements: dropped for the load and rebuilt once after it, which is several times faster than
    keeping them up to date row by row (a migration still created them, so the schema is the app's)."""
    names = ", ".join(f"'{t}'" for t in BULK_TABLES)
    if connection.dialect.name == "postgresql":
        fks = connection.execute(
            text(
                f"SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                f"JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() AND c.contype = 'f' "
                f"AND c.conrelid::regclass::text IN ({names})"
            )
        ).all()
        indexes = connection.execute(
            text(
                f"SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
                f"AND i.tablename IN ({names}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                f"JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() AND c.conname = i.indexname)"
            )
        ).all()
        return [
            (
                f'ALTER TABLE {t} DROP CONSTRAINT "{name}"',
                f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {definition}',
            )
            for t, name, definition in fks
        ] + [(f'DROP INDEX "{name}"', definition) for name, definition in indexes]
    rows = connection.execute(
        text(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})"
        )
    ).all()
    return [(f'DROP INDEX "{name}"', sql) for name, sql in rows]


def _load(
    connection: Connection, table: Table, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Bulk-load ``rows`` (values for ``columns``; ids given, the tables are fresh): PostgreSQL's COPY
    through psycopg, SQLite's executemany in big batches. Columns with a Python-side default the rows
    leave out get it here (COPY only knows the server's defaults; ``dict`` and the like are called)."""
    defaults = [
        (c.name, c.default.arg if c.default.is_scalar else c.default.arg(None))  # type: ignore[attr-defined]
        for c in table.columns
        if c.name not in columns and c.default is not None
    ]
    names = (*columns, *(name for name, _ in defaults))
    extra = tuple(value for _, value in defaults)
    n = 0
    if connection.dialect.name == "postgresql":
        from psycopg.types.json import Jsonb

        json_at = [i for i, name in enumerate(names) if isinstance(table.c[name].type, JSON)]
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                values = (*row, *extra)
                if json_at:
                    values = tuple(
                        Jsonb(v) if i in json_at and v is not None else v for i, v in enumerate(values)
                    )
                copy.write_row(values)
                n += 1
        cursor.close()
        return n
    # SQLite: the driver's executemany on tuples, each value through the column type's own bind
    # processor (what SQLAlchemy would store: UTC datetimes as text, JSON as text), without building
    # a dict per row for SQLAlchemy's executemany (that was most of the load's CPU).
    dialect = connection.dialect
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    converting = [(i, f) for i, f in enumerate(processors) if f is not None]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    batch: list[list[Any]] = []
    for row in rows:
        stored = [*row, *extra]
        for i, f in converting:
            stored[i] = f(stored[i])
        batch.append(stored)
        if len(batch) >= CHUNK:
            cursor.executemany(sql, batch)
            n += len(batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
        n += len(batch)
    cursor.close()
    return n


@contextmanager
def _load_pragmas(connection: Connection) -> Iterator[None]:
    """SQLite, for the load only (before its transaction begins): no foreign-key checks, no fsync, a
    big page cache; the app's settings are put back and the engine's pool emptied afterwards, so the
    measured phases run as the app does. A crash mid-load loses a throwaway file."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-400000"):
        raw.execute(f"PRAGMA {pragma}")
    try:
        yield
    finally:
        for pragma in ("foreign_keys=ON", "synchronous=NORMAL", "cache_size=-2000"):
            raw.execute(f"PRAGMA {pragma}")


def generate(engine: Engine, scale: float, seed: int = 7) -> dict[str, Any]:
    """The workspace, bulk-loaded from a seeded RNG (the same data on both databases for a seed and
    scale); returns the ids the phases need. Ids are given explicitly (fresh tables), so no row is
    read back; PostgreSQL's sequences are moved past them afterwards for the prep phase's inserts."""
    rng = random.Random(seed)
    n_neg, n_cp, n_ledger = int(200_000 * scale), max(20, int(20_000 * scale)), int(2_000_000 * scale)
    n_members, n_teams = max(10, int(500 * min(1.0, scale * 10))), max(2, int(50 * min(1.0, scale * 10)))
    postgres = engine.dialect.name == "postgresql"
    tables = Base.metadata.tables
    with engine.connect() as c, _load_pragmas(c), c.begin():
        ws = c.execute(
            insert(Workspace).values(team_id=TEAM_ID, name="Bench", settings={}).returning(Workspace.id)
        ).scalar_one()
        managers = list(range(1, n_teams + 1))
        members = list(range(1, n_members + 1))
        _load(c, tables["members"], ("id", "workspace_id", "slack_user_id", "display_name", "role", "manager_id"), (
            (m, ws, f"UM{m:05d}", f"Manager {m}", "manager", None) if m <= n_teams
            else (m, ws, f"UL{m - n_teams - 1:06d}", f"Learner {m - n_teams - 1}", "learner", managers[(m - n_teams - 1) % n_teams])
            for m in members
        ))  # fmt: skip
        cp_ids = list(range(1, n_cp + 1))
        _load(c, tables["counterparts"], ("id", "workspace_id", "name", "key", "kind", "created_at"), (
            (i + 1, ws, f"Counterpart {i} Ltd", name_key(f"Counterpart {i} Ltd"), KINDS[i % len(KINDS)], NOW)
            for i in range(n_cp)
        ))  # fmt: skip
        ddl = _secondary_ddl(c)
        for drop, _create in ddl:
            c.exec_driver_sql(drop)

        weights = [rng.paretovariate(1.2) for _ in cp_ids]  # a few very busy counterparts
        chosen = rng.choices(range(len(cp_ids)), weights=weights, k=n_neg)
        statuses = rng.choices(("agreed", "no_deal", "planned", "paused"), (6, 2, 1, 1), k=n_neg)
        owners = [rng.choice(members) for _ in range(n_neg)]
        days = [rng.randrange(1, 1095) for _ in range(n_neg)]
        # id, counterpart, owner, kind, status
        negotiations = [
            (i + 1, cp_ids[cp], owners[i], KINDS[cp % len(KINDS)], statuses[i]) for i, cp in enumerate(chosen)
        ]
        _load(c, tables["negotiations"], (
            "id", "workspace_id", "owner_id", "title", "counterpart_kind", "counterpart_name", "counterpart_id", "date", "status", "currency",
        ), (
            (n[0], ws, n[2], f"Deal {n[0] - 1}", n[3], f"Counterpart {n[1] - 1} Ltd", n[1], (NOW - timedelta(days=days[i])).date(), n[4], "USD")
            for i, n in enumerate(negotiations)
        ))  # fmt: skip
        debriefed = [n for n in negotiations if n[4] in ("agreed", "no_deal")]
        debrief_of = {n[0]: d for d, n in enumerate(debriefed, start=1)}
        breached = {"limits_breached": [{"item": "Discount 10%", "limit": "Discount above 8%"}]}
        clean: dict[str, Any] = {"limits_breached": []}
        _load(c, tables["debriefs"], ("id", "workspace_id", "negotiation_id", "member_id", "outcome", "reflection", "analysis", "submitted_at"), (
            (debrief_of[n[0]], ws, n[0], n[2], n[4],
             "They moved once the term was on the table." if rng.random() < 0.3 else "",
             breached if rng.random() < 0.1 else clean, NOW - timedelta(days=rng.randrange(0, 1095)))
            for n in debriefed
        ))  # fmt: skip
        keys = {item: item_key(item) for item in ITEMS}  # computed once, not per row
        ledger_kinds = ("conceded", "offered", "held", "received")

        def ledger() -> Iterator[tuple[Any, ...]]:
            randrange, random_, choice, uniform = rng.randrange, rng.random, rng.choice, rng.uniform
            kinds = rng.choices(ledger_kinds, (5, 3, 1, 1), k=n_ledger)
            for i in range(n_ledger):
                n = debriefed[randrange(len(debriefed))]
                item = ITEMS[min(len(ITEMS) - 1, int(rng.expovariate(0.08)))]
                kind = kinds[i]
                value = randrange(100, 500_000)
                conceded = kind == "conceded" and random_() < 0.8
                yield (
                    i + 1, ws, n[0], debrief_of[n[0]], kind, item, keys[item], value, "USD",
                    choice(RETURNS) if conceded else None, int(value * uniform(0.3, 4.0)) if conceded else None,
                    i % 7, NOW - timedelta(days=randrange(0, 1095)), n[1], n[3],
                )  # fmt: skip

        _load(c, tables["ledger_entries"], (
            "id", "workspace_id", "negotiation_id", "debrief_id", "kind", "item", "item_key", "value_minor", "currency",
            "received_item", "received_value_minor", "position", "recorded_at", "counterpart_id", "counterpart_kind",
        ), ledger())  # fmt: skip
        picked = rng.sample(negotiations, min(len(negotiations), int(20_000 * scale) or 10))
        _load(c, tables["commitments"], (
            "id", "workspace_id", "negotiation_id", "owner_id", "owner_label", "text", "due", "status", "source", "currency",
        ), (
            (j, ws, n[0], n[2] if rng.random() < 0.5 else None, "they", "Send the signed order form",
             (NOW + timedelta(days=rng.randrange(1, 60))).date(), "open" if rng.random() < 0.5 else "done", "debrief", "USD")
            for j, n in enumerate(picked, start=1)
        ))  # fmt: skip
        for _drop, create in ddl:
            c.exec_driver_sql(create)
        if postgres:  # the prep phase inserts through the app: its ids come after the loaded ones
            for table in ("members", "counterparts", *BULK_TABLES):
                c.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                )
        # the tallies the debriefs would have kept (the migration's backfill)
        c.execute(text(REBUILD_TALLIES))
    if postgres:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as c:
            c.execute(text("ANALYZE"))
    engine.dispose()  # no connection set up for the load serves the measured phases
    counts: dict[int, int] = {}
    for n in negotiations:
        counts[n[1]] = counts.get(n[1], 0) + 1
    return {"workspace_id": ws, "members": members, "counts": counts, "negotiations": len(negotiations)}


# ------------------------------------------------------------------------------------------ floors

FLOOR_TOTALS = """
SELECT n.owner_id + 0, count(*), sum(CASE WHEN n.status='agreed' THEN 1 ELSE 0 END), sum(CASE WHEN n.status='no_deal' THEN 1 ELSE 0 END),
       sum(CASE WHEN n.status IN ('planned','paused') THEN 1 ELSE 0 END),
       coalesce(sum(l.accepted),0), coalesce(sum(l.refused),0), max(n.date)
FROM negotiations n
LEFT JOIN (SELECT negotiation_id, sum(accepted) accepted,
                  sum(CASE WHEN conceded = 0 OR item_key IS NULL THEN offered ELSE 0 END) refused
           FROM (SELECT negotiation_id, item_key,
                        sum(CASE WHEN kind='conceded' AND received_item IS NOT NULL THEN 1 ELSE 0 END) accepted,
                        sum(CASE WHEN kind='offered' AND debrief_id IS NOT NULL THEN 1 ELSE 0 END) offered,
                        sum(CASE WHEN kind='conceded' THEN 1 ELSE 0 END) conceded
                 FROM ledger_entries WHERE workspace_id=:ws AND counterpart_id IN ({group})
                 GROUP BY negotiation_id, item_key) i
           GROUP BY negotiation_id) l ON l.negotiation_id=n.id
WHERE n.workspace_id=:ws AND n.counterpart_id IN ({group})
GROUP BY n.owner_id + 0
"""
FLOOR_RECENT = """
SELECT n.id, n.owner_id, m.display_name, n.title, n.date, n.status, d.outcome, d.reflection, p.asks
FROM negotiations n JOIN members m ON m.id=n.owner_id
LEFT JOIN debriefs d ON d.negotiation_id=n.id LEFT JOIN prep_plans p ON p.negotiation_id=n.id
WHERE n.workspace_id=:ws AND n.counterpart_id IN ({group})
ORDER BY n.date DESC, n.id DESC LIMIT 20
"""
FLOOR_GIVEN = "sum(CASE WHEN e.kind='conceded' THEN e.value_minor ELSE 0 END)"
FLOOR_GOT = "sum(CASE WHEN e.kind='conceded' THEN coalesce(e.received_value_minor,0) WHEN e.kind='received' THEN e.value_minor ELSE 0 END)"
FLOOR_MONEY = f"""
SELECT n.owner_id + 0, e.currency, {FLOOR_GIVEN}, {FLOOR_GOT}
FROM ledger_entries e JOIN negotiations n ON n.id=e.negotiation_id
WHERE e.workspace_id=:ws AND e.counterpart_id IN ({{group}}) GROUP BY 1, 2
"""
FLOOR_RECENT_SUMS = f"""
SELECT e.negotiation_id, e.currency, {FLOOR_GIVEN}, {FLOOR_GOT}
FROM ledger_entries e WHERE e.workspace_id=:ws AND e.negotiation_id IN ({{ids}}) GROUP BY 1, 2
"""
# decided trade requests not yet debriefed: approved ones are accepted trades, rejected ones refused
FLOOR_APPROVED = (
    "(e.trade_id IS NOT NULL AND e.debrief_id IS NULL AND e.kind='offered' AND t.status IN ('approved','accepted')"
    " AND NOT EXISTS (SELECT 1 FROM debriefs d WHERE d.workspace_id=e.workspace_id AND d.negotiation_id=e.negotiation_id))"
)
FLOOR_REJECTED = "(e.trade_id IS NOT NULL AND e.debrief_id IS NULL AND e.kind='held' AND t.status='rejected')"
FLOOR_REQUESTS = f"""
SELECT n.owner_id + 0, sum(CASE WHEN {FLOOR_APPROVED} THEN 1 ELSE 0 END), sum(CASE WHEN {FLOOR_REJECTED} THEN 1 ELSE 0 END)
FROM ledger_entries e JOIN trade_proposals t ON t.id=e.trade_id JOIN negotiations n ON n.id=e.negotiation_id
WHERE e.workspace_id=:ws AND e.counterpart_id IN ({{group}}) AND ({FLOOR_APPROVED} OR {FLOOR_REJECTED}) GROUP BY 1
"""
FLOOR_REQUEST_EVIDENCE = f"""
SELECT e.item_key, CASE WHEN {FLOOR_APPROVED} THEN 1 ELSE 0 END,
       CASE WHEN {FLOOR_APPROVED} AND e.value_minor > 0 AND e.received_value_minor IS NOT NULL THEN e.received_value_minor * 10 / e.value_minor END, count(*)
FROM ledger_entries e JOIN trade_proposals t ON t.id=e.trade_id
WHERE e.workspace_id=:ws AND e.counterpart_id IN ({{group}}) AND e.item_key IN ({{keys}}) AND ({FLOOR_APPROVED} OR {FLOOR_REJECTED})
GROUP BY 1, 2, 3
"""
FLOOR_COMMITMENTS = """
SELECT c.negotiation_id, c.owner_id, c.text, c.due FROM commitments c JOIN negotiations n ON n.id=c.negotiation_id
WHERE c.workspace_id=:ws AND c.status='open' AND n.counterpart_id IN ({group})
ORDER BY c.due, c.id LIMIT 10
"""
FLOOR_TREE = "SELECT id, manager_id FROM members WHERE workspace_id=:ws"
FLOOR_EVIDENCE = """
SELECT item_key, CASE WHEN kind='conceded' THEN 1 ELSE 0 END ok,
       CASE WHEN value_minor > 0 AND received_value_minor IS NOT NULL THEN received_value_minor * 10 / value_minor END b, count(*)
FROM ledger_entries e
WHERE workspace_id=:ws AND counterpart_id IN ({group}) AND item_key IN ({keys}) AND debrief_id IS NOT NULL
  AND ((kind='conceded' AND received_item IS NOT NULL) OR (kind='offered' AND NOT EXISTS (
        SELECT 1 FROM ledger_entries c WHERE c.workspace_id=e.workspace_id AND c.negotiation_id=e.negotiation_id AND c.kind='conceded' AND c.item_key=e.item_key)))
GROUP BY 1, 2, 3
"""
FLOOR_TALLIES = "SELECT item_key, accepted, bucket, count FROM kind_trade_tallies WHERE workspace_id=:ws AND counterpart_kind=:kind AND item_key IN ({keys})"
PREP_ITEMS = (
    "Extra training day",
    "Free coaching session",
    "Tailored job aids",
    "Reference call",
    "Bundle option 40",
)


def floor_recall(db: Database, ws: int, cp: int, kind: str) -> int:
    """The recall's data by hand: the merge group, then plain id lists (11 statements: the same data
    as Parley's recall, money per owner and currency, and decided trade requests as evidence)."""
    with db.engine.connect() as c:
        p = {"ws": ws}
        ids = [
            r[0]
            for r in c.execute(
                text("SELECT id FROM counterparts WHERE workspace_id=:ws AND (id=:cp OR merged_into_id=:cp)"),
                p | {"cp": cp},
            )
        ]
        group = ",".join(str(i) for i in ids)
        n = len(c.execute(text(FLOOR_TOTALS.format(group=group)), p).all())
        n += len(c.execute(text(FLOOR_MONEY.format(group=group)), p).all())
        n += len(c.execute(text(FLOOR_REQUESTS.format(group=group)), p).all())
        recent = c.execute(text(FLOOR_RECENT.format(group=group)), p).all()
        if recent:
            rids = ",".join(str(r[0]) for r in recent)
            n += len(c.execute(text(FLOOR_RECENT_SUMS.format(ids=rids)), p).all())
        n += len(c.execute(text(FLOOR_COMMITMENTS.format(group=group)), p).all())
        n += len(c.execute(text(FLOOR_TREE), p).all())
        keys = ",".join(f"'{item_key(i)}'" for i in PREP_ITEMS)
        n += len(c.execute(text(FLOOR_EVIDENCE.format(keys=keys, group=group)), p).all())
        n += len(c.execute(text(FLOOR_REQUEST_EVIDENCE.format(keys=keys, group=group)), p).all())
        n += len(c.execute(text(FLOOR_TALLIES.format(keys=keys)), p | {"kind": kind}).all())
    return n


FLOOR_REVIEW = [
    """SELECT n.counterpart_kind, count(*), sum(CASE WHEN d.outcome='agreed' THEN 1 ELSE 0 END), sum(CASE WHEN d.outcome='no_deal' THEN 1 ELSE 0 END)
       FROM negotiations n JOIN debriefs d ON d.negotiation_id=n.id WHERE d.workspace_id=:ws AND d.submitted_at >= :start AND d.submitted_at < :end GROUP BY 1""",
    """SELECT e.item_key, min(e.item), e.counterpart_kind,
              sum(CASE WHEN e.kind='conceded' AND e.received_item IS NOT NULL THEN 1 ELSE 0 END),
              sum(CASE WHEN e.kind='offered' AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.workspace_id=e.workspace_id AND c.negotiation_id=e.negotiation_id AND c.kind='conceded' AND c.item_key=e.item_key) THEN 1 ELSE 0 END),
              count(DISTINCT CASE WHEN n.status='agreed' THEN n.id END), count(DISTINCT n.id),
              sum(CASE WHEN e.kind='conceded' AND e.received_item IS NOT NULL AND e.value_minor > 0 AND coalesce(e.received_value_minor,0) < e.value_minor THEN 1 ELSE 0 END)
       FROM ledger_entries e JOIN negotiations n ON n.id=e.negotiation_id
       WHERE e.workspace_id=:ws AND e.recorded_at >= :start AND e.recorded_at < :end AND e.debrief_id IS NOT NULL AND e.kind IN ('conceded','offered')
       GROUP BY e.item_key, e.counterpart_kind""",
    """SELECT analysis FROM debriefs WHERE workspace_id=:ws AND submitted_at >= :start AND submitted_at < :end""",
]


def floor_review(db: Database, ws: int, start: datetime, end: datetime) -> int:
    n = 0
    with db.engine.connect() as c:
        for sql in FLOOR_REVIEW:
            params: dict[str, Any] = {"ws": ws, "start": start, "end": end}
            if db.engine.dialect.name == "sqlite":
                params = params | {"start": start.replace(tzinfo=None), "end": end.replace(tzinfo=None)}
            n += len(c.execute(text(sql), params).all())
    return n


# ------------------------------------------------------------------------------------------ phases


def timed(fn: Callable[[], Any], samples: int) -> tuple[list[float], int]:
    """Milliseconds per call; then tracemalloc's peak (bytes) over a few more calls, measured apart
    because tracing slows Python code (not the database) several times over and would skew ratios."""
    out: list[float] = []
    for _ in range(samples):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    tracemalloc.start()
    for _ in range(min(5, samples)):
        fn()
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, peak


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cycle(items: list[Any]) -> Iterator[Any]:
    while True:
        yield from items


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=0.01,
        help="1 = 200,000 negotiations, 2,000,000 ledger rows (the full size)",
    )
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from bot.flows import prep as prep_flow
    from bot.flows.counterparts import recall
    from bot.flows.playbook_review import review_of
    from bot.members import Actor
    from bot.services import Services
    from bot.settings import Settings
    from coaching.playbook import load_default
    from coaching.prep import PrepForm, build_prep_plan, validate_prep

    with tempfile.TemporaryDirectory() as workdir:
        url, drop = fresh_database(args.database_url, Path(workdir))
        try:
            engine = make_engine(url)
            migrate.upgrade(engine)
            t0 = time.perf_counter()
            data = generate(engine, args.scale)
            print(
                f"generated in {time.perf_counter() - t0:.0f} s on {engine.dialect.name}: {data['negotiations']:,} negotiations over {len(data['counts']):,} counterparts with history"
            )
            db = Database(engine)
            ws = data["workspace_id"]
            load_before = f"{os.getloadavg()[0]:.1f}"
            playbook = load_default()
            rng = random.Random(11)
            counts: dict[int, int] = data["counts"]
            busy = rng.choices(list(counts), weights=list(counts.values()), k=args.samples)
            owner = data["members"][-1]
            actor = Actor(ws, owner, "UL000001", "Learner", "UTC", None, False, None)
            form = PrepForm(
                title="Renewal", counterpart_kind="customer", counterpart_name="", date="2026-12-01", objectives="Renew",
                tradeables="\n".join(f"{i} – $500 – worth $2,000" for i in PREP_ITEMS), wants="24-month term – worth $20,000",
            )  # fmt: skip
            prep = validate_prep(form, today=NOW.date(), default_currency="USD").prep
            assert prep is not None
            plan = build_prep_plan(prep, None, playbook)
            kind_of = {}
            with db.session() as s:
                for cid, kind in s.execute(
                    text("SELECT id, kind FROM counterparts WHERE workspace_id=:ws"), {"ws": ws}
                ):
                    kind_of[cid] = kind

            samples = cycle(busy)
            floor_ms, floor_peak = timed(
                lambda: (cp := next(samples), floor_recall(db, ws, cp, kind_of[cp])), args.samples
            )

            def parley_recall() -> None:
                cp = next(samples)
                with db.read() as s:
                    counterpart = s.get(Counterpart, cp)
                    workspace = s.get(Workspace, ws)
                    recall(s, actor, workspace, counterpart, kind=kind_of[cp], kind_label=kind_of[cp], trades=plan.trades,
                           playbook=playbook, currency="USD", exclude=None, today=NOW.date())  # fmt: skip

            samples = cycle(busy)
            recall_ms, recall_peak = timed(parley_recall, args.samples)

            # statements per recall: the smallest and the largest history
            statements: list[str] = []

            def count(*a: Any) -> None:
                statements.append(a[2])

            event.listen(engine, "before_cursor_execute", count)
            per: dict[str, int] = {}
            for label, cp in (
                ("smallest", min(counts, key=counts.__getitem__)),
                ("largest", max(counts, key=counts.__getitem__)),
            ):
                statements.clear()
                samples = cycle([cp])
                parley_recall()
                per[f"{label} ({counts[cp]:,} negotiations)"] = len(statements)
            event.remove(engine, "before_cursor_execute", count)
            assert len(set(per.values())) == 1, f"statements per recall vary with the history: {per}"

            # (c) a prep submission with and without the memory
            services = Services(settings=Settings(database_url=url), db=db, clock=lambda: NOW)
            first = min(kind_of)
            names = cycle([f"counterpart {cp - first} ltd." for cp in busy])  # typed differently
            keys = iter(range(10**9))

            def submission() -> None:
                """The submission (its ack: which counterpart, the writes) and its plan job's
                building of the plan (the recall), as a prep's whole cost."""
                named = dataclasses.replace(form, counterpart_name=next(names))
                t0 = time.perf_counter()
                result = prep_flow.submit_prep(
                    services, actor, named, negotiation_id=None, submission_key=f"b{next(keys)}"
                )
                acks.append((time.perf_counter() - t0) * 1000)
                assert result.saved is not None or result.choose is not None
                if result.saved is not None:
                    with db.read() as s:
                        assert prep_flow.plan_now(s, services, ws, result.saved.negotiation_id) is not None

            acks: list[float] = []
            with_ms, with_peak = timed(submission, args.samples)
            with_acks, acks = acks[: args.samples], []
            real_resolve, real_recall = prep_flow.resolve_counterpart, prep_flow.recall
            from bot.flows.counterparts import Recall, Resolved
            from coaching.counterpart_history import Briefing
            from coaching.trade_ranking import rank_trades

            prep_flow.resolve_counterpart = lambda *a, **k: Resolved()  # type: ignore[assignment]
            prep_flow.recall = lambda *a, **k: Recall(
                Briefing("", (), None, 0),
                rank_trades(k["trades"], [], threshold=3, counterpart="", kind_label=""),
            )  # type: ignore[assignment]
            try:
                without_ms, _ = timed(submission, args.samples)
                without_acks = acks[: args.samples]
            finally:
                prep_flow.resolve_counterpart, prep_flow.recall = real_resolve, real_recall

            # (d) the review, for the busiest month
            start = datetime(2026, 10, 1, tzinfo=UTC)
            end = datetime(2026, 11, 1, tzinfo=UTC)
            review_floor_ms, _ = timed(lambda: floor_review(db, ws, start, end), max(5, args.samples // 20))

            def parley_review() -> None:
                with db.read() as s:
                    review_of(s, ws, playbook, start, end, "October 2026")

            review_ms, review_peak = timed(parley_review, max(5, args.samples // 20))
            engine.dispose()
        finally:
            drop()

    def line(label: str, ms: list[float]) -> str:
        return f"  {label:<34} p50 {p(ms, 0.5):8.2f} ms   p90 {p(ms, 0.9):8.2f} ms"

    sizes = sorted(float(counts[cp]) for cp in busy)
    print(f"\nsamples: {args.samples} preps on counterparts drawn by negotiation count (scale {args.scale}); "
          f"their histories: p50 {p(sizes, 0.5):,.0f}, p90 {p(sizes, 0.9):,.0f}, max {sizes[-1]:,.0f} negotiations")  # fmt: skip
    print(
        f"machine: {os.cpu_count()} cores, load average {load_before} before the phases, {os.getloadavg()[0]:.1f} after (shared: other work runs too)"
    )
    print(line("(a) recall floor (hand-written SQL)", floor_ms))
    print(line("(b) Parley's recall", recall_ms))
    print(f"  ratio (b)/(a) at p50: {p(recall_ms, 0.5) / p(floor_ms, 0.5):.2f}  (target <= 2)")
    print(line("(c) prep submission, memory on", with_ms))
    print(line("    prep submission, memory off", without_ms))
    print(line("    of which the ack, memory on", with_acks))
    print(line("    of which the ack, memory off", without_acks))
    print(
        f"  the memory adds {p(with_ms, 0.5) - p(without_ms, 0.5):.1f} ms at p50 to a prep submission (target < 50 ms)"
    )
    print(f"  statements per recall: {per}")
    print(line("(d) review floor (hand-written SQL)", review_floor_ms))
    print(line("    Parley's review aggregation", review_ms))
    print(f"  ratio review/floor at p50: {p(review_ms, 0.5) / p(review_floor_ms, 0.5):.2f}  (target <= 3)")
    mb = 1024 * 1024
    print(f"  peak memory (tracemalloc): floor {floor_peak / mb:.1f} MB, recall {recall_peak / mb:.1f} MB, "
          f"prep {with_peak / mb:.1f} MB, review {review_peak / mb:.1f} MB; process ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
