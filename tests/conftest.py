"""Fixtures shared by every test: real databases (SQLite always, PostgreSQL when configured).

PostgreSQL tests need ``PARLEY_TEST_POSTGRES_URL`` (CI sets it); without it they are skipped with a
visible reason. Each test gets its own freshly migrated database: a copy of a migrated SQLite file,
or a PostgreSQL schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import migrate
from storage.db import Database, make_engine

POSTGRES_URL_VARIABLE = "PARLEY_TEST_POSTGRES_URL"

# Real environment variables must not leak into tests (a developer's SLACK_BOT_TOKEN, say).
for _name in list(os.environ):
    if _name.startswith(("SLACK_", "PARLEY_METRICS_")) or _name in (
        *("DATABASE_URL", "PARLEY_PLAYBOOK", "PORT", "LOG_LEVEL"),
        *("LOG_FORMAT", "PROMETHEUS_MULTIPROC_DIR"),  # operations settings (docs/operations.md)
    ):
        del os.environ[_name]


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "parley.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty (unmigrated) database URL of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'parley.db'}"
        return
    base = postgres_url()
    if base is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_VARIABLE} (CI sets it)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db(database_url: str, migrated_sqlite_template: Path) -> Iterator[Database]:
    """A migrated database of each kind, private to the test."""
    if database_url.startswith("sqlite:///"):
        shutil.copyfile(migrated_sqlite_template, database_url.removeprefix("sqlite:///"))
        database = Database.from_url(database_url)
    else:
        database = Database.from_url(database_url)
        migrate.upgrade(database.engine)
    try:
        yield database
    finally:
        database.dispose()
