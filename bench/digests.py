"""Weekly digests at scale: build every digest of a large workspace for one week, and export it.

    .venv/bin/python -m bench.digests [--members 10000] [--database-url URL] [--charts all|sample|none]

Generates a workspace (default: 10,000 members in 500 teams, one year of history: about 500,000
ledger entries, 50,000 commitments, 10,000 trades, 100,000 negotiations) in a fresh SQLite file, or in
a fresh schema of the PostgreSQL database given with ``--database-url``, then measures, each in its
own process so peak memory is that phase's alone:

  (a) floor    the digests' aggregates (per member and week: negotiations by outcome, limits
               breached, money conceded / received / given away / left behind per currency,
               commitments kept and lapsed) computed by ONE hand-written SQL query
  (b) data     the same, as Parley loads it for the digests: ``storage.queries.digests`` (a constant
               number of aggregate queries: ten)
  (c) digests  (b) plus building every learner, manager and organisation digest and rendering each
               into its Slack message (``bot.digests.build.build_workspace_digests``)
  (d) charts   the 12-week PNG chart of every manager digest and of the organisation roll-up
               (matplotlib, Agg), as the clock process renders them before upload
  (e) export   ``parley export --format csv`` of the whole workspace, streamed to a file; run twice
               (the last quarter only, then everything) to show memory does not grow with rows

It prints times, time per 1,000 digests, the ratio (b)/(a) (target <= 3), and peak memory (ru_maxrss
of the phase's process; target < 500 MB). Nothing here is asserted in the test suite.
"""

# ruff: noqa: E501  (report lines and SQL read better whole)
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, text

from bench.databases import fresh_database
from storage import migrate
from storage.db import Database, make_engine
from storage.models import (
    Commitment,
    Debrief,
    LedgerEntry,
    Member,
    Negotiation,
    TradeProposal,
    Workspace,
)

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday, after 09:00 everywhere west of UTC+0:30
TEAM_ID = "TBENCH0001"
ZONES = (
    "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "America/Los_Angeles",
    "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
    "Pacific/Tongatapu", "UTC",
)  # fmt: skip
STYLES = ("closer", "diplomat", "strategist", "game_changer", None)
KINDS = ("management", "consultant", "learner", "customer", "supplier", "other")
ITEMS = (
    "Extra training day", "Free coaching session", "Discount 5%", "Discount 10%", "Tailored job aids",
    "Earlier start date", "Extended payment terms", "Free parking", "Case study rights", "Reference call",
    "Longer warranty", "Onsite support", "Rush delivery", "Waived setup fee", "Extra seats",
    "Price freeze", "Volume rebate", "Exclusive slot", "Trainer of choice", "Recorded sessions",
)  # fmt: skip
RETURNS = ("24-month term", "Case study", "Sponsor opens the course", "Referral", "Faster sign-off")
CHUNK = 20_000


@dataclass(frozen=True)
class Size:
    members: int
    teams: int
    weeks: int = 52

    @property
    def negotiations(self) -> int:
        return self.members * 10

    @property
    def ledger_per_negotiation(self) -> int:
        return 5

    @property
    def commitments(self) -> int:
        return self.members * 5

    @property
    def trades(self) -> int:
        return self.members


# ------------------------------------------------------------------------------------------ generate


def _rows_members(size: Size, workspace_id: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for n in range(size.members):
        manager = None if n < size.teams else (n % size.teams) + 1
        yield {
            "id": n + 1,
            "workspace_id": workspace_id,
            "slack_user_id": f"U{n:08d}",
            "display_name": f"Member {n}",
            "tz": ZONES[n % len(ZONES)],
            "is_slack_admin": n == 0,
            "role": "manager" if n < size.teams else "learner",
            "manager_id": manager,
            "style": STYLES[rng.randrange(len(STYLES))],
            "settings": {},
            "created_at": NOW - timedelta(days=400),
        }


def _when(rng: random.Random, size: Size) -> datetime:
    return NOW - timedelta(seconds=rng.randrange(size.weeks * 7 * 86400))


def generate(engine: Engine, size: Size, *, seed: int = 7) -> dict[str, int]:
    """Fill an empty, migrated database with one workspace of ``size``; returns row counts."""
    rng = random.Random(seed)
    with engine.begin() as connection:
        settings = {"executive_owner": "U00000000"}
        workspace_id = connection.execute(
            insert(Workspace).values(team_id=TEAM_ID, name="Bench", settings=settings).returning(Workspace.id)
        ).scalar_one()
    counts: dict[str, int] = {}
    counts["members"] = _load(engine, Member, _rows_members(size, workspace_id, rng))

    negotiations: list[dict[str, Any]] = []
    debriefs: list[dict[str, Any]] = []
    ledger: list[dict[str, Any]] = []
    ledger_id = 0
    for n in range(size.negotiations):
        nid = n + 1
        owner = rng.randrange(size.members) + 1
        planned = rng.random() < 0.05
        kind = KINDS[rng.randrange(len(KINDS))]
        currency = "EUR" if rng.random() < 0.1 else "USD"
        if planned:
            negotiations.append(
                {
                    "id": nid,
                    "workspace_id": workspace_id,
                    "owner_id": owner,
                    "title": f"Negotiation {nid}",
                    "counterpart_kind": kind,
                    "counterpart_name": "Acme",
                    "date": (NOW + timedelta(days=rng.randrange(1, 40))).date(),
                    "status": "planned",
                    "currency": currency,
                    "created_at": NOW - timedelta(days=3),
                }
            )
            continue
        at = _when(rng, size)
        outcome = rng.choices(("agreed", "no_deal", "paused"), (70, 20, 10))[0]
        negotiations.append(
            {
                "id": nid,
                "workspace_id": workspace_id,
                "owner_id": owner,
                "title": f"Negotiation {nid}",
                "counterpart_kind": kind,
                "counterpart_name": "Acme",
                "date": at.date(),
                "status": outcome,
                "currency": currency,
                "created_at": at - timedelta(days=7),
            }
        )
        breached = [{"item": ITEMS[0], "limit": "No extra days"}] * rng.choices((0, 1, 2), (85, 12, 3))[0]
        debriefs.append(
            {
                "id": nid,
                "workspace_id": workspace_id,
                "negotiation_id": nid,
                "member_id": owner,
                "outcome": outcome,
                "reflection": "",
                "analysis": {
                    "version": 1,
                    "outcome": outcome,
                    "summary": "Agreed. Conceded 3,300 USD, received 5,000 USD (1.5×).",
                    "limits_breached": breached,
                    "had_prep": True,
                    "moment": "balanced",
                },
                "submitted_at": at,
            }
        )
        for position in range(size.ledger_per_negotiation):
            ledger_id += 1
            kind_of = rng.choices(("conceded", "offered", "held", "received"), (45, 25, 22, 8))[0]
            value = None if rng.random() < 0.05 else rng.randrange(100, 500_000)
            row: dict[str, Any] = {
                "id": ledger_id,
                "workspace_id": workspace_id,
                "negotiation_id": nid,
                "debrief_id": nid,
                "trade_id": None,
                "kind": kind_of,
                "item": ITEMS[rng.randrange(len(ITEMS))],
                "value_minor": value,
                "currency": currency,
                "received_item": None,
                "received_value_minor": None,
                "position": position,
                "recorded_at": at,
            }
            if kind_of == "conceded" and rng.random() < 0.65:
                row["received_item"] = RETURNS[rng.randrange(len(RETURNS))]
                if rng.random() < 0.8:
                    row["received_value_minor"] = rng.randrange(100, 700_000)
            ledger.append(row)
    counts["negotiations"] = _load(engine, Negotiation, negotiations)
    counts["debriefs"] = _load(engine, Debrief, debriefs)
    counts["ledger_entries"] = _load(engine, LedgerEntry, ledger)
    del negotiations, debriefs, ledger

    commitments = []
    for n in range(size.commitments):
        owner = rng.randrange(size.members) + 1
        status = rng.choices(("done", "lapsed", "cancelled", "open"), (60, 10, 5, 25))[0]
        if status == "open":
            due = (NOW + timedelta(days=rng.randrange(-10, 60))).date()
        else:
            due = _when(rng, size).date()
        closed_at = None
        if status != "open":
            closed_at = datetime.combine(due, clock_time(12), tzinfo=UTC) + timedelta(
                days=rng.randrange(-3, 2) if status != "lapsed" else 1
            )
            closed_at = min(closed_at, NOW - timedelta(hours=1))
        commitments.append(
            {
                "id": n + 1,
                "workspace_id": workspace_id,
                "negotiation_id": None,
                "owner_id": owner,
                "owner_label": "",
                "owed_to_id": None,
                "text": f"Send the agenda for round {n}",
                "due": due,
                "status": status,
                "source": "manual",
                "currency": "USD",
                "nudges_sent": rng.randrange(0, 3) if status == "open" and due < NOW.date() else 0,
                "closed_at": closed_at,
                "created_at": NOW - timedelta(days=30),
            }
        )
    counts["commitments"] = _load(engine, Commitment, commitments)
    del commitments

    trades = []
    for n in range(size.trades):
        requester = rng.randrange(size.teams, size.members) + 1 if size.members > size.teams else 1
        pending = rng.random() < 0.03
        started = NOW - timedelta(hours=rng.randrange(1, 120)) if pending else _when(rng, size)
        trades.append(
            {
                "id": n + 1,
                "workspace_id": workspace_id,
                "negotiation_id": None,
                "requester_id": requester,
                "approver_id": ((requester - 1) % size.teams) + 1,
                "get_item": RETURNS[rng.randrange(len(RETURNS))],
                "get_value_minor": rng.randrange(100, 500_000),
                "give_item": ITEMS[rng.randrange(len(ITEMS))],
                "give_cost_minor": rng.randrange(100, 500_000),
                "currency": "USD",
                "reason": "",
                "status": "pending" if pending else rng.choice(("approved", "rejected", "expired")),
                "rounds": 0,
                "reminders": 0,
                "turn_started_at": started,
                "checks": [],
                "created_at": started,
            }
        )
    counts["trades"] = _load(engine, TradeProposal, trades)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in (
                "members",
                "negotiations",
                "debriefs",
                "ledger_entries",
                "commitments",
                "trade_proposals",
            ):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                )
            connection.execute(text("ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return counts


def _load(engine: Engine, model: Any, rows: Iterator[dict[str, Any]] | Sequence[dict[str, Any]]) -> int:
    """Insert rows in chunks (PostgreSQL: COPY, ten times faster than INSERTs)."""
    table = model.__table__
    count = 0
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        if not chunk:
            return
        if engine.dialect.name == "postgresql":
            _copy(engine, table, chunk)
        else:
            with engine.begin() as connection:
                connection.execute(insert(table), chunk)
        chunk.clear()

    for row in rows:
        chunk.append(row)
        count += 1
        if len(chunk) >= CHUNK:
            flush()
    flush()
    return count


def _copy(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(
                    [json.dumps(v) if isinstance(v, dict | list) else v for v in (row[c] for c in columns)]
                )
        raw.commit()
    finally:
        raw.close()


# ------------------------------------------------------------------------------------------ phases


def _rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _best(run: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The best of ``repeat`` timings (the floor and our queries are timed alike) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def _setup(url: str) -> tuple[Database, Any, Any, list[Any], Any]:
    from bot.digests.build import due_recipients, member_infos
    from bot.digests.schedule import slot_for
    from coaching.playbook import load_default

    db = Database.from_url(url)
    playbook = load_default()
    with db.session() as session:
        workspace = session.scalars(text_select_workspace()).one()
        session.expunge(workspace)
        slot = slot_for(playbook.policy, workspace.settings)
        recipients = due_recipients(workspace, member_infos(session, workspace.id), now=AT, slot=slot)
    return db, playbook, workspace, recipients, slot


def text_select_workspace() -> Any:
    from sqlalchemy import select

    return select(Workspace).where(Workspace.team_id == TEAM_ID)


AT = NOW + timedelta(days=1)
"""The instant the digests are built as of: Tuesday 09:30 UTC, after every zone's Monday 09:00."""


def _floor_sql(dialect: str, windows: Sequence[Any]) -> str:
    """ONE hand-written query: per member and week (each member's own, 12 of them), the ledger money
    per currency, the debriefs per outcome with the limits breached, and the commitments kept/lapsed."""

    def moment(value: datetime) -> str:
        if dialect == "postgresql":
            return f"TIMESTAMPTZ '{value.isoformat()}'"
        return "'" + value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") + "'"

    def week(column: str) -> str:
        zones: dict[str, list[Any]] = {}
        for w in windows:
            zones.setdefault(w.tz, []).append(w)
        parts = []
        for zone, weeks in sorted(zones.items()):
            weeks.sort(key=lambda w: w.index)
            inner = " ".join(f"WHEN {column} < {moment(w.ends)} THEN {w.index}" for w in weeks)
            parts.append(
                f"WHEN '{zone}' THEN CASE WHEN {column} < {moment(weeks[0].starts)} THEN NULL {inner} END"
            )
        return "CASE m.tz " + " ".join(parts) + " END"

    lo, hi = moment(min(w.starts for w in windows)), moment(max(w.ends for w in windows))
    limits = (
        "jsonb_array_length(d.analysis -> 'limits_breached')"
        if dialect == "postgresql"
        else "json_array_length(d.analysis, '$.limits_breached')"
    )
    return f"""
SELECT 'ledger' AS part, n.owner_id AS member_id, {week("l.recorded_at")} AS week, l.currency AS currency,
       NULL AS status,
       SUM(CASE WHEN l.kind = 'conceded' THEN l.value_minor END) AS conceded,
       SUM(CASE WHEN l.kind = 'conceded' AND l.received_item IS NOT NULL THEN l.received_value_minor
                WHEN l.kind = 'received' THEN l.value_minor END) AS received,
       SUM(CASE WHEN l.kind = 'conceded' AND l.received_item IS NULL THEN 1 ELSE 0 END) AS count,
       SUM(CASE WHEN l.kind = 'conceded' AND l.received_item IS NULL THEN l.value_minor END) AS giveaway_total,
       SUM(CASE WHEN l.kind <> 'conceded' OR l.value_minor IS NULL THEN NULL
                WHEN l.received_item IS NULL THEN l.value_minor
                WHEN l.received_value_minor IS NULL THEN NULL
                WHEN l.value_minor > l.received_value_minor THEN l.value_minor - l.received_value_minor
                ELSE 0 END) AS left_behind
FROM ledger_entries l JOIN negotiations n ON n.id = l.negotiation_id JOIN members m ON m.id = n.owner_id
WHERE l.workspace_id = :ws AND l.recorded_at >= {lo} AND l.recorded_at < {hi}
  AND l.kind IN ('conceded', 'received')
GROUP BY n.owner_id, 3, l.currency
UNION ALL
SELECT 'debriefs', n.owner_id, {week("d.submitted_at")}, NULL, d.outcome, NULL, NULL, COUNT(*),
       SUM({limits}), NULL
FROM debriefs d JOIN negotiations n ON n.id = d.negotiation_id JOIN members m ON m.id = n.owner_id
WHERE d.workspace_id = :ws AND d.submitted_at >= {lo} AND d.submitted_at < {hi}
GROUP BY n.owner_id, 3, d.outcome
UNION ALL
SELECT 'commitments', c.owner_id, {week("c.closed_at")}, NULL, c.status, NULL, NULL, COUNT(*), NULL, NULL
FROM commitments c JOIN members m ON m.id = c.owner_id
WHERE c.workspace_id = :ws AND c.status IN ('done', 'lapsed') AND c.closed_at >= {lo} AND c.closed_at < {hi}
GROUP BY c.owner_id, 3, c.status
"""


def phase_queries(url: str) -> dict[str, Any]:
    """(a) the floor and (b) our aggregate queries, best of three each."""
    from sqlalchemy import select

    from bot.digests.build import UPCOMING_HORIZON
    from bot.digests.schedule import CHART_WEEKS, HISTORY_WEEKS, week_windows
    from storage.queries.digests import load_digest_data

    db, _playbook, workspace, recipients, slot = _setup(url)
    with db.session() as session:
        zones = sorted(set(session.scalars(select(Member.tz).distinct())))
    windows = week_windows(zones, now=AT, weeks=CHART_WEEKS, slot_day=slot.day, include_current=False)
    sql = text(_floor_sql(db.dialect, windows))

    def floor() -> int:
        with db.session() as session:
            return len(session.execute(sql, {"ws": workspace.id}).all())

    weeks = max((HISTORY_WEEKS + 1) * max(r.every_weeks for r in recipients), CHART_WEEKS)

    def ours() -> int:
        with db.session() as session:
            data = load_digest_data(
                session,
                workspace,
                windows
                if weeks == CHART_WEEKS
                else week_windows(zones, now=AT, weeks=weeks, slot_day=slot.day, include_current=False),
                member_weeks=(HISTORY_WEEKS + 1) * max(r.every_weeks for r in recipients),
                chart=True,
                today=AT.date() - timedelta(days=1),
                horizon=AT.date() + UPCOMING_HORIZON,
            )
            return sum(
                len(getattr(data, name))
                for name in ("ledger", "outcomes", "team_ledger", "giveaways", "closed_commitments",
                             "open_commitments", "pending_trades", "next_negotiations")
            )  # fmt: skip

    floor_seconds, floor_rows = _best(floor, 5)
    ours_seconds, ours_rows = _best(ours, 5)
    return {
        "floor_seconds": floor_seconds,
        "floor_rows": floor_rows,
        "ours_seconds": ours_seconds,
        "ours_rows": ours_rows,
        "peak_mb": _rss_mb(),
    }


def phase_digests(url: str) -> dict[str, Any]:
    """(c) every digest built and rendered into its message (no chart uploads: no Slack here)."""
    from bot.digests.build import ChartFile, build_workspace_digests, render_digest

    db, playbook, workspace, recipients, _slot = _setup(url)
    baseline = _rss_mb()
    started = time.perf_counter()
    with db.session() as session:
        workspace = session.merge(workspace)
        prepared = build_workspace_digests(
            session, workspace, now=AT, playbook=playbook, recipients=recipients
        )
    built = time.perf_counter() - started
    chart = ChartFile("F0BENCHCHART", "chart")
    sizes = 0
    for digest in prepared:
        message = render_digest(digest, chart if digest.chart is not None else None)
        sizes += len(json.dumps(message.blocks))
    total = time.perf_counter() - started
    kinds: dict[str, int] = {}
    for digest in prepared:
        kinds[digest.recipient.kind.value] = kinds.get(digest.recipient.kind.value, 0) + 1
    return {
        "digests": len(prepared),
        "kinds": kinds,
        "build_seconds": built,
        "total_seconds": total,
        "average_bytes": sizes / max(1, len(prepared)),
        "baseline_mb": baseline,
        "peak_mb": _rss_mb(),
    }


def phase_charts(url: str, mode: str) -> dict[str, Any]:
    """(d) the PNG of every manager's and the organisation's chart."""
    from bot.digests.build import build_workspace_digests
    from bot.digests.chart import render_chart

    db, playbook, workspace, recipients, _slot = _setup(url)
    with db.session() as session:
        workspace = session.merge(workspace)
        charted = [r for r in recipients if r.kind.value != "learner"]
        if mode == "sample":
            charted = charted[:50]
        prepared = build_workspace_digests(session, workspace, now=AT, playbook=playbook, recipients=charted)
    render_chart(prepared[0].chart)  # matplotlib's first figure pays for its font cache
    started = time.perf_counter()
    size = 0
    for digest in prepared:
        size += len(render_chart(digest.chart))
    seconds = time.perf_counter() - started
    return {
        "charts": len(prepared),
        "seconds": seconds,
        "average_bytes": size / len(prepared),
        "peak_mb": _rss_mb(),
    }


def phase_export(url: str, directory: str, since: str | None) -> dict[str, Any]:
    """(e) the CSV export, streamed to files."""
    from bot.digests.export import Format, export_workspace

    db = Database.from_url(url)
    baseline = _rss_mb()
    started = time.perf_counter()
    report = export_workspace(
        db,
        TEAM_ID,
        Path(directory),
        Format.CSV,
        since=datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None,
    )
    return {
        "rows": sum(report.rows.values()),
        "seconds": time.perf_counter() - started,
        "bytes": sum(p.stat().st_size for p in Path(directory).iterdir()),
        "baseline_mb": baseline,
        "peak_mb": _rss_mb(),
    }


def _child(queue: Any, name: str, args: tuple[Any, ...]) -> None:
    try:
        queue.put(("ok", globals()[name](*args)))
    except BaseException as error:  # reported by the parent
        queue.put(("error", f"{type(error).__name__}: {error}"))


def in_process(name: str, *args: Any) -> dict[str, Any]:
    """Run phase ``name`` in a fresh process, so its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, name, args))
    process.start()
    status, result = queue.get()
    process.join()
    if status != "ok":
        raise SystemExit(f"bench: {name} failed: {result}")
    return result  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------------ the run


def _generate(url: str, members: int, teams: int, weeks: int) -> dict[str, int]:
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":  # generating is not what is measured: skip the fsyncs

        def unsynced(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA synchronous=OFF")

        event.listen(engine, "connect", unsynced)
    try:
        migrate.upgrade(engine)
        return generate(engine, Size(members, teams, weeks))
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.digests", description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=None, help="default: members / 20")
    parser.add_argument("--weeks", type=int, default=52, help="weeks of history (default a year)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--charts", choices=("all", "sample", "none"), default="all")
    parser.add_argument("--workdir", default=None, help="keep the database and exports here")
    args = parser.parse_args(argv)
    teams = args.teams or max(1, args.members // 20)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="parley-bench-") as scratch:
        workdir = Path(args.workdir or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        url, cleanup = fresh_database(args.database_url, workdir)
        try:
            _run(url, args, teams, workdir)
        finally:
            cleanup()


def _run(url: str, args: argparse.Namespace, teams: int, workdir: Path) -> None:
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"bench.digests on {kind}: {args.members:,} members in {teams:,} teams, {args.weeks} weeks of history"
    )
    started = time.perf_counter()
    counts = in_process("_generate", url, args.members, teams, args.weeks)
    print(
        f"  generated in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())
    )
    queries = in_process("phase_queries", url)
    ratio = queries["ours_seconds"] / queries["floor_seconds"]
    print(f"  (a) floor, one hand-written SQL query: {queries['floor_seconds'] * 1000:8.0f} ms "
          f"({queries['floor_rows']:,} aggregate rows)")  # fmt: skip
    print(f"  (b) Parley's digest queries (10):      {queries['ours_seconds'] * 1000:8.0f} ms "
          f"({queries['ours_rows']:,} rows)   ratio (b)/(a) = {ratio:.2f}  (target <= 3)")  # fmt: skip
    digests = in_process("phase_digests", url)
    per_thousand = digests["total_seconds"] / digests["digests"] * 1000
    kinds = ", ".join(f"{n:,} {k}" for k, n in sorted(digests["kinds"].items()))
    print(f"  (c) every digest built and rendered:  {digests['total_seconds']:8.1f} s  for {digests['digests']:,} "
          f"digests ({kinds})")  # fmt: skip
    print(f"        {per_thousand:.2f} s per 1,000 digests; data + content {digests['build_seconds']:.1f} s, "
          f"rendering {digests['total_seconds'] - digests['build_seconds']:.1f} s; "
          f"average message {digests['average_bytes'] / 1024:.1f} kB")  # fmt: skip
    print(f"        end to end against the floor: {digests['total_seconds'] / queries['floor_seconds']:.0f}x; "
          f"peak memory {digests['peak_mb']:.0f} MB (process baseline {digests['baseline_mb']:.0f} MB; "
          "target < 500 MB)")  # fmt: skip
    if args.charts != "none":
        charts = in_process("phase_charts", url, args.charts)
        print(f"  (d) charts (PNG, matplotlib Agg):     {charts['seconds']:8.1f} s  for {charts['charts']:,} charts, "
              f"{charts['seconds'] / charts['charts'] * 1000:.0f} ms each, {charts['average_bytes'] / 1024:.0f} kB "
              f"each; peak memory {charts['peak_mb']:.0f} MB")  # fmt: skip
    quarter = (NOW - timedelta(days=91)).date().isoformat()
    part = in_process("phase_export", url, str(workdir / "export-quarter"), quarter)
    full = in_process("phase_export", url, str(workdir / "export-all"), None)
    for label, run in ((f"since {quarter}", part), ("everything", full)):
        print(f"  (e) export CSV, {label:<17} {run['seconds']:8.1f} s  for {run['rows']:,} rows "
              f"({run['bytes'] / 1e6:.0f} MB), {run['rows'] / run['seconds']:,.0f} rows/s; peak memory "
              f"{run['peak_mb']:.0f} MB (baseline {run['baseline_mb']:.0f} MB)")  # fmt: skip
    growth = full["peak_mb"] - part["peak_mb"]
    print(f"        {full['rows'] / max(1, part['rows']):.1f}x the rows, peak memory {growth:+.0f} MB")


if __name__ == "__main__":
    main()
