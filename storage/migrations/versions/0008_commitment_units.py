"""Commitments with quantities: N units at a value each (12 seats × 1,800 USD).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

``chargeback_base_minor`` becomes the value of one unit; existing commitments are one unit (the
server default), so their chargeback is unchanged. A partial cancellation lowers ``units``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The models map ``int`` to BIGINT (INTEGER on SQLite), as 0001 does.
COUNT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("commitments", sa.Column("units", COUNT, nullable=False, server_default="1"))
    op.add_column("commitments", sa.Column("unit", sa.String(40), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("commitments", "unit")
    op.drop_column("commitments", "units")
