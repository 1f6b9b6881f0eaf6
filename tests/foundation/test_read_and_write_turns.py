"""Read-only units of work, and writers taking turns on SQLite (threads and processes)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.pool import NullPool

from storage.db import Database, ReadOnlyError, WriterTurn, _ping_if_idle
from storage.models import Workspace
from storage.queries.members import Profile, find_asker, save_profile
from storage.queries.workspaces import ensure_workspace, mark_uninstalled

fcntl = pytest.importorskip("fcntl")
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_a_read_only_unit_of_work_refuses_to_write_and_leaves_nothing(db: Database) -> None:
    with pytest.raises(ReadOnlyError, match="read-only"), db.read() as session:
        session.add(Workspace(team_id="T0READ", settings={}))
        session.flush()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Workspace)) == 0


def test_a_read_sees_the_last_commit_and_not_a_writer_still_at_work(db: Database) -> None:
    with db.session() as session:
        ensure_workspace(session, "T0BEFORE")
    writing, may_commit, committed = threading.Event(), threading.Event(), threading.Event()

    def writer() -> None:
        with db.session() as session:
            ensure_workspace(session, "T0DURING")
            session.flush()
            writing.set()
            may_commit.wait(10)
        committed.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(10)
        # The writer holds SQLite's write lock (and the writers' turn); a read is not held up by it.
        with db.read() as session:
            seen = set(session.scalars(select(Workspace.team_id)))
        assert seen == {"T0BEFORE"}
    finally:
        may_commit.set()
        thread.join(10)
    assert committed.is_set()
    with db.read() as session:
        assert set(session.scalars(select(Workspace.team_id))) == {"T0BEFORE", "T0DURING"}


def test_who_is_asking_is_one_lookup_and_none_for_an_uninstalled_workspace(db: Database) -> None:
    with db.session() as session:
        workspace = ensure_workspace(session, "T0ASK")
        save_profile(session, workspace.id, "U0ASK", Profile("Ada", "Europe/London"), NOW)
    with db.read_core() as connection:
        row = find_asker(connection, "T0ASK", "U0ASK")
        assert row is not None and row.display_name == "Ada" and row.tz == "Europe/London"
        assert find_asker(connection, "T0ASK", "U0NOBODY") is None
        assert find_asker(connection, "T0OTHER", "U0ASK") is None  # another tenant finds nothing
    with db.session() as session:
        mark_uninstalled(session, "T0ASK", NOW)
    with db.read_core() as connection:
        assert find_asker(connection, "T0ASK", "U0ASK") is None  # the slow path re-installs it


def test_writers_of_one_process_take_turns_and_other_processes_would_wait(tmp_path: Path) -> None:
    turn = WriterTurn(str(tmp_path / "parley.db"))
    lock_file = tmp_path / "parley.db-writer.lock"
    inside, release, second_in = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with turn:
            inside.set()
            release.wait(10)

    def second() -> None:
        with turn:
            second_in.set()

    holder = threading.Thread(target=first)
    holder.start()
    assert inside.wait(10)
    waiter = threading.Thread(target=second)
    waiter.start()
    # Another process asking for the turn now would block: its non-blocking attempt is refused.
    with open(lock_file, "rb") as other_process:
        with pytest.raises(BlockingIOError):
            fcntl.flock(other_process.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert not second_in.is_set()  # and the second thread of this one is still queued
        release.set()
        holder.join(10)
        waiter.join(10)
        assert second_in.is_set()
        fcntl.flock(other_process.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again
        fcntl.flock(other_process.fileno(), fcntl.LOCK_UN)


def test_a_unit_of_work_nested_on_the_same_thread_passes_its_own_turn(tmp_path: Path) -> None:
    turn = WriterTurn(str(tmp_path / "parley.db"))
    done = threading.Event()

    def nested() -> None:
        with turn, turn:
            pass
        with turn:  # and the turn was given back in full
            done.set()

    thread = threading.Thread(target=nested, daemon=True)  # a deadlock must fail the test, not hang it
    thread.start()
    thread.join(10)
    assert done.is_set()


def test_an_in_memory_database_needs_no_lock_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with WriterTurn(":memory:"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_pooled_connection_that_died_while_idle_is_replaced_unseen(db: Database) -> None:
    if db.dialect != "postgresql":  # a SQLite connection is a file: nothing on the other side drops it
        assert not event.contains(db.engine, "checkout", _ping_if_idle)
        return
    with db.engine.connect() as connection:
        backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        record = connection.connection._connection_record  # type: ignore[attr-defined]
    # A restart or a firewall ends that session while it idles in the pool.
    outsider = create_engine(db.engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    with outsider.connect() as other:
        assert other.exec_driver_sql(f"SELECT pg_terminate_backend({int(backend)})").scalar_one()
    outsider.dispose()
    record.info["checked_in_at"] -= 60  # ...and it has been idle for a minute
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Workspace)) == 0
    with db.read_core() as connection:
        assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != backend
