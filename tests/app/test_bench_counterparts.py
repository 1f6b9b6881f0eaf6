"""The counterpart benchmark's bulk loader (bench/counterparts.py), small: it drops the big tables'
indexes and foreign keys for the load and must put every one back, leave rows that satisfy them, and
leave the id sequences past the loaded rows so the app's own inserts (the prep phase) work.

Nothing here times anything; the benchmark's figures are in bench/README.md."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, inspect, select, text

from bench.counterparts import BULK_TABLES, NOW, generate
from storage import migrate
from storage.db import Database, make_engine
from storage.models import Counterpart, Debrief, KindTradeTally, LedgerEntry, Negotiation
from storage.queries.negotiations import create_negotiation


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def schema_of(engine: Engine) -> dict[str, tuple[set[str], set[str]]]:
    """Each bulk table's index names and foreign keys (name, columns, target)."""
    inspector = inspect(engine)
    return {
        table: (
            {str(i["name"]) for i in inspector.get_indexes(table)},
            {
                f"{fk['name']}:{','.join(fk['constrained_columns'])}->{fk['referred_table']}"
                for fk in inspector.get_foreign_keys(table)
            },
        )
        for table in BULK_TABLES
    }


def test_the_loader_fills_the_tables_and_gives_the_schema_back(engine: Engine) -> None:
    before = schema_of(engine)
    assert all(indexes for indexes, _ in before.values())

    data = generate(engine, 0.002)

    assert schema_of(engine) == before  # every index and foreign key rebuilt, under its own name
    db = Database(engine)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Negotiation)) == data["negotiations"] == 400
        assert s.scalar(select(func.count()).select_from(LedgerEntry)) == 4_000
        assert s.scalar(select(func.count()).select_from(Counterpart)) == 40
        debriefs = s.scalar(select(func.count()).select_from(Debrief))
        assert debriefs and 0 < debriefs < 400
        # every ledger row points at its negotiation's debrief and carries its counterpart
        assert (
            s.scalar(
                select(func.count())
                .select_from(LedgerEntry)
                .join(Debrief, Debrief.id == LedgerEntry.debrief_id)
                .join(Negotiation, Negotiation.id == LedgerEntry.negotiation_id)
                .where(
                    Debrief.negotiation_id == LedgerEntry.negotiation_id,
                    Negotiation.counterpart_id == LedgerEntry.counterpart_id,
                )
            )
            == 4_000
        )
        assert s.scalar(select(func.count()).select_from(KindTradeTally))  # the tallies were built
        # times were stored as the app stores them: a range query agrees with the values read back
        since = NOW - timedelta(days=90)
        stamps = list(s.scalars(select(LedgerEntry.recorded_at)))
        assert all(t.tzinfo is not None for t in stamps)
        in_range = s.scalar(select(func.count()).where(LedgerEntry.recorded_at >= since))
        assert in_range == sum(t >= since for t in stamps) > 0
        assert sum(data["counts"].values()) == 400
    if engine.dialect.name == "sqlite":
        with engine.connect() as c:
            assert c.execute(text("PRAGMA foreign_key_check")).all() == []
            assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1  # the app's setting is back
    # the app's next insert gets a fresh id (PostgreSQL's sequences were moved past the load)
    with db.session() as s:
        made = create_negotiation(
            s, data["workspace_id"], data["members"][0], title="After the load",
            counterpart_kind="customer", counterpart_name="", when=None, currency="USD",
        )  # fmt: skip
        s.flush()
        assert made.id == 401
