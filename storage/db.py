"""Engine and unit-of-work handling.

The transaction belongs to the edge (STYLE §6): a request or a job opens one unit of work with
:meth:`Database.session`, query functions take the session as a parameter and never commit, and the
unit of work commits on success or rolls back as a whole on any exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import flag_modified


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the per-database settings Parley relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args = kwargs.pop("connect_args", {})
        # Bolt runs listeners on worker threads; the pool hands each its own connection.
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", 15)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite defers BEGIN until the first INSERT/UPDATE, so a SAVEPOINT issued first would run
        # (and be released, i.e. committed) outside the unit of work. Take transaction control from the
        # driver and begin explicitly, as SQLAlchemy's pysqlite documentation recommends — IMMEDIATE,
        # so two units of work never deadlock upgrading read locks to write locks ("database is
        # locked"): SQLite has one writer at a time anyway, and the others wait on busy_timeout.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("connect_timeout", 5)
    return create_engine(url, connect_args=connect_args, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN: see _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _is_memory(dbapi_connection: Any) -> bool:
    cursor = dbapi_connection.cursor()
    try:
        rows = cursor.execute("PRAGMA database_list").fetchall()
    finally:
        cursor.close()
    return any(row[1] == "main" and not row[2] for row in rows)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def _scrub_nul(session: Session, _context: Any, _instances: Any) -> None:
    """Drop NUL characters from what people typed before it reaches the database.

    PostgreSQL refuses NUL in text and JSONB; SQLite would store it. Either way it is invisible in
    Slack, so one rule for both databases: it is removed, at the one place every ORM write passes.
    """
    for instance in (*session.new, *session.dirty):
        for attribute in instance.__mapper__.column_attrs:
            value = getattr(instance, attribute.key, None)
            if isinstance(value, str | dict | list):
                cleaned = _without_nul(value)
                if cleaned != value:
                    setattr(instance, attribute.key, cleaned)
                    if not isinstance(value, str):
                        flag_modified(instance, attribute.key)


class Database:
    """One engine and its session factory; built from settings, passed to whoever needs it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _scrub_nul)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit if the block finishes, roll back if it raises."""
        with self._sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise if the database cannot be reached (for /healthz)."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
