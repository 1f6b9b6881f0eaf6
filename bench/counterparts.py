"""Counterpart memory at scale: prep-time recall and the playbook review against hand-written SQL.

    .venv/bin/python -m bench.counterparts [--scale 1.0] [--samples 200] [--database-url URL]

Generates one workspace (at ``--scale 1``: 200,000 negotiations over 20,000 counterparts, 2,000,000
ledger rows, 500 members in 50 teams, 20,000 commitments; counterparts' sizes are skewed, so a few
have thousands of negotiations) in a fresh SQLite file, or in a fresh schema of the PostgreSQL
database given with ``--database-url``; ``--scale 0.01`` is the small run CI can afford. Then, on
``--samples`` counterparts drawn by negotiation count (busy ones are prepared for more often):

  (a) floor    the recall's data by hand-written SQL: per-owner totals, the 20 recent deals, open
               commitments, the team tree and the trade evidence for the prep's items (5 statements)
  (b) recall   ``bot.flows.counterparts.recall``: the same data through Parley's queries, plus the
               privacy rules and the ranking (pure code) — what a prep submission adds
  (c) prep     ``bot.flows.prep.submit_prep`` end to end (validation, plan, writes, recall) with the
               memory on, against the same with resolve/recall replaced by no-ops: the p50 it adds
  (d) review   the monthly playbook review's aggregation (``bot.flows.playbook_review.review_of``)
               against its hand-written SQL floor, for the busiest month

It prints p50/p90 of each, the ratios (b)/(a) (target <= 2) and (d)/floor (target <= 3), the p50 that
(c) adds (target < 50 ms), the statements per recall for the smallest and the largest history (must
be equal), and peak memory (Python's tracemalloc peak per phase, and the process's ru_maxrss).
Nothing here is asserted in the test suite; ``tests/app/test_counterparts.py`` asserts the constant
statement count.
"""

# ruff: noqa: E501  (report lines and SQL read better whole)
from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, text

from bench.databases import fresh_database
from coaching.counterpart_names import item_key, name_key
from storage import migrate
from storage.db import Database, make_engine
from storage.models import (
    Commitment,
    Counterpart,
    Debrief,
    LedgerEntry,
    Member,
    Negotiation,
    Workspace,
)
from storage.queries.counterparts import REBUILD_TALLIES

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TEAM_ID = "TBENCHCP01"
KINDS = ("management", "consultant", "learner", "customer", "supplier", "other")
ITEMS = (
    "Extra training day", "Free coaching session", "Discount 5%", "Discount 10%", "Tailored job aids",
    "Earlier start date", "Extended payment terms", "Free parking", "Case study rights", "Reference call",
    "Longer warranty", "Onsite support", "Rush delivery", "Waived setup fee", "Extra seats",
    "Price freeze", "Volume rebate", "Exclusive slot", "Trainer of choice", "Recorded sessions",
    *(f"Bundle option {n}" for n in range(180)),
)  # fmt: skip
RETURNS = ("24-month term", "Case study", "Sponsor opens the course", "Referral", "Faster sign-off")
CHUNK = 20_000


# ------------------------------------------------------------------------------------------ data


def generate(engine: Engine, scale: float, seed: int = 7) -> dict[str, Any]:
    """The workspace, as bulk inserts; returns the ids the phases need."""
    rng = random.Random(seed)
    n_neg, n_cp, n_ledger = int(200_000 * scale), max(20, int(20_000 * scale)), int(2_000_000 * scale)
    n_members, n_teams = max(10, int(500 * min(1.0, scale * 10))), max(2, int(50 * min(1.0, scale * 10)))
    with engine.begin() as c:
        ws = c.execute(
            insert(Workspace).values(team_id=TEAM_ID, name="Bench", settings={}).returning(Workspace.id)
        ).scalar_one()
        managers = [
            c.execute(
                insert(Member)
                .values(
                    workspace_id=ws, slack_user_id=f"UM{t:05d}", display_name=f"Manager {t}", role="manager"
                )
                .returning(Member.id)
            ).scalar_one()
            for t in range(n_teams)
        ]
        members = list(managers)
        rows = [
            {
                "workspace_id": ws,
                "slack_user_id": f"UL{m:06d}",
                "display_name": f"Learner {m}",
                "manager_id": managers[m % n_teams],
            }
            for m in range(n_members - n_teams)
        ]
        members += list(c.execute(insert(Member).returning(Member.id), rows).scalars())
        cps = [
            {
                "workspace_id": ws,
                "name": f"Counterpart {i} Ltd",
                "key": name_key(f"Counterpart {i} Ltd"),
                "kind": KINDS[i % len(KINDS)],
                "created_at": NOW,
            }
            for i in range(n_cp)
        ]
        cp_ids = list(c.execute(insert(Counterpart).returning(Counterpart.id), cps).scalars())
    weights = [rng.paretovariate(1.2) for _ in cp_ids]  # a few very busy counterparts
    chosen = rng.choices(range(len(cp_ids)), weights=weights, k=n_neg)
    negotiations: list[tuple[int, int, int, str, str]] = []  # id, counterpart, owner, kind, status
    with engine.begin() as c:
        for start in range(0, n_neg, CHUNK):
            batch = []
            for i in range(start, min(n_neg, start + CHUNK)):
                cp = chosen[i]
                status = rng.choices(("agreed", "no_deal", "planned", "paused"), (6, 2, 1, 1))[0]
                batch.append({
                    "workspace_id": ws, "owner_id": rng.choice(members), "title": f"Deal {i}",
                    "counterpart_kind": KINDS[cp % len(KINDS)], "counterpart_name": f"Counterpart {cp} Ltd",
                    "counterpart_id": cp_ids[cp], "date": (NOW - timedelta(days=rng.randrange(1, 1095))).date(),
                    "status": status, "currency": "USD",
                })  # fmt: skip
            ids = list(c.execute(insert(Negotiation).returning(Negotiation.id), batch).scalars())
            negotiations += [
                (nid, b["counterpart_id"], b["owner_id"], b["counterpart_kind"], b["status"])
                for nid, b in zip(ids, batch, strict=True)
            ]
    debriefed = [n for n in negotiations if n[4] in ("agreed", "no_deal")]
    debrief_of: dict[int, int] = {}
    with engine.begin() as c:
        for start in range(0, len(debriefed), CHUNK):
            part = debriefed[start : start + CHUNK]
            batch = [
                {
                    "workspace_id": ws, "negotiation_id": n[0], "member_id": n[2], "outcome": n[4],
                    "reflection": "They moved once the term was on the table." if rng.random() < 0.3 else "",
                    "analysis": {"limits_breached": [{"item": "Discount 10%", "limit": "Discount above 8%"}]} if rng.random() < 0.1 else {"limits_breached": []},
                    "submitted_at": NOW - timedelta(days=rng.randrange(0, 1095)),
                }
                for n in part
            ]  # fmt: skip
            ids = list(c.execute(insert(Debrief).returning(Debrief.id), batch).scalars())
            debrief_of.update({n[0]: d for n, d in zip(part, ids, strict=True)})
    keys = {item: item_key(item) for item in ITEMS}  # computed once, not per row
    with engine.begin() as c:
        batch = []
        for i in range(n_ledger):
            n = debriefed[rng.randrange(len(debriefed))]
            item = ITEMS[min(len(ITEMS) - 1, int(rng.expovariate(0.08)))]
            kind = rng.choices(("conceded", "offered", "held", "received"), (5, 3, 1, 1))[0]
            value = rng.randrange(100, 500_000)
            conceded = kind == "conceded" and rng.random() < 0.8
            batch.append({
                "workspace_id": ws, "negotiation_id": n[0], "debrief_id": debrief_of[n[0]], "kind": kind, "item": item,
                "item_key": keys[item], "value_minor": value, "currency": "USD",
                "received_item": rng.choice(RETURNS) if conceded else None,
                "received_value_minor": int(value * rng.uniform(0.3, 4.0)) if conceded else None,
                "position": i % 7, "recorded_at": NOW - timedelta(days=rng.randrange(0, 1095)),
                "counterpart_id": n[1], "counterpart_kind": n[3],
            })  # fmt: skip
            if len(batch) >= CHUNK:
                c.execute(insert(LedgerEntry), batch)
                batch = []
        if batch:
            c.execute(insert(LedgerEntry), batch)
        commitments = [
            {
                "workspace_id": ws, "negotiation_id": n[0], "owner_id": n[2] if rng.random() < 0.5 else None,
                "owner_label": "they", "text": "Send the signed order form", "due": (NOW + timedelta(days=rng.randrange(1, 60))).date(),
                "status": "open" if rng.random() < 0.5 else "done", "source": "debrief", "currency": "USD",
            }
            for n in rng.sample(negotiations, min(len(negotiations), int(20_000 * scale) or 10))
        ]  # fmt: skip
        c.execute(insert(Commitment), commitments)
    with engine.begin() as c:  # the tallies the debriefs would have kept (the migration's backfill)
        c.execute(text(REBUILD_TALLIES))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as c:
            c.execute(text("ANALYZE"))
    counts: dict[int, int] = {}
    for n in negotiations:
        counts[n[1]] = counts.get(n[1], 0) + 1
    return {"workspace_id": ws, "members": members, "counts": counts, "negotiations": len(negotiations)}


# ------------------------------------------------------------------------------------------ floors

FLOOR_TOTALS = """
SELECT n.owner_id + 0, count(*), sum(CASE WHEN n.status='agreed' THEN 1 ELSE 0 END), sum(CASE WHEN n.status='no_deal' THEN 1 ELSE 0 END),
       sum(CASE WHEN n.status IN ('planned','paused') THEN 1 ELSE 0 END), coalesce(sum(l.given),0), coalesce(sum(l.got),0),
       coalesce(sum(l.accepted),0), coalesce(sum(l.refused),0), max(n.date)
FROM negotiations n
LEFT JOIN (SELECT negotiation_id,
                  sum(CASE WHEN kind='conceded' THEN value_minor ELSE 0 END) given,
                  sum(CASE WHEN kind='conceded' THEN coalesce(received_value_minor,0) WHEN kind='received' THEN value_minor ELSE 0 END) got,
                  sum(CASE WHEN kind='conceded' AND received_item IS NOT NULL THEN 1 ELSE 0 END) accepted,
                  sum(CASE WHEN kind='offered' AND debrief_id IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM ledger_entries c WHERE c.workspace_id=e.workspace_id AND c.negotiation_id=e.negotiation_id
                        AND c.kind='conceded' AND c.item_key=e.item_key) THEN 1 ELSE 0 END) refused
           FROM ledger_entries e WHERE workspace_id=:ws AND counterpart_id IN ({group})
           GROUP BY negotiation_id) l ON l.negotiation_id=n.id
WHERE n.workspace_id=:ws AND n.counterpart_id IN ({group})
GROUP BY n.owner_id + 0
"""
FLOOR_RECENT = """
SELECT n.id, n.owner_id, m.display_name, n.title, n.date, n.status, d.outcome, d.reflection, p.asks
FROM negotiations n JOIN members m ON m.id=n.owner_id
LEFT JOIN debriefs d ON d.negotiation_id=n.id LEFT JOIN prep_plans p ON p.negotiation_id=n.id
WHERE n.workspace_id=:ws AND n.counterpart_id IN ({group})
ORDER BY n.date DESC, n.id DESC LIMIT 20
"""
FLOOR_RECENT_SUMS = """
SELECT negotiation_id, sum(CASE WHEN kind='conceded' THEN value_minor ELSE 0 END), sum(CASE WHEN kind='conceded' THEN coalesce(received_value_minor,0) ELSE 0 END)
FROM ledger_entries WHERE workspace_id=:ws AND negotiation_id IN ({ids}) GROUP BY negotiation_id
"""
FLOOR_COMMITMENTS = """
SELECT c.negotiation_id, c.owner_id, c.text, c.due FROM commitments c JOIN negotiations n ON n.id=c.negotiation_id
WHERE c.workspace_id=:ws AND c.status='open' AND n.counterpart_id IN ({group})
ORDER BY c.due, c.id LIMIT 10
"""
FLOOR_TREE = "SELECT id, manager_id FROM members WHERE workspace_id=:ws"
FLOOR_EVIDENCE = """
SELECT item_key, CASE WHEN kind='conceded' THEN 1 ELSE 0 END ok,
       CASE WHEN value_minor > 0 AND received_value_minor IS NOT NULL THEN received_value_minor * 10 / value_minor END b, count(*)
FROM ledger_entries e
WHERE workspace_id=:ws AND counterpart_id IN ({group}) AND item_key IN ({keys}) AND debrief_id IS NOT NULL
  AND ((kind='conceded' AND received_item IS NOT NULL) OR (kind='offered' AND NOT EXISTS (
        SELECT 1 FROM ledger_entries c WHERE c.workspace_id=e.workspace_id AND c.negotiation_id=e.negotiation_id AND c.kind='conceded' AND c.item_key=e.item_key)))
GROUP BY 1, 2, 3
"""
FLOOR_TALLIES = "SELECT item_key, accepted, bucket, count FROM kind_trade_tallies WHERE workspace_id=:ws AND counterpart_kind=:kind AND item_key IN ({keys})"
PREP_ITEMS = (
    "Extra training day",
    "Free coaching session",
    "Tailored job aids",
    "Reference call",
    "Bundle option 40",
)


def floor_recall(db: Database, ws: int, cp: int, kind: str) -> int:
    """The recall's data by hand: the merge group, then plain id lists (7 statements)."""
    with db.engine.connect() as c:
        p = {"ws": ws}
        ids = [
            r[0]
            for r in c.execute(
                text("SELECT id FROM counterparts WHERE workspace_id=:ws AND (id=:cp OR merged_into_id=:cp)"),
                p | {"cp": cp},
            )
        ]
        group = ",".join(str(i) for i in ids)
        n = len(c.execute(text(FLOOR_TOTALS.format(group=group)), p).all())
        recent = c.execute(text(FLOOR_RECENT.format(group=group)), p).all()
        if recent:
            rids = ",".join(str(r[0]) for r in recent)
            n += len(c.execute(text(FLOOR_RECENT_SUMS.format(ids=rids)), p).all())
        n += len(c.execute(text(FLOOR_COMMITMENTS.format(group=group)), p).all())
        n += len(c.execute(text(FLOOR_TREE), p).all())
        keys = ",".join(f"'{item_key(i)}'" for i in PREP_ITEMS)
        n += len(c.execute(text(FLOOR_EVIDENCE.format(keys=keys, group=group)), p).all())
        n += len(c.execute(text(FLOOR_TALLIES.format(keys=keys)), p | {"kind": kind}).all())
    return n


FLOOR_REVIEW = [
    """SELECT n.counterpart_kind, count(*), sum(CASE WHEN d.outcome='agreed' THEN 1 ELSE 0 END), sum(CASE WHEN d.outcome='no_deal' THEN 1 ELSE 0 END)
       FROM negotiations n JOIN debriefs d ON d.negotiation_id=n.id WHERE d.workspace_id=:ws AND d.submitted_at >= :start AND d.submitted_at < :end GROUP BY 1""",
    """SELECT e.item_key, min(e.item), e.counterpart_kind,
              sum(CASE WHEN e.kind='conceded' AND e.received_item IS NOT NULL THEN 1 ELSE 0 END),
              sum(CASE WHEN e.kind='offered' AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.workspace_id=e.workspace_id AND c.negotiation_id=e.negotiation_id AND c.kind='conceded' AND c.item_key=e.item_key) THEN 1 ELSE 0 END),
              count(DISTINCT CASE WHEN n.status='agreed' THEN n.id END), count(DISTINCT n.id),
              sum(CASE WHEN e.kind='conceded' AND e.received_item IS NOT NULL AND e.value_minor > 0 AND coalesce(e.received_value_minor,0) < e.value_minor THEN 1 ELSE 0 END)
       FROM ledger_entries e JOIN negotiations n ON n.id=e.negotiation_id
       WHERE e.workspace_id=:ws AND e.recorded_at >= :start AND e.recorded_at < :end AND e.debrief_id IS NOT NULL AND e.kind IN ('conceded','offered')
       GROUP BY e.item_key, e.counterpart_kind""",
    """SELECT analysis FROM debriefs WHERE workspace_id=:ws AND submitted_at >= :start AND submitted_at < :end""",
]


def floor_review(db: Database, ws: int, start: datetime, end: datetime) -> int:
    n = 0
    with db.engine.connect() as c:
        for sql in FLOOR_REVIEW:
            params: dict[str, Any] = {"ws": ws, "start": start, "end": end}
            if db.engine.dialect.name == "sqlite":
                params = params | {"start": start.replace(tzinfo=None), "end": end.replace(tzinfo=None)}
            n += len(c.execute(text(sql), params).all())
    return n


# ------------------------------------------------------------------------------------------ phases


def timed(fn: Callable[[], Any], samples: int) -> tuple[list[float], int]:
    """Milliseconds per call; then tracemalloc's peak (bytes) over a few more calls, measured apart
    because tracing slows Python code (not the database) several times over and would skew ratios."""
    out: list[float] = []
    for _ in range(samples):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    tracemalloc.start()
    for _ in range(min(5, samples)):
        fn()
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, peak


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cycle(items: list[Any]) -> Iterator[Any]:
    while True:
        yield from items


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 200,000 negotiations, 2,000,000 ledger rows"
    )
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from bot.flows import prep as prep_flow
    from bot.flows.counterparts import recall
    from bot.flows.playbook_review import review_of
    from bot.members import Actor
    from bot.services import Services
    from bot.settings import Settings
    from coaching.playbook import load_default
    from coaching.prep import PrepForm, build_prep_plan, validate_prep

    with tempfile.TemporaryDirectory() as workdir:
        url, drop = fresh_database(args.database_url, Path(workdir))
        try:
            engine = make_engine(url)
            migrate.upgrade(engine)
            t0 = time.perf_counter()
            data = generate(engine, args.scale)
            print(
                f"generated in {time.perf_counter() - t0:.0f} s on {engine.dialect.name}: {data['negotiations']:,} negotiations over {len(data['counts']):,} counterparts with history"
            )
            db = Database(engine)
            ws = data["workspace_id"]
            playbook = load_default()
            rng = random.Random(11)
            counts: dict[int, int] = data["counts"]
            busy = rng.choices(list(counts), weights=list(counts.values()), k=args.samples)
            owner = data["members"][-1]
            actor = Actor(ws, owner, "UL000001", "Learner", "UTC", None, False, None)
            form = PrepForm(
                title="Renewal", counterpart_kind="customer", counterpart_name="", date="2026-12-01", objectives="Renew",
                tradeables="\n".join(f"{i} – $500 – worth $2,000" for i in PREP_ITEMS), wants="24-month term – worth $20,000",
            )  # fmt: skip
            prep = validate_prep(form, today=NOW.date(), default_currency="USD").prep
            assert prep is not None
            plan = build_prep_plan(prep, None, playbook)
            kind_of = {}
            with db.session() as s:
                for cid, kind in s.execute(
                    text("SELECT id, kind FROM counterparts WHERE workspace_id=:ws"), {"ws": ws}
                ):
                    kind_of[cid] = kind

            samples = cycle(busy)
            floor_ms, floor_peak = timed(
                lambda: (cp := next(samples), floor_recall(db, ws, cp, kind_of[cp])), args.samples
            )

            def parley_recall() -> None:
                cp = next(samples)
                with db.read() as s:
                    counterpart = s.get(Counterpart, cp)
                    workspace = s.get(Workspace, ws)
                    recall(s, actor, workspace, counterpart, kind=kind_of[cp], kind_label=kind_of[cp], trades=plan.trades,
                           playbook=playbook, currency="USD", exclude=None)  # fmt: skip

            samples = cycle(busy)
            recall_ms, recall_peak = timed(parley_recall, args.samples)

            # statements per recall: the smallest and the largest history
            statements: list[str] = []

            def count(*a: Any) -> None:
                statements.append(a[2])

            event.listen(engine, "before_cursor_execute", count)
            per: dict[str, int] = {}
            for label, cp in (
                ("smallest", min(counts, key=counts.__getitem__)),
                ("largest", max(counts, key=counts.__getitem__)),
            ):
                statements.clear()
                samples = cycle([cp])
                parley_recall()
                per[f"{label} ({counts[cp]:,} negotiations)"] = len(statements)
            event.remove(engine, "before_cursor_execute", count)

            # (c) a prep submission with and without the memory
            services = Services(settings=Settings(database_url=url), db=db, clock=lambda: NOW)
            first = min(kind_of)
            names = cycle([f"counterpart {cp - first} ltd." for cp in busy])  # typed differently
            keys = iter(range(10**9))

            def submission() -> None:
                named = dataclasses.replace(form, counterpart_name=next(names))
                result = prep_flow.submit_prep(
                    services, actor, named, negotiation_id=None, submission_key=f"b{next(keys)}"
                )
                assert result.saved is not None or result.choose is not None

            with_ms, with_peak = timed(submission, args.samples)
            real_resolve, real_recall = prep_flow.resolve_counterpart, prep_flow.recall
            from bot.flows.counterparts import Recall, Resolved
            from coaching.counterpart_history import Briefing
            from coaching.trade_ranking import rank_trades

            prep_flow.resolve_counterpart = lambda *a, **k: Resolved()  # type: ignore[assignment]
            prep_flow.recall = lambda *a, **k: Recall(
                Briefing("", (), None, 0),
                rank_trades(k["trades"], [], threshold=3, counterpart="", kind_label=""),
            )  # type: ignore[assignment]
            try:
                without_ms, _ = timed(submission, args.samples)
            finally:
                prep_flow.resolve_counterpart, prep_flow.recall = real_resolve, real_recall

            # (d) the review, for the busiest month
            start = datetime(2026, 10, 1, tzinfo=UTC)
            end = datetime(2026, 11, 1, tzinfo=UTC)
            review_floor_ms, _ = timed(lambda: floor_review(db, ws, start, end), max(5, args.samples // 20))

            def parley_review() -> None:
                with db.read() as s:
                    review_of(s, ws, playbook, start, end, "October 2026")

            review_ms, review_peak = timed(parley_review, max(5, args.samples // 20))
            engine.dispose()
        finally:
            drop()

    def line(label: str, ms: list[float]) -> str:
        return f"  {label:<34} p50 {p(ms, 0.5):8.2f} ms   p90 {p(ms, 0.9):8.2f} ms"

    print(f"\nsamples: {args.samples} preps on counterparts drawn by negotiation count (scale {args.scale})")
    print(line("(a) recall floor (hand-written SQL)", floor_ms))
    print(line("(b) Parley's recall", recall_ms))
    print(f"  ratio (b)/(a) at p50: {p(recall_ms, 0.5) / p(floor_ms, 0.5):.2f}  (target <= 2)")
    print(line("(c) prep submission, memory on", with_ms))
    print(line("    prep submission, memory off", without_ms))
    print(
        f"  the memory adds {p(with_ms, 0.5) - p(without_ms, 0.5):.1f} ms at p50 to a prep submission (target < 50 ms)"
    )
    print(f"  statements per recall: {per}")
    print(line("(d) review floor (hand-written SQL)", review_floor_ms))
    print(line("    Parley's review aggregation", review_ms))
    print(f"  ratio review/floor at p50: {p(review_ms, 0.5) / p(review_floor_ms, 0.5):.2f}  (target <= 3)")
    mb = 1024 * 1024
    print(f"  peak memory (tracemalloc): floor {floor_peak / mb:.1f} MB, recall {recall_peak / mb:.1f} MB, "
          f"prep {with_peak / mb:.1f} MB, review {review_peak / mb:.1f} MB; process ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
