"""Playbook versions per workspace, and the version each prep plan and debrief used.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-07

``/negotiate playbook`` stores uploaded playbooks (drafts until applied; applied ones numbered per
workspace, the one activated last in force). Plans and debriefs record the version they were
written with (NULL: the process default), so a later change never rewrites what a plan said.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "playbook_versions",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("version", ID, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.func.now(), nullable=False),
        sa.Column("activated_at", TIMESTAMP, nullable=True),
        sa.Column("activation", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_playbook_versions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["members.id"],
            name=op.f("fk_playbook_versions_created_by_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_versions")),
        sa.UniqueConstraint(
            "workspace_id", "version", name=op.f("uq_playbook_versions_workspace_id_version")
        ),
    )
    op.create_index(
        op.f("ix_playbook_versions_workspace_id_activation"),
        "playbook_versions",
        ["workspace_id", "activation"],
        unique=False,
    )
    op.add_column("prep_plans", sa.Column("playbook_version", ID, nullable=True))
    op.add_column("debriefs", sa.Column("playbook_version", ID, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("debriefs") as batch:
        batch.drop_column("playbook_version")
    with op.batch_alter_table("prep_plans") as batch:
        batch.drop_column("playbook_version")
    op.drop_index(op.f("ix_playbook_versions_workspace_id_activation"), table_name="playbook_versions")
    op.drop_table("playbook_versions")
