"""One member's archive at scale: a member with 100,000 concession ledger lines, exported and uploaded.

    .venv/bin/python -m bench.member_export [--rows 100000] [--database-url URL]

Generates one member with ``--rows`` ledger lines (over 1,000 negotiations, each with a prep and a
debrief) in a fresh SQLite file, or a fresh schema of the PostgreSQL database given, then measures,
each phase in its own (spawned) process so its peak memory is that phase's alone:

  (a) floor   the same process doing everything but the export: imports, database open, a count of
              the member's ledger lines
  (b) export  the archive as the clock process builds it (``bot.flows.member_archive.write_archive``:
              every table as JSON Lines and CSV in one zip, rows streamed in batches) and uploaded to
              the strict fake Slack with Slack's upload flow, streamed from disk
              (``bot.flows.member_data_notifier.send_archive``)
  (c) export of a tenth of the rows, to show memory does not grow with rows

It prints times, the archive's size, peak resident memory (VmHWM) of each phase, and the peak of what the
export itself allocated (tracemalloc; it slows the export down); the target for (b) is under 100 MB. Nothing here is asserted in the test suite.
"""

# ruff: noqa: E501  (report lines read better whole)
from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.databases import fresh_database
from storage import migrate
from storage.db import Database, make_engine
from storage.models import Debrief, LedgerEntry, Member, Negotiation, PrepPlan, Workspace

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TEAM_ID = "T0EXAMPLE"  # the fake Slack's default team
USER_ID = "U0BENCH"
PER_NEGOTIATION = 100


def seed(url: str, rows: int) -> int:
    """The member, their negotiations, preps, debriefs and ``rows`` ledger lines; returns the member id."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    db = Database.from_url(url)
    with db.session() as session:
        workspace = Workspace(team_id=TEAM_ID, settings={})
        session.add(workspace)
        session.flush()
        member = Member(
            workspace_id=workspace.id, slack_user_id=USER_ID, display_name="Bench Member", settings={}
        )
        session.add(member)
        session.flush()
        ws, member_id = workspace.id, member.id
    negotiations = max(1, rows // PER_NEGOTIATION)
    with db.session() as session:
        session.execute(
            insert(Negotiation),
            [
                {"workspace_id": ws, "owner_id": member_id, "title": f"Renewal {i}", "counterpart_kind": "customer",
                 "counterpart_name": f"Customer {i % 50}", "date": date(2026, 1, 1) + timedelta(days=i % 300),
                 "status": "agreed", "currency": "USD"}
                for i in range(negotiations)
            ],
        )  # fmt: skip
        ids = list(
            session.scalars(
                select(Negotiation.id).where(Negotiation.workspace_id == ws).order_by(Negotiation.id)
            )
        )
        session.execute(
            insert(PrepPlan),
            [{"workspace_id": ws, "negotiation_id": n, "objectives": "Hold the price; trade term for volume " * 3,
              "limits": "No discount over 10%", "walk_away": "Below 35k", "tradeables": "Training days\nCase study",
              "wants": "Two-year term", "asks": "Free seats"} for n in ids],
        )  # fmt: skip
        session.execute(
            insert(Debrief),
            [{"workspace_id": ws, "negotiation_id": n, "member_id": member_id, "outcome": "agreed",
              "reflection": "Conceded the discount before asking for the term. " * 2,
              "analysis": {"limits_breached": [], "giveaways": 1}, "submitted_at": NOW} for n in ids],
        )  # fmt: skip
    batch = 10_000
    for start in range(0, rows, batch):
        with db.session() as session:
            session.execute(
                insert(LedgerEntry),
                [{"workspace_id": ws, "negotiation_id": ids[(start + i) % len(ids)], "kind": "conceded",
                  "item": f"Discount tier {(start + i) % 17} on the annual licence", "value_minor": 1000 + (start + i) % 5000,
                  "currency": "USD", "received_item": "Longer term", "received_value_minor": 2500,
                  "position": i, "recorded_at": NOW} for i in range(min(batch, rows - start))],
            )  # fmt: skip
    db.dispose()
    return member_id


def _floor(url: str, member_id: int, out: Any) -> None:
    import bot.flows.member_archive
    import bot.flows.member_data_notifier  # noqa: F401

    started = time.perf_counter()
    db = Database.from_url(url)
    with db.session() as session:
        count = session.scalar(select(func.count()).select_from(LedgerEntry))
    db.dispose()
    out.put({"seconds": time.perf_counter() - started, "rows": count, "rss_mb": _rss_mb()})


def _export(url: str, member_id: int, api_url: str, token: str, trace: bool, out: Any) -> None:
    import tracemalloc

    from slack_sdk import WebClient

    from bot.flows.member_archive import write_archive
    from bot.flows.member_data_notifier import send_archive

    if trace:  # Python allocations of the export itself (slows it down: a run of its own)
        tracemalloc.start()
    started = time.perf_counter()
    db = Database.from_url(url)
    with db.session() as session:
        workspace_id = session.scalar(select(Workspace.id).where(Workspace.team_id == TEAM_ID))
    assert workspace_id is not None
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "archive.zip"
        archive = write_archive(db, workspace_id, member_id, path)
        built = time.perf_counter() - started
        size = path.stat().st_size
        client = WebClient(token=token, base_url=api_url)
        send_archive(client, USER_ID, path, filename="archive.zip", comment="bench")
    db.dispose()
    heap_peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else 0.0
    out.put({"heap_mb": heap_peak, "seconds": time.perf_counter() - started, "build_seconds": built, "rows": archive.rows["ledger_entries"],
             "size_mb": size / 1e6, "rss_mb": _rss_mb()})  # fmt: skip


def _rss_mb() -> float:
    """This process's peak resident memory: ``VmHWM`` (ru_maxrss would carry over the peak of the
    parent that forked it, since Linux keeps it across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _phase(target: Any, *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")  # a clean process: the parent's pages are not counted
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result: dict[str, Any] = queue.get(timeout=3600)
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack

    with tempfile.TemporaryDirectory() as workdir:
        for rows in (args.rows, max(1, args.rows // 10)):
            url, drop = fresh_database(args.database_url, Path(workdir) / str(rows))
            (Path(workdir) / str(rows)).mkdir(exist_ok=True)
            try:
                started = time.perf_counter()
                member_id = seed(url, rows)
                print(
                    f"seeded {rows:,} ledger lines in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})"
                )
                with FakeSlack() as slack:
                    slack.add_user(USER_ID, real_name="Bench Member")
                    floor = _phase(_floor, url, member_id)
                    export = _phase(_export, url, member_id, slack.api_url, DEFAULT_BOT_TOKEN, False)
                    traced = _phase(_export, url, member_id, slack.api_url, DEFAULT_BOT_TOKEN, True)
                    uploaded = [f for f in slack.files() if f["channels"]]
                print(f"  (a) floor   {floor['seconds']:6.2f} s  peak {floor['rss_mb']:6.1f} MB")
                print(f"  (b) export  {export['seconds']:6.2f} s  (archive built in {export['build_seconds']:.2f} s, "
                      f"{export['rows']:,} ledger lines, {export['size_mb']:.1f} MB zip, uploaded: {len(uploaded)} files)  "
                      f"peak {export['rss_mb']:6.1f} MB  (+{export['rss_mb'] - floor['rss_mb']:.1f} MB over the floor; "
                      f"Python heap peak of the export, traced in a run of its own: {traced['heap_mb']:.1f} MB)")  # fmt: skip
            finally:
                drop()


if __name__ == "__main__":
    main()
