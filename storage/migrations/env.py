"""Alembic environment: the engine is handed in by :mod:`storage.migrate`, never read from a file."""

from __future__ import annotations

from alembic import context

from storage import models  # noqa: F401  (registers every table on Base.metadata)
from storage.base import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
