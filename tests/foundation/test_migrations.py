"""Migrations: idempotent upgrades, a full walk down and up, and no drift from the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, String, inspect

from storage import migrate, models  # noqa: F401  (registers the tables)
from storage.base import Base
from storage.db import make_engine
from storage.token_crypto import TOKEN_COLUMNS

DOMAIN_TABLES = {table.name for table in Base.metadata.sorted_tables}
SLACK_SDK_TABLES = {"slack_installations", "slack_bots", "slack_oauth_states"}


def expected_metadata() -> MetaData:
    """Our models plus slack-sdk's own definitions of its tables, which our migration mirrors."""
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    for table_name, names in TOKEN_COLUMNS.items():  # widened for ciphertext (migration 0005_tokens)
        for name in names:
            metadata.tables[table_name].c[name].type = String(500)
    return metadata


def test_upgrade_twice_is_clean(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        migrate.upgrade(engine)
        assert migrate.is_up_to_date(engine)
        tables = set(inspect(engine).get_table_names())
        assert tables >= DOMAIN_TABLES | SLACK_SDK_TABLES
    finally:
        engine.dispose()


def test_walk_down_and_up_again(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.is_up_to_date(engine)
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, expected_metadata()) == []
    finally:
        engine.dispose()
