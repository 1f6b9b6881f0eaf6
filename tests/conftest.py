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
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from storage import migrate
from storage.db import Database, make_engine

POSTGRES_URL_VARIABLE = "PARLEY_TEST_POSTGRES_URL"

# Hypothesis profiles (docs/testing.md). "ci", the default everywhere, is deterministic: the same
# examples on every run and no example database, so a property test cannot fail one run in a hundred.
# "fuzz" (`make fuzz`) searches randomly with FUZZ_FACTOR times each test's examples and keeps the
# failures it finds in .hypothesis/ to replay; pin what it finds with @example. "mutate" is "ci" for
# `make mutate`, where an example database would carry one mutant's failure over to the next, with a
# tenth of the examples (each mutant reruns the tests that cover it).
FUZZ_FACTOR = 20
MUTATE_DIVISOR, MUTATE_MIN_EXAMPLES = 10, 10
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile(
    "mutate",
    derandomize=True,
    database=None,
    deadline=None,
    # mutmut runs the same test methods in one process for its stats, then for each mutant
    suppress_health_check=[HealthCheck.differing_executors],
)
settings.register_profile(
    "fuzz",
    max_examples=100 * FUZZ_FACTOR,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))  # --hypothesis-profile overrides it


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Scale every test's examples under "fuzz" (×20) and "mutate" (÷10, at least 10).

    A test's own ``@settings(max_examples=…)`` beats any profile, so a profile alone would change
    only the tests that keep the default.
    """
    profile = settings.get_current_profile_name()
    if profile not in ("fuzz", "mutate"):
        return
    for item in items:
        test = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))  # unbind methods
        own = getattr(test, "_hypothesis_internal_use_settings", None)  # what @given/@settings attached
        if own is None:
            continue
        if profile == "fuzz" and own.max_examples < 100 * FUZZ_FACTOR:
            examples = own.max_examples * FUZZ_FACTOR
        elif profile == "mutate":  # each of ~2,000 mutants reruns its tests: exact tests do the killing
            examples = max(MUTATE_MIN_EXAMPLES, own.max_examples // MUTATE_DIVISOR)
        else:
            continue
        test._hypothesis_internal_use_settings = settings(own, max_examples=examples)


# Real environment variables must not leak into tests (a developer's SLACK_BOT_TOKEN, say).
for _name in list(os.environ):
    if _name.startswith(("SLACK_", "PARLEY_METRICS_")) or _name in (
        *("DATABASE_URL", "PARLEY_PLAYBOOK", "PORT", "LOG_LEVEL", "PARLEY_ENCRYPTION_KEY"),
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
