"""A seeded week for the digest tests: who did what, written the way the flows write it.

Week of Monday 16 November 2026 (the digests of Monday 23 November cover it):

* Alice (U0ALICE, Europe/London, 🐬 diplomat) reports to Bob.
  - "Acme renewal" (customer), debriefed Wed 18 Nov, agreed: conceded "Extra training day" 2,000 USD
    for "24-month term" worth 10,000 USD; "Discount 5%" 3,000 USD and "Free coaching" 300 USD for
    nothing (giveaways); offered "Case study", held "List price". One prep limit breached.
  - "Budget review" (management), debriefed Fri 20 Nov, no deal: conceded "Job aids" 800 USD for a
    "case study" worth 200 USD (600 USD left behind).
  - Commitments: "Send the agenda" done Thu 19 Nov; "Book the room" lapsed Sat 21 Nov; "Confirm the
    VPs" open, due Wed 25 Nov; "Share the deck" open, due Mon 16 Nov, two nudges unanswered.
  - A trade request waiting on Bob since Sun 22 Nov 03:30 UTC (30 hours at Monday 09:30).
  - The week before (9 Nov): one agreed negotiation with "Free coaching" (100 USD) given away.
* Carol (U0CAROL, Pacific/Tongatapu, UTC+13, 🦁 closer) reports to Bob: "Supplier deal" debriefed on
  her Thursday 19 Nov, agreed: conceded "Rush delivery" 1,000 USD for "Referral" worth 1,500 USD.
* Bob (U0BOB, America/New_York) manages both and logged nothing; he is the executive owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.testkit.fake_slack import FakeSlack
from storage.db import Database
from storage.models import Commitment, Member, Negotiation, TradeProposal, Workspace
from storage.queries.debriefs import add_ledger_entry, create_debrief
from storage.queries.members import Profile, save_profile
from storage.queries.workspaces import ensure_workspace

TEAM_ID = "T0EXAMPLE"
MONDAY = date(2026, 11, 16)
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
JOINED = NOW - timedelta(days=120)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@dataclass
class Seeded:
    workspace_id: int
    alice: int
    bob: int
    carol: int
    trade: int


def add_users(slack: FakeSlack) -> None:
    slack.add_user("U0CAROL", name="carol", real_name="Carol Closer", tz="Pacific/Tongatapu")


def member(db: Database, workspace_id: int, user_id: str, name: str, tz: str, **changes: Any) -> int:
    with db.session() as session:
        row, _ = save_profile(session, workspace_id, user_id, Profile(display_name=name, tz=tz), NOW)
        row.created_at = JOINED
        for key, value in changes.items():
            setattr(row, key, value)
        session.flush()
        return row.id


def negotiation(
    db: Database,
    workspace_id: int,
    owner: int,
    title: str,
    kind: str,
    at: datetime,
    outcome: str,
    lines: list[dict[str, Any]],
    *,
    limits: int = 0,
) -> int:
    """A debriefed negotiation with its ledger, as ``bot.flows.debrief`` stores one."""
    with db.session() as session:
        row = Negotiation(
            workspace_id=workspace_id,
            owner_id=owner,
            title=title,
            counterpart_kind=kind,
            counterpart_name="Acme",
            date=at.date(),
            status=outcome,
            currency="USD",
        )
        session.add(row)
        session.flush()
        analysis = {
            "version": 1,
            "outcome": outcome,
            "limits_breached": [{"item": "x", "limit": "y"}] * limits,
            "summary": "…",
        }
        debrief = create_debrief(
            session,
            workspace_id,
            row.id,
            owner,
            outcome=outcome,
            reflection="",
            analysis=analysis,
            submitted_at=at,
        )
        for position, line in enumerate(lines):
            add_ledger_entry(
                session,
                workspace_id,
                row.id,
                kind=line["kind"],
                item=line["item"],
                value_minor=line.get("value"),
                currency=line.get("currency", "USD"),
                position=position,
                recorded_at=at,
                debrief_id=debrief.id,
                received_item=line.get("received"),
                received_value_minor=line.get("received_value"),
            )
        return row.id


def commitment(
    db: Database, workspace_id: int, owner: int, text: str, due: date, status: str, **extra: Any
) -> int:
    with db.session() as session:
        row = Commitment(
            workspace_id=workspace_id,
            owner_id=owner,
            text=text,
            due=due,
            status=status,
            source="manual",
            currency="USD",
            nudges_sent=extra.pop("nudges_sent", 0),
            **extra,
        )
        session.add(row)
        session.flush()
        return row.id


def seed_week(db: Database, *, owner: str | None = "U0BOB", channel: str | None = None) -> Seeded:
    with db.session() as session:
        workspace = ensure_workspace(session, TEAM_ID)
        settings: dict[str, Any] = {}
        if owner:
            settings["executive_owner"] = owner
        if channel:
            settings["digest_channel"] = channel
        workspace.settings = settings
        workspace.name = "Example Org"
        workspace_id = workspace.id
    bob = member(db, workspace_id, "U0BOB", "Bob Manager", "America/New_York", role="manager")
    alice = member(
        db, workspace_id, "U0ALICE", "Alice Example", "Europe/London", style="diplomat", manager_id=bob
    )
    carol = member(
        db, workspace_id, "U0CAROL", "Carol Closer", "Pacific/Tongatapu", style="closer", manager_id=bob
    )
    negotiation(
        db,
        workspace_id,
        alice,
        "Acme renewal",
        "customer",
        utc(2026, 11, 18, 15),
        "agreed",
        [
            {"kind": "conceded", "item": "Extra training day", "value": 200000, "received": "24-month term",
             "received_value": 1000000},
            {"kind": "conceded", "item": "Discount 5%", "value": 300000},
            {"kind": "conceded", "item": "Free coaching", "value": 30000},
            {"kind": "offered", "item": "Case study", "value": 50000},
            {"kind": "held", "item": "List price"},
        ],
        limits=1,
    )  # fmt: skip
    negotiation(
        db,
        workspace_id,
        alice,
        "Budget review",
        "management",
        utc(2026, 11, 20, 11),
        "no_deal",
        [
            {
                "kind": "conceded",
                "item": "Job aids",
                "value": 80000,
                "received": "case study",
                "received_value": 20000,
            }
        ],
    )
    negotiation(
        db,
        workspace_id,
        alice,
        "Old deal",
        "customer",
        utc(2026, 11, 11, 10),
        "agreed",
        [{"kind": "conceded", "item": "Free coaching", "value": 10000}],
    )
    negotiation(
        db,
        workspace_id,
        carol,
        "Supplier deal",
        "supplier",
        utc(2026, 11, 18, 22),  # Thursday 19 Nov 11:00 in Tongatapu
        "agreed",
        [
            {
                "kind": "conceded",
                "item": "Rush delivery",
                "value": 100000,
                "received": "Referral",
                "received_value": 150000,
            }
        ],
    )
    commitment(
        db,
        workspace_id,
        alice,
        "Send the agenda",
        date(2026, 11, 19),
        "done",
        closed_at=utc(2026, 11, 19, 12),
    )
    commitment(
        db,
        workspace_id,
        alice,
        "Book the room",
        date(2026, 11, 20),
        "lapsed",
        closed_at=utc(2026, 11, 21, 0, 5),
    )
    commitment(db, workspace_id, alice, "Confirm the VPs", date(2026, 11, 25), "open")
    commitment(db, workspace_id, alice, "Share the deck", date(2026, 11, 16), "open", nudges_sent=2)
    with db.session() as session:
        trade = TradeProposal(
            workspace_id=workspace_id,
            requester_id=alice,
            approver_id=bob,
            get_item="Half a day in the planning seat",
            give_item="Extra coaching session",
            currency="USD",
            status="pending",
            turn_started_at=NOW - timedelta(hours=30),
        )
        session.add(trade)
        session.flush()
        trade_id = trade.id
    return Seeded(workspace_id, alice, bob, carol, trade_id)


def set_member(db: Database, member_id: int, **changes: Any) -> None:
    with db.session() as session:
        row = session.get(Member, member_id)
        assert row is not None
        for key, value in changes.items():
            setattr(row, key, value)


def set_workspace(db: Database, workspace_id: int, **settings: Any) -> None:
    with db.session() as session:
        row = session.get(Workspace, workspace_id)
        assert row is not None
        row.settings = {**(row.settings or {}), **settings}
