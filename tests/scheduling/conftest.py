"""A Parley whose clock the test moves, with `tick` and delivery wired to the strict fake Slack.

Time never passes by itself: ``world.tick(at)`` is ``parley tick --at`` (jobs, then delivery), the
pacer runs on a fake monotonic clock that only the gateway's sleeps advance, and no test sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from bot.app import build_app
from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import Pacer
from bot.delivery.worker import Deliverer, DeliveryReport
from bot.scheduler.tick import TickReport, tick
from bot.services import Services
from bot.testkit.fake_slack import FakeSlack
from storage.db import Database
from storage.models import Commitment, Member, Negotiation, OutboxMessage
from storage.queries import commitments as queries
from storage.queries.members import Profile, save_profile
from storage.queries.workspaces import ensure_workspace
from tests.app.conftest import NOW, InlineExecutor, Parley, make_settings
from tests.app.conftest import slack as slack  # the strict fake Slack fixture, shared

TEAM_ID = "T0EXAMPLE"


class MovableClock:
    """``services.clock``: aware UTC, moved only by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        assert moment.tzinfo is not None
        self.now = moment


class FakeTime:
    """A monotonic clock plus a ``sleep`` that advances it (records every sleep)."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class World:
    parley: Parley
    clock: MovableClock
    time: FakeTime
    gateway: SlackGateway
    ticks: list[TickReport] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return self.parley.services

    @property
    def slack(self) -> FakeSlack:
        return self.parley.slack

    @property
    def db(self) -> Database:
        return self.services.db

    def deliverer(self, **kwargs: Any) -> Deliverer:
        kwargs.setdefault("wall_clock", self.clock)
        kwargs.setdefault("monotonic", self.time.monotonic)
        kwargs.setdefault("sleep", self.time.sleep)
        return Deliverer(self.services, self.gateway, **kwargs)

    def tick(self, at: datetime) -> TickReport:
        """``parley tick --at at``."""
        self.clock.set(at)
        report = tick(self.services, self.gateway, deliverer=self.deliverer())
        self.ticks.append(report)
        return report

    def deliver(self, at: datetime | None = None, **kwargs: Any) -> DeliveryReport:
        if at is not None:
            self.clock.set(at)
        return self.deliverer(**kwargs).deliver_due()

    # ---------------------------------------------------------------------------------------- data

    def member(self, slack_user_id: str, *, tz: str | None = None, **changes: Any) -> int:
        """Record a member as first contact would (profile from the fake Slack), with ``changes``."""
        user = self.slack.user(slack_user_id)
        with self.db.session() as session:
            workspace = ensure_workspace(session, TEAM_ID)
            profile = Profile(display_name=user["real_name"], tz=tz or user["tz"])
            member, _ = save_profile(session, workspace.id, slack_user_id, profile, self.clock())
            for key, value in changes.items():
                setattr(member, key, value)
            return member.id

    def workspace_id(self) -> int:
        with self.db.session() as session:
            return ensure_workspace(session, TEAM_ID).id

    def commitment(
        self, owner_id: int, due: date, text: str = "Send the signed order form", **extra: Any
    ) -> int:
        with self.db.session() as session:
            commitment = queries.create_commitment(
                session,
                self.workspace_id(),
                queries.NewCommitment(text=text, due=due, currency="USD", owner_id=owner_id, **extra),
            )
            return commitment.id

    def negotiation(self, owner_id: int, when: date | None, title: str = "Q3 renewal with Acme") -> int:
        with self.db.session() as session:
            negotiation = Negotiation(
                workspace_id=self.workspace_id(),
                owner_id=owner_id,
                title=title,
                counterpart_kind="customer",
                counterpart_name="Acme",
                date=when,
                status="planned",
                currency="USD",
            )
            session.add(negotiation)
            session.flush()
            return negotiation.id

    def get(self, commitment_id: int) -> Commitment:
        with self.db.session() as session:
            commitment = session.get(Commitment, commitment_id)
            assert commitment is not None
            session.expunge(commitment)
            return commitment

    def get_member(self, member_id: int) -> Member:
        with self.db.session() as session:
            member = session.get(Member, member_id)
            assert member is not None
            session.expunge(member)
            return member

    def outbox(self, kind: str | None = None) -> list[OutboxMessage]:
        with self.db.session() as session:
            rows = session.query(OutboxMessage).order_by(OutboxMessage.id).all()
            for row in rows:
                session.expunge(row)
        return [row for row in rows if kind is None or row.kind == kind]

    def sent(self, kind: str) -> list[tuple[str, datetime]]:
        """(recipient, when) of each delivered outbox message of ``kind``, in delivery order (other
        features' scheduled messages, e.g. weekly digests, are not counted)."""
        rows = [row for row in self.outbox(kind) if row.status == "sent" and row.sent_at is not None]
        return [(row.target, row.sent_at) for row in sorted(rows, key=lambda r: (r.sent_at, r.id))]  # type: ignore[misc]

    def texts(self, kind: str) -> dict[str, str]:
        """Recipient → text of the last delivered message of ``kind`` (as Slack received it)."""
        sent = {row.slack_ts: row.target for row in self.outbox(kind) if row.status == "sent"}
        return {
            sent[call.response["ts"]]: call.args["text"]
            for call in self.posts()
            if call.response.get("ts") in sent
        }

    def posts(self) -> list[Any]:
        """Successful chat.postMessage calls, in order."""
        return [call for call in self.slack.calls_to("chat.postMessage") if call.ok]


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(NOW)


@pytest.fixture
def world(db: Database, slack: FakeSlack, clock: MovableClock) -> Iterator[World]:
    services = Services(settings=make_settings(db, slack), db=db, clock=clock)
    parley = Parley(build_app(services, listener_executor=InlineExecutor()), services, slack)
    fake_time = FakeTime()
    gateway = SlackGateway(
        services.settings, db.engine, pacer=Pacer(fake_time.monotonic), sleep=fake_time.sleep
    )
    yield World(parley, clock, fake_time, gateway)


def utc(*args: int) -> datetime:
    from datetime import UTC

    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def hours(start: datetime, end: datetime, step: timedelta = timedelta(hours=1)) -> Iterator[datetime]:
    moment = start
    while moment <= end:
        yield moment
        moment += step
