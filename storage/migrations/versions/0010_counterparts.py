"""Counterparts become first-class: one row per counterpart per workspace, linked from negotiations,
trades and the ledger; existing negotiations are backfilled.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07

The backfill groups existing negotiations by the name's key (``coaching.counterpart_names.name_key``,
the same rule the app applies from now on), one counterpart per workspace and key, named as most
recently typed; negotiations with no name stay unlinked. Ledger rows get their negotiation's
counterpart, kind and the item's matching key so recall at prep is one index range. Nothing typed is
changed: ``negotiations.counterpart_name`` keeps what was typed.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from coaching.counterpart_names import item_key, name_key

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BATCH = 5_000


def upgrade() -> None:
    op.create_table(
        "counterparts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("workspace_id", ID, sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("merged_into_id", ID, sa.ForeignKey("counterparts.id", ondelete="SET NULL"), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_counterparts"),
    )
    op.create_index("ix_counterparts_workspace_id_key", "counterparts", ["workspace_id", "key"])
    op.create_index(
        "ix_counterparts_workspace_id_merged_into_id", "counterparts", ["workspace_id", "merged_into_id"]
    )
    # PostgreSQL adds the columns in place; SQLite copies the table to add a named reference, with
    # foreign keys off (storage/migrations/env.py) so dropping the old copy cascades into nothing.
    for table in ("negotiations", "trade_proposals", "ledger_entries"):
        add_counterpart_column(table)
    op.add_column("ledger_entries", sa.Column("counterpart_kind", sa.String(16), nullable=True))
    op.add_column("ledger_entries", sa.Column("item_key", sa.String(200), nullable=True))
    op.create_index(
        "ix_negotiations_workspace_id_counterpart_id", "negotiations", ["workspace_id", "counterpart_id"]
    )
    op.create_index(
        "ix_ledger_entries_workspace_id_counterpart_kind_item_key",
        "ledger_entries",
        ["workspace_id", "counterpart_kind", "item_key"],
    )
    op.create_index(
        "ix_ledger_entries_workspace_id_counterpart_id", "ledger_entries", ["workspace_id", "counterpart_id"]
    )
    op.create_table(
        "kind_trade_tallies",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("workspace_id", ID, sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("counterpart_kind", sa.String(16), nullable=False),
        sa.Column("item_key", sa.String(200), nullable=False),
        sa.Column("item", sa.String(500), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("bucket", ID, nullable=False),
        sa.Column("count", ID, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kind_trade_tallies"),
        sa.UniqueConstraint(
            "workspace_id", "counterpart_kind", "item_key", "accepted", "bucket",
            name="uq_kind_trade_tallies_key",
        ),
    )  # fmt: skip
    backfill(op.get_bind())
    op.execute(TALLY_BACKFILL)


def add_counterpart_column(table: str) -> None:
    name = f"fk_{table}_counterpart_id_counterparts"
    if op.get_bind().dialect.name == "sqlite":  # a table copy; env.py turns foreign keys off for it
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("counterpart_id", ID, nullable=True))
            batch.create_foreign_key(name, "counterparts", ["counterpart_id"], ["id"], ondelete="SET NULL")
    else:
        op.add_column(table, sa.Column("counterpart_id", ID, nullable=True))
        op.create_foreign_key(name, table, "counterparts", ["counterpart_id"], ["id"], ondelete="SET NULL")


def backfill(connection: sa.Connection) -> None:
    """Counterparts from the names already typed; then the ledger's copies of them."""
    negotiations = sa.table(
        "negotiations",
        sa.column("id", ID), sa.column("workspace_id", ID), sa.column("counterpart_name", sa.String),
        sa.column("counterpart_kind", sa.String), sa.column("counterpart_id", ID),
    )  # fmt: skip
    counterparts = sa.table(
        "counterparts",
        sa.column("id", ID), sa.column("workspace_id", ID), sa.column("name", sa.String),
        sa.column("key", sa.String), sa.column("kind", sa.String), sa.column("created_at", sa.DateTime),
    )  # fmt: skip
    ledger = sa.table(
        "ledger_entries",
        sa.column("id", ID), sa.column("negotiation_id", ID), sa.column("item", sa.String),
        sa.column("item_key", sa.String), sa.column("counterpart_id", ID),
        sa.column("counterpart_kind", sa.String),
    )  # fmt: skip
    groups: dict[tuple[int, str], list[tuple[int, str, str]]] = {}
    rows = connection.execute(
        sa.select(
            negotiations.c.id,
            negotiations.c.workspace_id,
            negotiations.c.counterpart_name,
            negotiations.c.counterpart_kind,
        ).order_by(negotiations.c.id)
    )
    for nid, workspace_id, name, kind in rows:
        key = name_key(name or "")
        if key:
            groups.setdefault((workspace_id, key), []).append((nid, name, kind))
    now = datetime.now(UTC)
    for (workspace_id, key), members in groups.items():
        _last_id, name, kind = members[-1]
        new_id = connection.execute(
            sa.insert(counterparts)
            .values(workspace_id=workspace_id, name=name.strip()[:200], key=key, kind=kind, created_at=now)
            .returning(counterparts.c.id)
        ).scalar_one()
        ids = [nid for nid, _n, _k in members]
        for start in range(0, len(ids), BATCH):
            connection.execute(
                sa.update(negotiations)
                .where(negotiations.c.id.in_(ids[start : start + BATCH]))
                .values(counterpart_id=new_id)
            )
    # The ledger: counterpart and kind from the negotiation, the item's key computed here.
    connection.execute(
        sa.update(ledger).values(
            counterpart_id=sa.select(negotiations.c.counterpart_id)
            .where(negotiations.c.id == ledger.c.negotiation_id)
            .scalar_subquery(),
            counterpart_kind=sa.select(negotiations.c.counterpart_kind)
            .where(negotiations.c.id == ledger.c.negotiation_id)
            .scalar_subquery(),
        )
    )
    last = 0
    while True:
        chunk = connection.execute(
            sa.select(ledger.c.id, ledger.c.item).where(ledger.c.id > last).order_by(ledger.c.id).limit(BATCH)
        ).all()
        if not chunk:
            break
        connection.execute(
            sa.update(ledger).where(ledger.c.id == sa.bindparam("lid")).values(item_key=sa.bindparam("key")),
            [{"lid": lid, "key": item_key(item or "")} for lid, item in chunk],
        )
        last = chunk[-1][0]


# The same definitions as storage.queries.counterparts (accepted: conceded with something back;
# refused: offered in a debrief and not conceded in that negotiation; ratio in tenths, capped at 100×).
TALLY_BACKFILL = """
INSERT INTO kind_trade_tallies (workspace_id, counterpart_kind, item_key, item, accepted, bucket, count)
SELECT workspace_id, counterpart_kind, item_key, min(item), accepted, bucket, count(*) FROM (
  SELECT e.workspace_id, e.counterpart_kind, e.item_key, e.item,
         CASE WHEN e.kind = 'conceded' THEN 1 = 1 ELSE 1 = 0 END AS accepted,
         CASE WHEN e.kind = 'conceded' AND e.value_minor > 0 AND e.received_value_minor IS NOT NULL
              THEN CASE WHEN e.received_value_minor * 10 / e.value_minor > 1000 THEN 1000
                        ELSE e.received_value_minor * 10 / e.value_minor END
              ELSE -1 END AS bucket
  FROM ledger_entries e
  WHERE e.debrief_id IS NOT NULL AND e.counterpart_kind IS NOT NULL
    AND e.item_key IS NOT NULL AND e.item_key <> ''
    AND ((e.kind = 'conceded' AND e.received_item IS NOT NULL)
         OR (e.kind = 'offered' AND NOT EXISTS (
               SELECT 1 FROM ledger_entries c WHERE c.workspace_id = e.workspace_id
               AND c.negotiation_id = e.negotiation_id AND c.kind = 'conceded' AND c.item_key = e.item_key)))
) t
GROUP BY workspace_id, counterpart_kind, item_key, accepted, bucket
"""


def downgrade() -> None:
    op.drop_table("kind_trade_tallies")
    # Batch (a table copy) on SQLite, where storage/migrations/env.py turns foreign keys off first.
    with op.batch_alter_table("ledger_entries") as batch:
        batch.drop_index("ix_ledger_entries_workspace_id_counterpart_id")
        batch.drop_index("ix_ledger_entries_workspace_id_counterpart_kind_item_key")
        batch.drop_constraint("fk_ledger_entries_counterpart_id_counterparts", type_="foreignkey")
        batch.drop_column("item_key")
        batch.drop_column("counterpart_kind")
        batch.drop_column("counterpart_id")
    with op.batch_alter_table("trade_proposals") as batch:
        batch.drop_constraint("fk_trade_proposals_counterpart_id_counterparts", type_="foreignkey")
        batch.drop_column("counterpart_id")
    with op.batch_alter_table("negotiations") as batch:
        batch.drop_index("ix_negotiations_workspace_id_counterpart_id")
        batch.drop_constraint("fk_negotiations_counterpart_id_counterparts", type_="foreignkey")
        batch.drop_column("counterpart_id")
    op.drop_index("ix_counterparts_workspace_id_merged_into_id", "counterparts")
    op.drop_index("ix_counterparts_workspace_id_key", "counterparts")
    op.drop_table("counterparts")
