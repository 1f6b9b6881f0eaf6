"""Members' data tests: a world with a movable clock (``parley tick``), seeded data, and the scan that
proves an erased member is named nowhere."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, MetaData, String, Text, select
from sqlalchemy.engine import Engine

from storage.models import (
    AssessmentResult,
    AuditEvent,
    Commitment,
    Debrief,
    LedgerEntry,
    OutboxMessage,
    PrepPlan,
    TradeProposal,
    Workspace,
)
from tests.scheduling.conftest import World
from tests.scheduling.conftest import clock as clock
from tests.scheduling.conftest import slack as slack
from tests.scheduling.conftest import world as world

__all__ = ["Seeded", "archive_of", "mentions", "seed_member"]


@dataclass
class Seeded:
    member_id: int
    negotiation_id: int
    other_id: int
    trades: list[int]
    ledger_total_minor: int


def seed_member(w: World, user_id: str = "U0ALICE", *, other: str = "U0BOB", ledger_rows: int = 3) -> Seeded:
    """A member with something in every table, plus a colleague whose records mention them."""
    member_id = w.member(user_id, email=f"{user_id.lower()}@example.test")
    other_id = w.member(other)
    ws = w.workspace_id()
    now = w.clock()
    negotiation_id = w.negotiation(member_id, date(2026, 11, 20), title="Acme renewal")
    name = w.slack.user(user_id)["real_name"]
    with w.db.session() as session:
        session.add(
            PrepPlan(
                workspace_id=ws, negotiation_id=negotiation_id, objectives="Keep the price at 40k",
                limits="No discount over 10%", walk_away="Below 35k", tradeables="Training days",
                wants="A case study", asks="Free seats",
            )
        )  # fmt: skip
        debrief = Debrief(
            workspace_id=ws, negotiation_id=negotiation_id, member_id=member_id, outcome="agreed",
            reflection="I conceded too early",
            analysis={"limits_breached": ["No discount over 10%"], "giveaways": 1},
            submitted_at=now,
        )  # fmt: skip
        session.add(debrief)
        session.flush()
        total = 0
        for i in range(ledger_rows):
            session.add(
                LedgerEntry(
                    workspace_id=ws, negotiation_id=negotiation_id, debrief_id=debrief.id, kind="conceded",
                    item=f"Discount {i}", value_minor=1000 + i, currency="USD", received_item="Longer term",
                    received_value_minor=500, position=i, recorded_at=now,
                )
            )  # fmt: skip
            total += 1000 + i
        session.add(
            AssessmentResult(
                workspace_id=ws, member_id=member_id, answers={"q1": "a"}, primary_style="closer",
                secondary_style="diplomat", scores={"closer": 5}, confidence="clear", taken_at=now,
            )
        )  # fmt: skip
        mine = TradeProposal(
            workspace_id=ws, negotiation_id=negotiation_id, requester_id=member_id, approver_id=other_id,
            get_item="Two-year term", get_value_minor=5000, give_item="5% off", give_cost_minor=2000,
            currency="USD", reason=f"{name} needs it to close", status="approved", decided_by_id=other_id,
            decision_reason="fine", checks=[],
        )  # fmt: skip
        theirs = TradeProposal(
            workspace_id=ws, requester_id=other_id, approver_id=member_id, get_item="Case study",
            get_value_minor=3000, give_item="Extra seat", give_cost_minor=1000, currency="USD",
            reason="Bob's deal", status="approved", decided_by_id=member_id,
            decision_reason=f"Approved by {name}", checks=[],
        )  # fmt: skip
        session.add_all([mine, theirs])
        session.add(
            Commitment(
                workspace_id=ws, negotiation_id=negotiation_id, owner_id=member_id,
                text="Send the order form",
                due=date(2026, 12, 1), currency="USD",
            )
        )  # fmt: skip
        session.add(
            Commitment(
                workspace_id=ws, owner_id=other_id, owed_to_id=member_id, text=f"Call {name} back",
                due=date(2026, 12, 2), currency="USD",
            )
        )  # fmt: skip
        session.add(
            OutboxMessage(
                workspace_id=ws, kind="notice", target=user_id, payload={"text": "hi", "blocks": []},
                due_at=now + timedelta(days=1), dedupe_key=f"test:{user_id}:1",
            )
        )  # fmt: skip
        session.add(
            OutboxMessage(
                workspace_id=ws, kind="notice", target=other, status="sent",
                payload={"text": f"<@{user_id}> proposed a trade ({name})", "blocks": []}, due_at=now,
                dedupe_key=f"test:{other}:2",
            )
        )  # fmt: skip
        session.add(
            AuditEvent(
                workspace_id=ws, actor_id=other_id, action="team.set", subject_type="member",
                subject_id=member_id, detail={"member": user_id, "note": f"set {name}'s manager"}, at=now,
            )
        )  # fmt: skip
        session.flush()
        trades = [mine.id, theirs.id]
        workspace = session.get(Workspace, ws)
        assert workspace is not None
        workspace.settings = {**(workspace.settings or {}), "admins": [user_id, "U0ROOT"]}
    return Seeded(member_id, negotiation_id, other_id, trades, total)


def _text_like(column: Any) -> bool:
    kind = type(column.type).__name__.upper()
    return isinstance(column.type, String | Text | JSON) or kind in ("JSON", "JSONB", "TEXT", "VARCHAR")


def mentions(engine: Engine, needles: list[str]) -> list[str]:
    """``table.column #id`` of every value, in every text or JSON column of every table in the
    database (reflected, so tables no model declares are scanned too), that contains a needle."""
    metadata = MetaData()
    metadata.reflect(engine)
    found = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = [c for c in table.columns if _text_like(c)]
            if not columns:
                continue
            for row in connection.execute(select(*table.columns)).mappings():
                for column in columns:
                    value = row[column.name]
                    if value is None:
                        continue
                    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    for needle in needles:
                        if needle in text:
                            found.append(f"{table.name}.{column.name} #{row.get('id')}: {needle}")
    return found


def archive_of(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line]


@pytest.fixture
def at() -> datetime:
    from tests.app.conftest import NOW

    return NOW
