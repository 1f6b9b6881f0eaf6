"""Ledger rows by counterpart and item, and the request lines apart: the recall reads only what it needs.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

The prep-time recall reads a counterpart's past trades for the items in the prep. With an index on
``(workspace_id, counterpart_id)`` alone, PostgreSQL fetched every ledger row of the counterpart and
filtered the items out (for a counterpart with 86 negotiations: 764 rows fetched, 61 kept).
``item_key`` added to the same index makes it one range per item, and the index still serves every
"all of this counterpart's rows" read by its first two columns, so it replaces the old one
(bench/counterparts.py measured it).

A partial index over the lines trade requests wrote (``trade_id IS NOT NULL``, a small share of the
ledger) lets the recall count a counterpart's decided requests without reading its debrief lines.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

REQUEST_LINES = "trade_id IS NOT NULL"

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_ledger_entries_workspace_id_counterpart_id_item_key",
        "ledger_entries",
        ["workspace_id", "counterpart_id", "item_key"],
    )
    op.drop_index("ix_ledger_entries_workspace_id_counterpart_id", table_name="ledger_entries")
    op.create_index(
        "ix_ledger_entries_request_lines",
        "ledger_entries",
        ["workspace_id", "counterpart_id"],
        postgresql_where=sa.text(REQUEST_LINES),
        sqlite_where=sa.text(REQUEST_LINES),
    )


def downgrade() -> None:
    op.drop_index("ix_ledger_entries_request_lines", table_name="ledger_entries")
    op.create_index(
        "ix_ledger_entries_workspace_id_counterpart_id", "ledger_entries", ["workspace_id", "counterpart_id"]
    )
    op.drop_index("ix_ledger_entries_workspace_id_counterpart_id_item_key", table_name="ledger_entries")
