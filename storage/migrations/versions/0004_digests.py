"""Indexes for the weekly digests: which digests a week already has, and commitments closed in a week.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

The digest job asks every few minutes which digests of the current ISO week are already recorded
(``digest_runs`` by workspace and week: the unique key leads with the recipient, so without this
index the question reads every run the workspace ever had), and the digests count commitments kept
and lapsed per week (``commitments`` by workspace and ``closed_at``).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_digest_runs_workspace_id_iso_week", "digest_runs", ["workspace_id", "iso_week"])
    op.create_index("ix_commitments_workspace_id_closed_at", "commitments", ["workspace_id", "closed_at"])


def downgrade() -> None:
    op.drop_index("ix_commitments_workspace_id_closed_at", table_name="commitments")
    op.drop_index("ix_digest_runs_workspace_id_iso_week", table_name="digest_runs")
