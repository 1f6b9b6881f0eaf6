"""0010 backfills counterparts from the names already typed, links the ledger, and builds the tallies;
nothing typed is changed, and no row is lost (a table copy on SQLite would cascade into the ledger)."""

# ruff: noqa: E501  (SQL reads better whole)

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from storage import migrate
from storage.db import make_engine

AT = datetime(2026, 11, 1, 12, tzinfo=UTC).replace(tzinfo=None)


def test_counterparts_are_backfilled_from_existing_negotiations(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0008")
        with engine.begin() as c:
            ws = c.execute(
                text("INSERT INTO workspaces (team_id, settings) VALUES ('T1', '{}') RETURNING id")
            ).scalar()
            other = c.execute(
                text("INSERT INTO workspaces (team_id, settings) VALUES ('T2', '{}') RETURNING id")
            ).scalar()
            people = {}
            for w in (ws, other):
                people[w] = c.execute(
                    text("INSERT INTO members (workspace_id, slack_user_id, display_name, tz, is_slack_admin, role, settings)"
                         " VALUES (:w, 'U1', 'A', 'UTC', false, 'learner', '{}') RETURNING id"), {"w": w}
                ).scalar()  # fmt: skip
            ids = {}
            for w, name in (
                (ws, "Northwind Ltd"),
                (ws, "northwind ltd."),
                (ws, "Contoso"),
                (ws, ""),
                (other, "Northwind"),
            ):
                ids[(w, name)] = c.execute(
                    text("INSERT INTO negotiations (workspace_id, owner_id, title, counterpart_kind, counterpart_name, date, status, currency)"
                         " VALUES (:w, :o, 'T', 'customer', :n, :d, 'agreed', 'USD') RETURNING id"),
                    {"w": w, "o": people[w], "n": name, "d": date(2026, 10, 1)},
                ).scalar()  # fmt: skip
            nid = ids[(ws, "Northwind Ltd")]
            debrief = c.execute(
                text("INSERT INTO debriefs (workspace_id, negotiation_id, member_id, outcome, reflection, analysis, submitted_at)"
                     " VALUES (:w, :n, :m, 'agreed', '', '{}', :at) RETURNING id"), {"w": ws, "n": nid, "m": people[ws], "at": AT}
            ).scalar()  # fmt: skip
            for kind, item, received in (
                ("conceded", "Onboarding Workshop.", "Term"),
                ("offered", "Review", None),
            ):
                c.execute(
                    text("INSERT INTO ledger_entries (workspace_id, negotiation_id, debrief_id, kind, item, value_minor, currency,"
                         " received_item, received_value_minor, position, recorded_at)"
                         " VALUES (:w, :n, :d, :k, :i, 1000, 'USD', :r, :rv, 0, :at)"),
                    {"w": ws, "n": nid, "d": debrief, "k": kind, "i": item, "r": received, "rv": 2100 if received else None, "at": AT},
                )  # fmt: skip
        migrate.upgrade(engine)
        with engine.connect() as c:
            cps = c.execute(
                text("SELECT workspace_id, name, key FROM counterparts ORDER BY workspace_id, key")
            ).all()
            assert [(w == ws, key) for w, _n, key in cps] == [
                (True, "contoso"),
                (True, "northwind"),
                (False, "northwind"),
            ]
            links = dict(c.execute(text("SELECT id, counterpart_id FROM negotiations")).all())
            assert links[ids[(ws, "Northwind Ltd")]] == links[ids[(ws, "northwind ltd.")]] is not None
            assert links[ids[(ws, "")]] is None
            assert (
                links[ids[(other, "Northwind")]] != links[ids[(ws, "Northwind Ltd")]]
            )  # no leak between workspaces
            names = dict(c.execute(text("SELECT id, counterpart_name FROM negotiations")).all())
            assert names[ids[(ws, "northwind ltd.")]] == "northwind ltd."  # what was typed is kept
            ledger = c.execute(
                text("SELECT item_key, counterpart_id, counterpart_kind FROM ledger_entries ORDER BY id")
            ).all()
            assert ledger == [
                ("onboarding workshop", links[nid], "customer"),
                ("review", links[nid], "customer"),
            ]
            tallies = c.execute(
                text("SELECT item_key, accepted, bucket, count FROM kind_trade_tallies ORDER BY item_key")
            ).all()
            assert [(k, bool(a), b, n) for k, a, b, n in tallies] == [
                ("onboarding workshop", True, 21, 1),
                ("review", False, -1, 1),
            ]
        migrate.downgrade(engine, "0008")  # and back: the names are still there
        with engine.connect() as c:
            assert (
                c.execute(
                    text("SELECT count(*) FROM negotiations WHERE counterpart_name = 'northwind ltd.'")
                ).scalar()
                == 1
            )
    finally:
        engine.dispose()
