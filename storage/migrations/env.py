"""Alembic environment: the engine is handed in by :mod:`storage.migrate`, never read from a file.

On SQLite, foreign keys are switched off around the migration (SQLite's own procedure for schema
changes, and Alembic's advice for batch mode): a batch operation copies a table and drops the old
one, and with foreign keys on, that drop cascades into every table that references it (dropping
``negotiations`` would delete the ledger). The pragma only takes effect outside a transaction, so it
is set on the raw connection before the migration's transaction begins.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage import models  # noqa: F401  (registers every table on Base.metadata)
from storage.base import Base

config = context.config
engine = config.attributes["engine"]


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        render_as_batch=engine.dialect.name == "sqlite",
    )
    context.run_migrations()


if engine.dialect.name == "sqlite":
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                run(connection)
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
else:
    with engine.begin() as connection:
        run(connection)
