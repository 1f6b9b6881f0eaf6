"""Prep plans keep the counterpart's style as the learner read it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The prep modal asks (optionally) for the counterpart's style; the plan's "reading the other side"
notes depend on it, and *Edit prep* must show it again, so it is stored with the rest of the prep.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prep_plans") as batch:
        batch.add_column(sa.Column("counterpart_style", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("prep_plans") as batch:
        batch.drop_column("counterpart_style")
