"""What the trade and team tests share: a team, a movable clock, `parley tick`, and finding messages.

The ``desk`` fixture is the real Bolt app on both databases and the strict fake Slack (as ``parley``),
with a clock the test moves and ``tick(at)`` = ``parley tick --at`` (jobs, then delivery; the pacer runs
on a fake monotonic clock, so nothing sleeps). Alice (Europe/London) reports to Bob (New York); Bob
reports to Dana (the escalation target); Carol is another member; Erin is an admin.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_bolt import BoltResponse
from sqlalchemy import select

from bot.app import build_app
from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import Pacer
from bot.delivery.worker import Deliverer
from bot.members import resolve_actor
from bot.scheduler.tick import TickReport, tick
from bot.services import Services
from bot.testkit.fake_slack import FakeSlack
from storage.db import Database
from storage.models import (
    AuditEvent,
    LedgerEntry,
    Member,
    Negotiation,
    OutboxMessage,
    PrepPlan,
    TradeProposal,
)
from storage.queries.team import set_fallback_user_id
from storage.queries.workspaces import ensure_workspace
from templates.ids.trades import TradeAction, TradeBlock
from tests.app.conftest import NOW, InlineExecutor, Parley, make_settings

TEAM = "T0EXAMPLE"
TERMS = {
    TradeBlock.GET: "Acme extends the contract to 24 months",
    TradeBlock.GET_VALUE: "$10,000",
    TradeBlock.GIVE: "two extra coaching sessions",
    TradeBlock.GIVE_COST: "$1,500",
    TradeBlock.REASON: "They asked twice; it costs us little and locks in a second year.",
}


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Desk:
    parley: Parley
    clock: Clock
    time: FakeTime = field(default_factory=FakeTime)

    @property
    def slack(self) -> FakeSlack:
        return self.parley.slack

    @property
    def db(self) -> Database:
        return self.parley.services.db

    # ------------------------------------------------------------------------------------ time

    def at(self, moment: datetime) -> Desk:
        self.clock.now = moment
        return self

    def tick(self, moment: datetime) -> TickReport:
        """``parley tick --at moment``."""
        self.clock.now = moment
        services = self.parley.services
        gateway = SlackGateway(
            services.settings, self.db.engine, pacer=Pacer(self.time.monotonic), sleep=self.time.sleep
        )
        deliverer = Deliverer(
            services, gateway, wall_clock=self.clock, monotonic=self.time.monotonic, sleep=self.time.sleep
        )
        return tick(services, gateway, deliverer=deliverer)

    # ------------------------------------------------------------------------------------ team

    def meet(self, *user_ids: str, team_id: str = TEAM) -> dict[str, int]:
        """First contact for each user (profile from the fake Slack); their member ids."""
        services, client = self.parley.services, self.parley.app.client
        return {uid: resolve_actor(services, client, team_id, uid).member_id for uid in user_ids}

    def set_manager(self, user_id: str, manager_id: str | None) -> None:
        ids = self.meet(user_id, *([manager_id] if manager_id else []))
        with self.db.session() as session:
            member = session.get(Member, ids[user_id])
            assert member is not None
            member.manager_id = ids[manager_id] if manager_id else None

    def set_fallback(self, user_id: str | None) -> None:
        if user_id:
            self.meet(user_id)
        with self.db.session() as session:
            set_fallback_user_id(ensure_workspace(session, TEAM), user_id)

    def negotiation(self, owner: str = "U0ALICE", *, limits: str = "", title: str = "Acme renewal") -> int:
        owner_id = self.meet(owner)[owner]
        with self.db.session() as session:
            negotiation = Negotiation(
                workspace_id=ensure_workspace(session, TEAM).id,
                owner_id=owner_id,
                title=title,
                counterpart_kind="customer",
                counterpart_name="Acme",
                status="planned",
                currency="USD",
            )
            session.add(negotiation)
            session.flush()
            session.add(
                PrepPlan(
                    workspace_id=negotiation.workspace_id,
                    negotiation_id=negotiation.id,
                    limits=limits,
                )
            )
            return negotiation.id

    # ------------------------------------------------------------------------------------ trades

    def propose(self, user_id: str = "U0ALICE", **values: Any) -> BoltResponse:
        """``/negotiate trade`` and submit the modal with the standard terms, changed by ``values``."""
        self.parley.command("trade", user_id=user_id)
        return self.parley.submit({**TERMS, **values}, user_id=user_id)

    def trades(self) -> list[TradeProposal]:
        with self.db.session() as session:
            rows = list(session.scalars(select(TradeProposal).order_by(TradeProposal.id)))
            session.expunge_all()
            return rows

    def trade(self) -> TradeProposal:
        rows = self.trades()
        assert len(rows) == 1, f"expected one trade, found {len(rows)}"
        return rows[0]

    def audit(self, trade_id: int | None = None) -> list[AuditEvent]:
        with self.db.session() as session:
            query = select(AuditEvent).order_by(AuditEvent.id)
            if trade_id is not None:
                query = query.where(AuditEvent.subject_type == "trade", AuditEvent.subject_id == trade_id)
            rows = list(session.scalars(query))
            session.expunge_all()
            return rows

    def actions(self, trade_id: int) -> list[str]:
        return [event.action for event in self.audit(trade_id)]

    def ledger(self) -> list[LedgerEntry]:
        with self.db.session() as session:
            rows = list(session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)))
            session.expunge_all()
            return rows

    def outbox(self, kind: str | None = None) -> list[OutboxMessage]:
        with self.db.session() as session:
            rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
            session.expunge_all()
        return [row for row in rows if kind is None or row.kind == kind]

    # ------------------------------------------------------------------------------------ Slack

    def copy(self, user_id: str) -> dict[str, Any]:
        """The member's copy of the (latest) trade request: a top-level DM with the trade's header."""
        copies = [m for m in self.parley.dms(user_id) if is_request(m)]
        assert copies, f"{user_id} has no trade request in their DMs"
        return copies[-1]

    def replies(self, user_id: str) -> list[dict[str, Any]]:
        """Thread notes under the member's copy of the request."""
        root = self.copy(user_id)
        return self.slack.thread(self.slack.dm_channel(user_id), root["ts"])

    def click(
        self, action: TradeAction, user_id: str, message: dict[str, Any], **kwargs: Any
    ) -> BoltResponse:
        return self.parley.click(action, user_id=user_id, message=message, **kwargs)

    def ephemerals(self, user_id: str) -> list[str]:
        return [e.get("text", "") for e in self.slack.ephemerals(user=user_id)]


def is_request(message: dict[str, Any]) -> bool:
    blocks = message.get("blocks") or []
    top_level = message.get("thread_ts") in (None, message.get("ts"))
    header = bool(blocks) and blocks[0].get("type") == "header"
    return top_level and header and "If you agree to" in message.get("text", "")


def buttons(message: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


def text_of(message: dict[str, Any]) -> str:
    """Every displayed string of a message, joined (for assertions on wording)."""
    parts: list[str] = [message.get("text", "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                parts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks") or [])
    return "\n".join(parts)


@pytest.fixture
def desk(db: Database, slack: FakeSlack) -> Iterator[Desk]:
    slack.add_user("U0CAROL", name="carol", real_name="Carol Peer", tz="Europe/Paris")
    slack.add_user("U0DANA", name="dana", real_name="Dana Director", tz="America/New_York")
    slack.add_user("U0ERIN", name="erin", real_name="Erin Admin", tz="Europe/London", is_admin=True)
    clock = Clock(NOW)
    services = Services(settings=make_settings(db, slack), db=db, clock=clock)
    parley = Parley(build_app(services, listener_executor=InlineExecutor()), services, slack)
    yield Desk(parley, clock)


@pytest.fixture
def team(desk: Desk) -> Desk:
    """Alice reports to Bob, Bob to Dana."""
    desk.set_manager("U0ALICE", "U0BOB")
    desk.set_manager("U0BOB", "U0DANA")
    desk.meet("U0CAROL", "U0ERIN")
    return desk


def later(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)
