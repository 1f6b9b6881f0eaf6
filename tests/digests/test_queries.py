"""The digest queries: their sums equal the coaching rules, weeks are the member's own, tenants stay
apart, and a workspace's digests take the same number of statements for 10 or 1,000 members."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, insert

from bot.digests.build import DigestKind, Recipient, build_workspace_digests, load_for
from bot.digests.schedule import Cadence, Slot, due_week, slot_for
from coaching.digests import Tally, concession_tally
from coaching.items import Concession
from coaching.money import Money
from coaching.playbook import load_default
from storage.db import Database
from storage.models import Commitment, Debrief, LedgerEntry, Member, Negotiation, Workspace
from storage.queries.workspaces import ensure_workspace
from tests.digests.seeding import JOINED, NOW, member, negotiation, seed_week, utc

PLAYBOOK = load_default()
SLOT = slot_for(PLAYBOOK.policy, {})


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def week_tally(db: Database, workspace_id: int, member_id: int, user: str, tz: str, at: Any = NOW) -> Tally:
    """What the digest queries say ``member_id`` did in the week their digest at ``at`` covers."""
    week = due_week(at, tz, SLOT, Cadence.WEEKLY)
    assert week is not None
    with db.session() as session:
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        recipient = Recipient(DigestKind.LEARNER, user, member_id, tz, week)
        index, _ = load_for(session, workspace, [recipient], now=at, slot=SLOT)
        return index.period(member_id, 0, 1)


def random_lines(rng: random.Random) -> tuple[list[dict[str, Any]], Concession]:
    """One concession as the debrief flow stores it, and the same concession as coaching sees it."""
    currency = rng.choice(["USD", "EUR", "JPY"])
    cost = None if rng.random() < 0.15 else rng.randrange(0, 100_000)
    shape = rng.choice(["giveaway", "trade", "unpriced return", "other currency"])
    item = rng.choice(["Extra day", "Discount", "Free coaching"])
    line: dict[str, Any] = {"kind": "conceded", "item": item, "value": cost, "currency": currency}
    money = Money(cost, currency) if cost is not None else None
    if shape == "giveaway":
        return [line], Concession(item, money)
    got = rng.randrange(0, 150_000)
    line["received"] = "Something back"
    if shape == "trade":
        line["received_value"] = got
        return [line], Concession(item, money, "Something back", Money(got, currency))
    if shape == "unpriced return":
        return [line], Concession(item, money, "Something back")
    other = "GBP" if currency != "GBP" else "USD"
    received = {"kind": "received", "item": "Something back", "value": got, "currency": other}
    return [line, received], Concession(item, money, "Something back", Money(got, other))


def test_the_sums_follow_the_coaching_rules_for_every_kind_of_line(db: Database) -> None:
    rng = random.Random(20261116)
    with db.session() as session:
        workspace_id = ensure_workspace(session, "T0EXAMPLE").id
    alice = member(db, workspace_id, "U0ALICE", "Alice", "Europe/London")
    expected = []
    for n in range(40):
        lines: list[dict[str, Any]] = []
        for _ in range(rng.randrange(1, 6)):
            stored, concession = random_lines(rng)
            lines.extend(stored)
            expected.append(concession_tally(concession))
        lines.append({"kind": "offered", "item": "Case study", "value": 999})  # never counted
        lines.append({"kind": "held", "item": "Price", "value": 999})
        outcome = rng.choice(["agreed", "no_deal", "paused"])
        expected.append(
            Tally(
                negotiations=1,
                agreed=int(outcome == "agreed"),
                no_deal=int(outcome == "no_deal"),
                paused=int(outcome == "paused"),
                limits_breached=n % 3,
            )
        )
        when = utc(2026, 11, 16) + timedelta(minutes=rng.randrange(7 * 24 * 60))
        negotiation(db, workspace_id, alice, f"Deal {n}", "customer", when, outcome, lines, limits=n % 3)
    negotiation(db, workspace_id, alice, "Next week", "customer", utc(2026, 11, 23, 0, 1), "agreed", [
        {"kind": "conceded", "item": "Too late", "value": 5}
    ])  # fmt: skip
    assert week_tally(db, workspace_id, alice, "U0ALICE", "Europe/London") == Tally.total(expected)


def test_weeks_are_counted_on_the_members_own_calendar(db: Database) -> None:
    with db.session() as session:
        workspace_id = ensure_workspace(session, "T0EXAMPLE").id
    carol = member(db, workspace_id, "U0CAROL", "Carol", "Pacific/Tongatapu")
    alice = member(db, workspace_id, "U0ALICE", "Alice", "Europe/London")
    line = [{"kind": "conceded", "item": "Rush", "value": 100}]
    # Sunday 15 Nov 12:00 UTC is Monday 16 Nov 01:00 in Tongatapu: inside Carol's week of 16 Nov
    negotiation(db, workspace_id, carol, "Early", "supplier", utc(2026, 11, 15, 12), "agreed", line)
    # Sunday 22 Nov 12:00 UTC is already Monday 23 Nov there: her next week, but still Alice's week
    negotiation(db, workspace_id, carol, "Late", "supplier", utc(2026, 11, 22, 12), "agreed", line)
    negotiation(db, workspace_id, alice, "Late", "supplier", utc(2026, 11, 22, 12), "agreed", line)
    negotiation(db, workspace_id, alice, "Early", "supplier", utc(2026, 11, 15, 12), "agreed", line)
    carols = week_tally(db, workspace_id, carol, "U0CAROL", "Pacific/Tongatapu", utc(2026, 11, 22, 20))
    alices = week_tally(db, workspace_id, alice, "U0ALICE", "Europe/London")
    assert carols.negotiations == 1 and carols.conceded.get("USD") == Money(100, "USD")
    assert alices.negotiations == 1


def test_another_workspaces_rows_are_never_counted(db: Database) -> None:
    seeded = seed_week(db)
    with db.session() as session:
        other_id = ensure_workspace(session, "T0OTHER").id
    stranger = member(db, other_id, "U0ALICE", "Alice elsewhere", "Europe/London")
    assert week_tally(db, other_id, stranger, "U0ALICE", "Europe/London") == Tally()
    with db.session() as session:
        other = session.get(Workspace, other_id)
        assert other is not None
        built = build_workspace_digests(session, other, now=NOW, playbook=PLAYBOOK)
    assert [p.recipient.member_id for p in built] == [stranger]
    assert built[0].quiet
    assert week_tally(db, seeded.workspace_id, seeded.alice, "U0ALICE", "Europe/London").negotiations == 2


def populate(db: Database, members: int) -> int:
    """A workspace of ``members`` (one team per 20), each with a debriefed negotiation this week,
    one the week before and a commitment: bulk inserts, so 1,000 members take a moment."""
    with db.session() as session:
        workspace = Workspace(team_id=f"T0SIZE{members}", settings={"executive_owner": "U0000000"})
        session.add(workspace)
        session.flush()
        workspace_id = workspace.id
        zones = ["Europe/London", "America/New_York", "Pacific/Tongatapu", "Asia/Kolkata"]
        rows = [
            {
                "workspace_id": workspace_id,
                "slack_user_id": f"U{n:07d}",
                "display_name": f"Member {n}",
                "tz": zones[n % len(zones)],
                "style": ["closer", "diplomat", None][n % 3],
                "settings": {},
                "created_at": JOINED,
            }
            for n in range(members)
        ]
        session.execute(insert(Member), rows)
        ids = [m.id for m in session.query(Member).filter_by(workspace_id=workspace_id).order_by(Member.id)]
        session.execute(
            Member.__table__.update()
            .where(Member.workspace_id == workspace_id, Member.id.not_in(ids[::20]))
            .values(manager_id=ids[0])
        )
        negotiations, debriefs, ledger, commitments = [], [], [], []
        for n, member_id in enumerate(ids):
            for weeks_ago in (0, 1):
                at = utc(2026, 11, 18, 12) - timedelta(weeks=weeks_ago)
                negotiations.append(
                    dict(workspace_id=workspace_id, owner_id=member_id, title=f"N{n}",
                         counterpart_kind="customer", status="agreed", currency="USD", date=at.date(), _at=at)
                )  # fmt: skip
            commitments.append(
                dict(workspace_id=workspace_id, owner_id=member_id, text="Send it", due=date(2026, 11, 25),
                     status="open", source="manual", currency="USD", nudges_sent=0)
            )  # fmt: skip
        moments = [row.pop("_at") for row in negotiations]
        inserted = session.scalars(
            insert(Negotiation).returning(Negotiation.id, sort_by_parameter_order=True), negotiations
        ).all()
        for negotiation_id, row, at in zip(inserted, negotiations, moments, strict=True):
            debriefs.append(
                dict(workspace_id=workspace_id, negotiation_id=negotiation_id, member_id=row["owner_id"],
                     outcome="agreed", analysis={}, submitted_at=at)
            )  # fmt: skip
            ledger.append(
                dict(workspace_id=workspace_id, negotiation_id=negotiation_id, kind="conceded", item="Day",
                     value_minor=100, currency="USD", position=0, recorded_at=at)
            )  # fmt: skip
        session.execute(insert(Debrief), debriefs)
        session.execute(insert(LedgerEntry), ledger)
        session.execute(insert(Commitment), commitments)
    return workspace_id


def statements_for_every_digest(db: Database, workspace_id: int) -> tuple[int, int]:
    tuesday = NOW + timedelta(days=1)  # every zone's Monday 09:00 has passed
    with db.session() as session:
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        with counted(db) as statements:
            built = build_workspace_digests(session, workspace, now=tuesday, playbook=PLAYBOOK)
    return len(statements), len(built)


def test_a_workspaces_digests_take_the_same_statements_for_ten_or_a_thousand_members(db: Database) -> None:
    small, large = populate(db, 10), populate(db, 1_000)
    small_count, small_digests = statements_for_every_digest(db, small)
    large_count, large_digests = statements_for_every_digest(db, large)
    assert (small_digests, large_digests) == (10 + 1 + 1, 1_000 + 1 + 1)  # learners, a manager, the owner
    assert small_count == large_count
    assert large_count <= 12


def test_slots_other_than_monday_are_used(db: Database) -> None:
    seeded = seed_week(db)
    with db.session() as session:
        workspace = session.get(Workspace, seeded.workspace_id)
        assert workspace is not None
        workspace.settings = {**workspace.settings, "digest_day": "wed", "digest_time": "08:00"}
    with db.session() as session:
        workspace = session.get(Workspace, seeded.workspace_id)
        assert workspace is not None
        assert build_workspace_digests(session, workspace, now=NOW, playbook=PLAYBOOK) == []
        wednesday = utc(2026, 11, 25, 8, 30)
        built = build_workspace_digests(session, workspace, now=wednesday, playbook=PLAYBOOK)
    alice = next(p for p in built if p.recipient.target == "U0ALICE")
    assert alice.recipient.week.covered_start == date(2026, 11, 18)
    assert alice.context["period"] == "Wed 18 Nov – Tue 24 Nov 2026"
    assert isinstance(Slot(2, alice.recipient.week.due_at.time()), Slot)
