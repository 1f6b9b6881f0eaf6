"""Every message that shows an entity is recorded with it, so a change updates each one in place.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

``message_refs`` names a message (channel + ts) and what it shows: the entity (a trade, a commitment,
a negotiation), which rendering of it (``view``) and for whom (``viewer``). A change of state enqueues
a ``card_update`` outbox row per recorded message, which re-renders it from the current state.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "message_refs",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("entity", sa.String(length=24), nullable=False),
        sa.Column("entity_id", ID, nullable=False),
        sa.Column("view", sa.String(length=24), nullable=False),
        sa.Column("viewer", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("detail", JSON_DOC, nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_message_refs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_refs")),
        sa.UniqueConstraint("channel", "ts", "view", name=op.f("uq_message_refs_channel_ts_view")),
    )
    op.create_index(
        op.f("ix_message_refs_workspace_id_entity_entity_id"),
        "message_refs",
        ["workspace_id", "entity", "entity_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_message_refs_workspace_id_entity_entity_id"), table_name="message_refs")
    op.drop_table("message_refs")
