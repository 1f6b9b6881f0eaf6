"""Trade requests keep their decision state: rounds, reminders, whose turn since when, escalation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The approval loop is a state machine (``coaching.trades``); what it needs to resume after a restart
lives in the row: how many counters so far, reminders sent in the current turn and when that turn
began (the scheduler's clock starts there), who it was escalated to (a Slack user id, like the
workspace's fallback approver setting), the value's currency when it differs from the cost's, and
where the proposer's copy of the request was posted so it can be updated in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NEW_COLUMNS = (
    ("rounds", lambda: sa.Column("rounds", COUNT, server_default="0", nullable=False)),
    ("reminders", lambda: sa.Column("reminders", COUNT, server_default="0", nullable=False)),
    ("turn_started_at", lambda: sa.Column("turn_started_at", sa.DateTime(timezone=True), nullable=True)),
    ("value_currency", lambda: sa.Column("value_currency", sa.String(length=3), nullable=True)),
    ("escalated_to", lambda: sa.Column("escalated_to", sa.String(length=32), nullable=True)),
    ("proposer_channel", lambda: sa.Column("proposer_channel", sa.String(length=32), nullable=True)),
    ("proposer_ts", lambda: sa.Column("proposer_ts", sa.String(length=32), nullable=True)),
)


def upgrade() -> None:
    # Plain ADD COLUMNs (no constraints), so SQLite needs no table copy.
    for _name, column in NEW_COLUMNS:
        op.add_column("trade_proposals", column())


def downgrade() -> None:
    with op.batch_alter_table("trade_proposals") as batch:
        for name, _column in reversed(NEW_COLUMNS):
            batch.drop_column(name)
