"""Their asks: what the other side will ask for, typed in the prep modal and kept verbatim.

Revision ID: 0006
Revises: 0005_tokens
Create Date: 2026-12-07

One text column on ``prep_plans``, like the prep's other free-text fields; existing preps read back
with no asks (the server default ``''``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("prep_plans", sa.Column("asks", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("prep_plans", "asks")
