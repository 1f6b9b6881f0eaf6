"""The monthly playbook review: from the first of the month, once per admin, through the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from storage.models import Member
from storage.queries.debriefs import add_ledger_entry, create_debrief
from tests.scheduling.conftest import World


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_last_months_review_goes_to_each_admin_once(world: World) -> None:
    alice = world.member("U0ALICE")
    bob = world.member("U0BOB")
    with world.db.session() as session:
        admin = session.get(Member, bob)
        assert admin is not None
        admin.role = "admin"
    ws = world.workspace_id()
    for n in range(3):
        negotiation = world.negotiation(alice, date(2026, 11, 10 + n), title=f"Deal {n}")
        with world.db.session() as session:
            debrief = create_debrief(
                session, ws, negotiation, alice, outcome="agreed", reflection="",
                analysis={"limits_breached": [{"item": "Discount", "limit": "Discount above 10%"}]},
                submitted_at=utc(2026, 11, 12 + n, 17),
            )  # fmt: skip
            add_ledger_entry(
                session, ws, negotiation, kind="conceded", item="Onboarding workshop",
                value_minor=150_000, currency="USD", position=0, recorded_at=utc(2026, 11, 12 + n, 17),
                debrief_id=debrief.id, received_item="24-month term", received_value_minor=2_000_000,
            )  # fmt: skip
    world.tick(utc(2026, 11, 30, 12))  # November isn't over: October's review, with nothing in it
    world.tick(utc(2026, 12, 1, 9))
    world.tick(utc(2026, 12, 1, 10))  # again: nothing new
    sent = [m for m in world.parley.dms("U0BOB") if m["text"].startswith("Playbook review: November 2026")]
    assert len(sent) == 1
    text = str(sent[0]["blocks"])
    assert "3 debriefed negotiations" in text and "Discount above 10%" in text and "breached 3 times" in text
    assert not [m for m in world.parley.dms("U0ALICE") if m["text"].startswith("Playbook review")]
    with world.db.session() as session:
        assert session.scalar(select(Member.role).where(Member.id == alice)) == "learner"
