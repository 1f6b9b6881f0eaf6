"""Commitments by negotiation: an index for the prep-time recall's open commitments.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

The recall reads the open commitments of a counterpart's negotiations. Without an index on
``commitments.negotiation_id`` PostgreSQL read every open commitment of the workspace for each prep
(a sequential scan of the table, growing with the workspace, not with the history);
bench/counterparts.py measured it. It also serves the ``ON DELETE SET NULL`` of a deleted negotiation.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_commitments_workspace_id_negotiation_id", "commitments", ["workspace_id", "negotiation_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_commitments_workspace_id_negotiation_id", table_name="commitments")
