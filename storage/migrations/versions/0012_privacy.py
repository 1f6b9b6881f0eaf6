"""Members' data: export and erasure requests, leavers and erased tombstones, erased workspaces.

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-07

``data_requests`` holds a member's ``export`` / ``erase`` requests for the clock process;
``members.left_at`` marks someone deactivated in Slack, ``members.erased_at`` a member erased to
"a former member"; ``workspaces.erased_at`` a workspace erased 30 days after it was uninstalled.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("members", sa.Column("left_at", TIMESTAMP, nullable=True))
    op.add_column("members", sa.Column("erased_at", TIMESTAMP, nullable=True))
    op.add_column("workspaces", sa.Column("erased_at", TIMESTAMP, nullable=True))
    op.create_table(
        "data_requests",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=True),
        sa.Column("requested_by_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deliver_to", sa.String(length=32), nullable=True),
        sa.Column("detail", JSON_DOC, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", ID, nullable=False),
        sa.Column("requested_at", TIMESTAMP, nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=True),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_data_requests_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["members.id"],
            name=op.f("fk_data_requests_requested_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_data_requests_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_requests")),
    )
    op.create_index(
        op.f("ix_data_requests_workspace_id_member_id_status"),
        "data_requests",
        ["workspace_id", "member_id", "status"],
    )
    op.create_index(op.f("ix_data_requests_status_requested_at"), "data_requests", ["status", "requested_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_data_requests_status_requested_at"), table_name="data_requests")
    op.drop_index(op.f("ix_data_requests_workspace_id_member_id_status"), table_name="data_requests")
    op.drop_table("data_requests")
    op.drop_column("workspaces", "erased_at")
    op.drop_column("members", "erased_at")
    op.drop_column("members", "left_at")
