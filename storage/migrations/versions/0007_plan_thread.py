"""The full prep plan lives in a thread under the "Your three moves" card: remember the reply's ts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

*Edit prep* updates the card and its thread reply in place; a plan posted before this revision has
no reply recorded (``NULL``), so its next edit posts the full plan as a new reply under the card.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("prep_plans", sa.Column("slack_thread_ts", sa.String(32), nullable=True))


def downgrade() -> None:
    op.drop_column("prep_plans", "slack_thread_ts")
