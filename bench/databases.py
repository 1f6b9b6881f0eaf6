"""A fresh database for a benchmark run, so a run never reads (or collides with) earlier data."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from storage.db import make_engine


def fresh_database(url: str | None, workdir: Path) -> tuple[str, Callable[[], None]]:
    """A SQLite file in ``workdir``, or a new schema of its own in the PostgreSQL ``url``.

    Returns the URL to use and a function that drops the schema afterwards (a no-op for SQLite).
    """
    if url is None or url.startswith("sqlite"):
        return f"sqlite:///{workdir / 'bench.db'}", lambda: None
    if not url.startswith("postgresql"):
        raise SystemExit("--database-url must be a postgresql+psycopg:// URL (SQLite is the default)")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", drop
