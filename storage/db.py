"""Engine and unit-of-work handling.

The transaction belongs to the edge (STYLE §6): a request or a job opens one unit of work with
:meth:`Database.session`, query functions take the session as a parameter and never commit, and the
unit of work commits on success or rolls back as a whole on any exception.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: threads still queue; processes meet SQLite's own wait
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import flag_modified

READ_ONLY_OPTION = "parley_read_only"
SQLITE_POOL_SIZE = 24
POSTGRES_POOL_SIZE = 20


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the per-database settings Parley relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args = kwargs.pop("connect_args", {})
        # Bolt runs listeners on worker threads; the pool hands each its own connection.
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", 15)
        if parsed.database and parsed.database != ":memory:":
            # A SQLite connection is a file handle, but opening one costs a schema read on first use;
            # the default pool (5, closing extras on return) would reopen them all the time once
            # more threads than that are busy, as gunicorn's and Bolt's threads are under load.
            kwargs.setdefault("pool_size", SQLITE_POOL_SIZE)
            kwargs.setdefault("max_overflow", SQLITE_POOL_SIZE)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite defers BEGIN until the first INSERT/UPDATE, so a SAVEPOINT issued first would run
        # (and be released, i.e. committed) outside the unit of work. Take transaction control from the
        # driver and begin explicitly, as SQLAlchemy's pysqlite documentation recommends — IMMEDIATE,
        # so two units of work never deadlock upgrading read locks to write locks ("database is
        # locked"): SQLite has one writer at a time anyway, and the others wait on busy_timeout.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # A new PostgreSQL connection costs a backend process and an authentication, and connections above
    # pool_size ("overflow") are closed when returned: with the default (5, +10 overflow) a busy worker
    # reconnected all the time. Up to 20 per process, opened as needed and then kept; a thread that
    # finds all 20 in use waits for one (they are held for milliseconds).
    kwargs.setdefault("pool_size", POSTGRES_POOL_SIZE)
    kwargs.setdefault("max_overflow", 0)
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("connect_timeout", 5)
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    event.listen(engine, "connect", _no_jit)
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


def _no_jit(dbapi_connection: Any, _record: Any) -> None:
    """JIT compilation off for Parley's sessions: its statements are short, and PostgreSQL's cost
    estimate for a deep counterpart history (a correlated NOT EXISTS per ledger line) passed
    ``jit_above_cost``, so it spent seconds compiling a query that runs in less (bench/counterparts.py).
    PostgreSQL's docs: JIT pays off for long CPU-bound analytical queries; for short ones its overhead
    is often higher than what it saves."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # a SET outside any transaction, so nothing is left open
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    finally:
        dbapi_connection.autocommit = autocommit


# A pooled connection may have died while it sat unused (a database restart, a failover, a firewall
# dropping idle connections). SQLAlchemy's pool_pre_ping asks the server before *every* checkout, a
# round trip as long as the query on the lookup every request starts with; a connection that was in
# use moments ago is alive, so only one idle for a while is asked. A dead one is replaced, unseen.
PING_AFTER_IDLE_SECONDS = 10.0


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    checked_in_at = record.info.get("checked_in_at")
    if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
        return  # new, or in use moments ago
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver error: the pool discards it and connects afresh
        raise DisconnectionError() from error
    finally:
        with contextlib.suppress(Exception):
            dbapi_connection.rollback()  # the ping opened a transaction; checkout must hand out none


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN: see _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL fsyncs at checkpoints, not at every commit (SQLite's advice for WAL): a
        # crash of Parley loses nothing; a power cut may lose the last commits, never the database.
        # Production runs on PostgreSQL (DESIGN, scale path); SQLite is the embedded default.
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A read-only unit of work takes no write lock: under WAL it reads a snapshot while a writer works.
    read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
    connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


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


def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyError("a read-only unit of work tried to write; use Database.session()")


class ReadOnlyError(RuntimeError):
    """Something was changed inside :meth:`Database.read` (a bug: that unit of work only reads)."""


class WriterTurn:
    """Whose turn it is to write a SQLite database, across threads and processes.

    SQLite has one writer at a time, and a writer that finds the database locked sleeps in growing
    steps (up to 100 ms) before it tries again, so under load some writers wait for seconds while
    newcomers get in first. Writers queue here instead: threads of this process on a lock, processes
    (gunicorn's workers, the clock) on an exclusive ``flock`` of ``<database>-writer.lock``; both
    wake the next writer the moment the previous one commits. A unit of work nested in another on
    the same thread passes straight through (SQLite itself then reports the conflict, as before).
    """

    def __init__(self, database: str | None) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        in_memory = not database or database == ":memory:" or database.startswith("file::memory:")
        self._path = None if in_memory or fcntl is None else f"{database}-writer.lock"
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> None:
        me = threading.get_ident()
        if self._owner == me:
            self._depth += 1
            return
        self._lock.acquire()
        try:
            if self._path is not None:
                if self._fd is None or self._pid != os.getpid():  # a forked child needs its own lock
                    self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
                fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._lock.release()
            raise
        self._owner, self._depth = me, 1

    def __exit__(self, *_exc: object) -> None:
        self._depth -= 1
        if self._depth:
            return
        self._owner = None
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._lock.release()


class Database:
    """One engine and its session factory; built from settings, passed to whoever needs it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _scrub_nul)
        self._reader = engine.execution_options(**{READ_ONLY_OPTION: True})
        self._readers = sessionmaker(self._reader, expire_on_commit=False)
        # One statement needs no transaction around it (it is atomic on its own): on PostgreSQL that
        # saves the BEGIN and ROLLBACK round trips of the lookup every request starts with.
        self._single_reads = (
            self._reader.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql"
            else self._reader
        )
        event.listen(self._readers, "before_flush", _refuse_writes)
        self._writer_turn: AbstractContextManager[Any] = (
            WriterTurn(engine.url.database) if engine.dialect.name == "sqlite" else nullcontext()
        )

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit if the block finishes, roll back if it raises."""
        with self._writer_turn, self._sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads: the Home tab, lists, lookups.

        On SQLite it begins DEFERRED and skips the writers' queue, so it neither waits for nor blocks
        the one writer (WAL gives it a snapshot). A flush in it is a bug and raises. Closing it rolls
        the read transaction back: there is nothing to commit.
        """
        with self._readers() as session:
            yield session

    @contextmanager
    def read_core(self) -> Iterator[Connection]:
        """One read-only statement on a bare Core connection: for the lookup every request starts
        with, where an ORM session costs more (a few hundred microseconds) than the query it runs.
        On PostgreSQL it runs outside a transaction, so run one statement here, not several."""
        with self._single_reads.connect() as connection:
            yield connection

    def ping(self) -> None:
        """Raise if the database cannot be reached (for /healthz)."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
