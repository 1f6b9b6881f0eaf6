"""Initial schema: Parley's domain tables and slack-sdk's installation and OAuth state tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Reviewed by hand from an autogenerate draft. Column types are spelled out here (not imported from the
models) so this revision keeps meaning the same thing when the models change later. The three slack_*
tables mirror slack-sdk's SQLAlchemyInstallationStore / SQLAlchemyOAuthStateStore definitions, so the
OAuth install flow uses the same database and the same migrations as everything else.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def _app_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
    ]


def _slack_sdk_tables() -> None:
    op.create_table(
        "slack_installations",
        *_app_columns(),
        sa.Column("enterprise_url", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.String(200)),
        sa.Column("user_scopes", sa.String(1000)),
        sa.Column("user_refresh_token", sa.String(200)),
        sa.Column("user_token_expires_at", sa.DateTime()),
        sa.Column("incoming_webhook_url", sa.String(200)),
        sa.Column("incoming_webhook_channel", sa.String(200)),
        sa.Column("incoming_webhook_channel_id", sa.String(200)),
        sa.Column("incoming_webhook_configuration_url", sa.String(200)),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(32)),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )
    op.create_table(
        "slack_bots",
        *_app_columns(),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
    )
    op.create_index("slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"])
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
    )


def upgrade() -> None:
    _slack_sdk_tables()
    op.create_table(
        "workspaces",
        sa.Column("id", ID, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("settings", JSON_DOC, nullable=False),
        sa.Column("installed_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("uninstalled_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("team_id", name=op.f("uq_workspaces_team_id")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("result", JSON_DOC, nullable=False),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_idempotency_keys_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_idempotency_keys_workspace_id_key")),
    )
    op.create_table(
        "members",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("is_slack_admin", sa.Boolean(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("manager_id", ID, nullable=True),
        sa.Column("style", sa.String(length=16), nullable=True),
        sa.Column("settings", JSON_DOC, nullable=False),
        sa.Column("profile_refreshed_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["members.id"], name=op.f("fk_members_manager_id_members"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint(
            "workspace_id", "slack_user_id", name=op.f("uq_members_workspace_id_slack_user_id")
        ),
    )
    op.create_index(
        op.f("ix_members_workspace_id_manager_id"), "members", ["workspace_id", "manager_id"], unique=False
    )
    op.create_table(
        "outbox_messages",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("payload", JSON_DOC, nullable=False),
        sa.Column("due_at", TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", ID, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=255), nullable=False),
        sa.Column("lease_until", TIMESTAMP, nullable=True),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("slack_channel", sa.String(length=32), nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_outbox_messages_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_messages_dedupe_key")),
    )
    op.create_index(
        op.f("ix_outbox_messages_status_due_at"), "outbox_messages", ["status", "due_at"], unique=False
    )
    op.create_index(
        op.f("ix_outbox_messages_workspace_id_kind"),
        "outbox_messages",
        ["workspace_id", "kind"],
        unique=False,
    )
    op.create_table(
        "assessment_results",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("answers", JSON_DOC, nullable=False),
        sa.Column("primary_style", sa.String(length=16), nullable=False),
        sa.Column("secondary_style", sa.String(length=16), nullable=False),
        sa.Column("scores", JSON_DOC, nullable=False),
        sa.Column("confidence", sa.String(length=16), nullable=False),
        sa.Column("taken_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_assessment_results_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_assessment_results_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_results")),
    )
    op.create_index(
        op.f("ix_assessment_results_workspace_id_member_id_taken_at"),
        "assessment_results",
        ["workspace_id", "member_id", "taken_at"],
        unique=False,
    )
    op.create_table(
        "audit_events",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", ID, nullable=True),
        sa.Column("detail", JSON_DOC, nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["members.id"], name=op.f("fk_audit_events_actor_id_members"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_audit_events_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(
        op.f("ix_audit_events_workspace_id_at"), "audit_events", ["workspace_id", "at"], unique=False
    )
    op.create_index(
        op.f("ix_audit_events_workspace_id_subject_type_subject_id"),
        "audit_events",
        ["workspace_id", "subject_type", "subject_id"],
        unique=False,
    )
    op.create_table(
        "digest_runs",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("recipient_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        sa.Column("outbox_id", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox_messages.id"],
            name=op.f("fk_digest_runs_outbox_id_outbox_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["members.id"],
            name=op.f("fk_digest_runs_recipient_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_digest_runs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_runs")),
        sa.UniqueConstraint(
            "workspace_id",
            "recipient_id",
            "kind",
            "iso_week",
            name=op.f("uq_digest_runs_workspace_id_recipient_id_kind_iso_week"),
        ),
    )
    op.create_table(
        "negotiations",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("counterpart_kind", sa.String(length=16), nullable=False),
        sa.Column("counterpart_name", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name=op.f("fk_negotiations_owner_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_negotiations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_negotiations")),
    )
    op.create_index(
        op.f("ix_negotiations_workspace_id_date"), "negotiations", ["workspace_id", "date"], unique=False
    )
    op.create_index(
        op.f("ix_negotiations_workspace_id_owner_id_status"),
        "negotiations",
        ["workspace_id", "owner_id", "status"],
        unique=False,
    )
    op.create_table(
        "commitments",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("negotiation_id", ID, nullable=True),
        sa.Column("owner_id", ID, nullable=True),
        sa.Column("owner_label", sa.String(length=200), nullable=False),
        sa.Column("owed_to_id", ID, nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("notice_days", ID, nullable=True),
        sa.Column("chargeback_percent", ID, nullable=True),
        sa.Column("chargeback_base_minor", ID, nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("charged_to", sa.String(length=200), nullable=True),
        sa.Column("consequence", JSON_DOC, nullable=True),
        sa.Column("snoozed_until", TIMESTAMP, nullable=True),
        sa.Column("nudges_sent", ID, nullable=False),
        sa.Column("last_nudged_at", TIMESTAMP, nullable=True),
        sa.Column("closed_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["negotiations.id"],
            name=op.f("fk_commitments_negotiation_id_negotiations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owed_to_id"],
            ["members.id"],
            name=op.f("fk_commitments_owed_to_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name=op.f("fk_commitments_owner_id_members"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_commitments_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    op.create_index(
        op.f("ix_commitments_workspace_id_owner_id_status"),
        "commitments",
        ["workspace_id", "owner_id", "status"],
        unique=False,
    )
    op.create_index(
        op.f("ix_commitments_workspace_id_status_due"),
        "commitments",
        ["workspace_id", "status", "due"],
        unique=False,
    )
    op.create_table(
        "debriefs",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("negotiation_id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("analysis", JSON_DOC, nullable=False),
        sa.Column("submitted_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_debriefs_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["negotiations.id"],
            name=op.f("fk_debriefs_negotiation_id_negotiations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_debriefs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debriefs")),
        sa.UniqueConstraint("negotiation_id", name=op.f("uq_debriefs_negotiation_id")),
    )
    op.create_index(
        op.f("ix_debriefs_workspace_id_submitted_at"),
        "debriefs",
        ["workspace_id", "submitted_at"],
        unique=False,
    )
    op.create_table(
        "prep_plans",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("negotiation_id", ID, nullable=False),
        sa.Column("objectives", sa.Text(), nullable=False),
        sa.Column("limits", sa.Text(), nullable=False),
        sa.Column("walk_away", sa.Text(), nullable=False),
        sa.Column("tradeables", sa.Text(), nullable=False),
        sa.Column("wants", sa.Text(), nullable=False),
        sa.Column("style", sa.String(length=16), nullable=True),
        sa.Column("slack_channel", sa.String(length=32), nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["negotiations.id"],
            name=op.f("fk_prep_plans_negotiation_id_negotiations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_prep_plans_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prep_plans")),
        sa.UniqueConstraint("negotiation_id", name=op.f("uq_prep_plans_negotiation_id")),
    )
    op.create_table(
        "trade_proposals",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("negotiation_id", ID, nullable=True),
        sa.Column("parent_id", ID, nullable=True),
        sa.Column("requester_id", ID, nullable=False),
        sa.Column("approver_id", ID, nullable=True),
        sa.Column("get_item", sa.String(length=500), nullable=False),
        sa.Column("get_value_minor", ID, nullable=True),
        sa.Column("give_item", sa.String(length=500), nullable=False),
        sa.Column("give_cost_minor", ID, nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("checks", JSON_DOC, nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by_id", ID, nullable=True),
        sa.Column("decided_at", TIMESTAMP, nullable=True),
        sa.Column("reminded_at", TIMESTAMP, nullable=True),
        sa.Column("escalated_at", TIMESTAMP, nullable=True),
        sa.Column("slack_channel", sa.String(length=32), nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"],
            ["members.id"],
            name=op.f("fk_trade_proposals_approver_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["members.id"],
            name=op.f("fk_trade_proposals_decided_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["negotiations.id"],
            name=op.f("fk_trade_proposals_negotiation_id_negotiations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["trade_proposals.id"],
            name=op.f("fk_trade_proposals_parent_id_trade_proposals"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["members.id"],
            name=op.f("fk_trade_proposals_requester_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_trade_proposals_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_proposals")),
    )
    op.create_index(
        op.f("ix_trade_proposals_status_needed_by"), "trade_proposals", ["status", "needed_by"], unique=False
    )
    op.create_index(
        op.f("ix_trade_proposals_workspace_id_approver_id_status"),
        "trade_proposals",
        ["workspace_id", "approver_id", "status"],
        unique=False,
    )
    op.create_index(
        op.f("ix_trade_proposals_workspace_id_requester_id_status"),
        "trade_proposals",
        ["workspace_id", "requester_id", "status"],
        unique=False,
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("negotiation_id", ID, nullable=False),
        sa.Column("debrief_id", ID, nullable=True),
        sa.Column("trade_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item", sa.String(length=500), nullable=False),
        sa.Column("value_minor", ID, nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("received_item", sa.String(length=500), nullable=True),
        sa.Column("received_value_minor", ID, nullable=True),
        sa.Column("position", ID, nullable=False),
        sa.Column("recorded_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["debrief_id"],
            ["debriefs.id"],
            name=op.f("fk_ledger_entries_debrief_id_debriefs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["negotiations.id"],
            name=op.f("fk_ledger_entries_negotiation_id_negotiations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trade_id"],
            ["trade_proposals.id"],
            name=op.f("fk_ledger_entries_trade_id_trade_proposals"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_ledger_entries_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index(
        op.f("ix_ledger_entries_workspace_id_negotiation_id"),
        "ledger_entries",
        ["workspace_id", "negotiation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_ledger_entries_workspace_id_recorded_at"),
        "ledger_entries",
        ["workspace_id", "recorded_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("ledger_entries")
    op.drop_table("trade_proposals")
    op.drop_table("prep_plans")
    op.drop_table("debriefs")
    op.drop_table("commitments")
    op.drop_table("negotiations")
    op.drop_table("digest_runs")
    op.drop_table("audit_events")
    op.drop_table("assessment_results")
    op.drop_table("outbox_messages")
    op.drop_table("members")
    op.drop_table("idempotency_keys")
    op.drop_table("workspaces")
    op.drop_table("slack_oauth_states")
    op.drop_table("slack_bots")
    op.drop_table("slack_installations")
