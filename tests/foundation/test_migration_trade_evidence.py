"""0013 drops the matching key of erased ledger items and rebuilds the kinds' tallies with decided
trade requests counted (approved: accepted, rejected: refused), as the app now keeps them."""

# ruff: noqa: E501  (SQL reads better whole)

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from storage import migrate
from storage.db import make_engine

AT = datetime(2026, 11, 1, 12, tzinfo=UTC).replace(tzinfo=None)


def test_requests_are_tallied_and_erased_items_lose_their_key(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0012")
        with engine.begin() as c:
            ws = c.execute(
                text("INSERT INTO workspaces (team_id, settings) VALUES ('T1', '{}') RETURNING id")
            ).scalar()
            me = c.execute(
                text("INSERT INTO members (workspace_id, slack_user_id, display_name, tz, is_slack_admin, role, settings)"
                     " VALUES (:w, 'U1', 'A', 'UTC', false, 'learner', '{}') RETURNING id"), {"w": ws}
            ).scalar()  # fmt: skip
            cp = c.execute(
                text("INSERT INTO counterparts (workspace_id, name, key, kind, created_at) VALUES (:w, 'Acme', 'acme', 'customer', :at) RETURNING id"),
                {"w": ws, "at": AT},
            ).scalar()  # fmt: skip
            nid = c.execute(
                text("INSERT INTO negotiations (workspace_id, owner_id, title, counterpart_kind, counterpart_name, counterpart_id, status, currency)"
                     " VALUES (:w, :o, 'T', 'customer', 'Acme', :cp, 'planned', 'USD') RETURNING id"),
                {"w": ws, "o": me, "cp": cp},
            ).scalar()  # fmt: skip
            for status, kind, received in (
                ("approved", "offered", 20_000),
                ("rejected", "held", None),
                ("withdrawn", "held", None),
            ):
                trade = c.execute(
                    text("INSERT INTO trade_proposals (workspace_id, negotiation_id, counterpart_id, requester_id, get_item, give_item,"
                         " give_cost_minor, get_value_minor, currency, reason, status, rounds, reminders, checks)"
                         " VALUES (:w, :n, :cp, :o, 'Term', 'Workshop', 1000, :rv, 'USD', '', :s, 0, 0, '[]') RETURNING id"),
                    {"w": ws, "n": nid, "cp": cp, "o": me, "rv": received, "s": status},
                ).scalar()  # fmt: skip
                c.execute(
                    text("INSERT INTO ledger_entries (workspace_id, negotiation_id, trade_id, kind, item, value_minor, currency,"
                         " received_item, received_value_minor, position, recorded_at, counterpart_id, counterpart_kind, item_key)"
                         " VALUES (:w, :n, :t, :k, 'Workshop', 1000, 'USD', :r, :rv, 0, :at, :cp, 'customer', 'workshop')"),
                    {"w": ws, "n": nid, "t": trade, "k": kind, "r": "Term" if received else None, "rv": received, "at": AT, "cp": cp},
                )  # fmt: skip
            # an erased member's line (its item emptied, its key left behind before 0013)
            c.execute(
                text("INSERT INTO ledger_entries (workspace_id, negotiation_id, kind, item, value_minor, currency,"
                     " position, recorded_at, counterpart_id, counterpart_kind, item_key)"
                     " VALUES (:w, :n, 'held', '', 1000, 'USD', 1, :at, :cp, 'customer', 'secret plan')"),
                {"w": ws, "n": nid, "at": AT, "cp": cp},
            )  # fmt: skip
            c.execute(
                text("INSERT INTO kind_trade_tallies (workspace_id, counterpart_kind, item_key, item, accepted, bucket, count)"
                     " VALUES (:w, 'customer', 'stale', 'stale', true, -1, 7)"), {"w": ws}
            )  # fmt: skip
        migrate.upgrade(engine)
        with engine.connect() as c:
            tallies = c.execute(
                text(
                    "SELECT item_key, accepted, bucket, count FROM kind_trade_tallies ORDER BY accepted, item_key"
                )
            ).all()
            assert [(k, bool(a), int(b), int(n)) for k, a, b, n in tallies] == [
                ("workshop", False, -1, 1),  # the rejected request
                ("workshop", True, 200, 1),  # the approved one: 20× its cost
            ]
            keys = [
                k for (k,) in c.execute(text("SELECT item_key FROM ledger_entries WHERE item = ''")).all()
            ]
            assert keys == [None]
        migrate.downgrade(engine, "0012")
        migrate.upgrade(engine)
    finally:
        engine.dispose()
