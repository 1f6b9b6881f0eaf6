"""Retention through the clock (`parley tick`): old free text emptied, old negotiations deleted,
counted in the audit log, idempotent, off by default; months counted on the calendar."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from coaching.retention import months_before, months_setting
from storage.models import AuditEvent, Debrief, LedgerEntry, Negotiation, PrepPlan, TradeProposal, Workspace
from tests.scheduling.conftest import World

END_OF_MARCH = datetime(2026, 3, 31, 3, 0, tzinfo=UTC)


def _negotiation(world: World, owner: int, day: date) -> int:
    negotiation_id = world.negotiation(owner, day, title=f"Deal of {day}")
    ws = world.workspace_id()
    with world.db.session() as session:
        session.add(
            PrepPlan(workspace_id=ws, negotiation_id=negotiation_id, objectives="hold 40k", limits="no 10%")
        )
        debrief = Debrief(
            workspace_id=ws, negotiation_id=negotiation_id, member_id=owner, outcome="agreed",
            reflection="too fast", analysis={"limits_breached": ["no 10%"]}, submitted_at=END_OF_MARCH,
        )  # fmt: skip
        session.add(debrief)
        session.flush()
        session.add(
            LedgerEntry(
                workspace_id=ws, negotiation_id=negotiation_id, debrief_id=debrief.id, kind="conceded",
                item="discount", value_minor=700, currency="USD", recorded_at=END_OF_MARCH,
            )
        )  # fmt: skip
        session.add(
            TradeProposal(
                workspace_id=ws, negotiation_id=negotiation_id, requester_id=owner, get_item="term",
                give_item="seat", currency="USD", reason="closing", status="approved", checks=[],
            )
        )  # fmt: skip
    return negotiation_id


def _settings(world: World, **values: object) -> None:
    with world.db.session() as session:
        workspace = session.get(Workspace, world.workspace_id())
        assert workspace is not None
        workspace.settings = {**workspace.settings, **values}


def _texts(world: World, negotiation_id: int) -> tuple[str, str, str, str]:
    with world.db.session() as session:
        prep = session.scalars(select(PrepPlan).where(PrepPlan.negotiation_id == negotiation_id)).one()
        debrief = session.scalars(select(Debrief).where(Debrief.negotiation_id == negotiation_id)).one()
        trade = session.scalars(
            select(TradeProposal).where(TradeProposal.negotiation_id == negotiation_id)
        ).one()
        entry = session.scalars(select(LedgerEntry).where(LedgerEntry.negotiation_id == negotiation_id)).one()
        assert entry.value_minor == 700 and debrief.outcome == "agreed"  # amounts and outcomes stay
        assert len(debrief.analysis["limits_breached"]) == 1  # the count stays, the wording goes
        return prep.objectives, debrief.reflection, trade.reason, entry.item


def _retention_events(world: World) -> list[AuditEvent]:
    with world.db.session() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.applied")).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def test_free_text_goes_after_n_calendar_months(world: World) -> None:
    owner = world.member("U0ALICE")
    kept = _negotiation(world, owner, date(2026, 2, 28))  # exactly one month before 31 March: kept
    emptied = _negotiation(world, owner, date(2026, 2, 27))
    _settings(world, retention_text_months=1)
    world.tick(END_OF_MARCH)
    assert _texts(world, kept) == ("hold 40k", "too fast", "closing", "discount")
    assert _texts(world, emptied) == ("", "", "", "discount")  # the item (what was traded) stays
    (event,) = _retention_events(world)
    assert event.detail["counts"] == {
        "text_emptied_preps": 1,
        "text_emptied_debriefs": 1,
        "text_emptied_trades": 1,
    }
    world.tick(END_OF_MARCH)  # idempotent: nothing left, no new audit event
    assert len(_retention_events(world)) == 1
    world.tick(datetime(2026, 4, 1, 3, 0, tzinfo=UTC))  # a day later, 28 February is over a month old
    assert _texts(world, kept) == ("", "", "", "discount")
    assert len(_retention_events(world)) == 2


def test_everything_of_negotiations_older_than_m_months_goes(world: World) -> None:
    owner = world.member("U0ALICE")
    old = _negotiation(world, owner, date(2025, 3, 30))
    young = _negotiation(world, owner, date(2025, 3, 31))  # twelve months before 31 March 2026: kept
    _settings(world, retention_all_months=12)
    world.tick(END_OF_MARCH)
    with world.db.session() as session:
        assert set(session.scalars(select(Negotiation.id))) == {young}
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 1
        assert session.scalar(select(func.count()).select_from(TradeProposal)) == 1
    (event,) = _retention_events(world)
    assert event.detail["counts"]["deleted_negotiations"] == 1
    assert event.detail["counts"]["deleted_ledger_entries"] == 1
    assert old != young


def test_retention_is_off_by_default_and_for_nonsense_settings(world: World) -> None:
    owner = world.member("U0ALICE")
    negotiation_id = _negotiation(world, owner, date(2020, 1, 1))
    world.tick(END_OF_MARCH)
    _settings(world, retention_text_months="3", retention_all_months=0)  # a string and zero: off
    world.tick(END_OF_MARCH)
    assert _texts(world, negotiation_id) == ("hold 40k", "too fast", "closing", "discount")
    assert _retention_events(world) == []


def test_months_before_clamps_to_the_end_of_shorter_months() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)
    assert months_before(date(2026, 5, 31), 12) == date(2025, 5, 31)
    assert months_setting({"retention_text_months": True}, "retention_text_months") is None
    assert months_setting({"retention_text_months": 6}, "retention_text_months") == 6


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 1200))
def test_months_before_goes_back_exactly_that_many_calendar_months(day: date, months: int) -> None:
    back = months_before(day, months)
    assert (day.year * 12 + day.month) - (back.year * 12 + back.month) == months
    assert back.day == min(day.day, calendar.monthrange(back.year, back.month)[1])
    assert back <= day
