"""The demo team's eight weeks of history, written through Parley's own flows, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, timedelta

from sqlalchemy import func, select

from bot.playground.clock import DemoClock
from bot.playground.demo_team import LEARNERS, MANAGER, NEWCOMER, ROSTER
from bot.playground.seed import add_to_slack, seed_demo
from bot.services import Services
from bot.settings import Secret, Settings, SlackMode, SlackSettings
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from coaching.styles import Style
from storage.db import Database
from storage.models import (
    AssessmentResult,
    Commitment,
    Debrief,
    LedgerEntry,
    Member,
    Negotiation,
    PrepPlan,
    TradeProposal,
    Workspace,
)
from storage.queries.trades import FINAL_STATUSES, OPEN_STATUSES
from templates.ids.trades import TradeAction
from tests.playground.conftest import START


def test_the_demo_team_and_its_history(db: Database) -> None:
    """One seed per database (it takes seconds), checked story by story, then seeded again."""
    clock = DemoClock(start=START)
    with FakeSlack(wall_clock=clock.timestamp) as slack:
        add_to_slack(slack)
        settings = Settings(
            database_url=str(db.engine.url),
            slack_api_url=slack.api_url,
            slack=SlackSettings(Secret("s"), SlackMode.SINGLE, bot_token=Secret(DEFAULT_BOT_TOKEN)),
        )
        services = Services(settings=settings, db=db, clock=clock.now)
        report = seed_demo(services, clock, slack)
        assert report is not None
        assert report.problems == [], report.problems
        check_team(services)
        check_history(services)
        check_trades(services, slack)
        check_commitments(services)
        check_counterpart_memory(services)
        check_seeding_again_changes_nothing(services, slack, clock)
        assert abs(clock.now() - START) < timedelta(minutes=5)  # the pinned instants are gone


def check_team(services: Services) -> None:
    with services.db.session() as session:
        members = {m.slack_user_id: m for m in session.scalars(select(Member))}
        assert set(members) == {p.user_id for p in ROSTER}
        assert members[MANAGER.user_id].role == "manager"
        assert sum(m.role == "admin" for m in members.values()) == 1
        learners = [members[p.user_id] for p in LEARNERS]
        assert len(learners) == 5 and {m.style for m in learners} == {s.value for s in Style}
        assert all(m.manager_id == members[MANAGER.user_id].id for m in learners)
        newcomer = members[NEWCOMER.user_id]
        assert (newcomer.style, newcomer.manager_id) == (None, members[MANAGER.user_id].id)
        assert session.scalar(select(func.count()).select_from(AssessmentResult)) == 7
        assert session.scalar(select(func.count()).select_from(Workspace)) == 1


def check_history(services: Services) -> None:
    with services.db.session() as session:
        preps = session.scalars(select(PrepPlan)).all()
        first = min(p.created_at for p in preps)
        assert START - timedelta(weeks=8, days=1) <= first.astimezone(UTC) <= START - timedelta(weeks=7)
        debriefs = session.scalars(select(Debrief)).all()
        assert len(debriefs) >= 20 and all(d.analysis for d in debriefs)
        kinds = Counter(session.scalars(select(LedgerEntry.kind)))
        assert kinds["conceded"] and kinds["held"] and kinds["offered"]
        statuses = Counter(session.scalars(select(Negotiation.status)))
        assert statuses["agreed"] >= 10 and statuses["planned"] >= len(LEARNERS)
        per_owner = Counter(session.scalars(select(Negotiation.owner_id)))
        assert len(per_owner) == len(LEARNERS)


def check_trades(services: Services, slack: FakeSlack) -> None:
    with services.db.session() as session:
        statuses = Counter(session.scalars(select(TradeProposal.status)))
    assert set(statuses) == set(OPEN_STATUSES) | set(FINAL_STATUSES)
    waiting = [
        m
        for m in slack.messages(MANAGER.user_id)
        if any(
            e.get("action_id") == TradeAction.APPROVE
            for b in m.get("blocks", [])
            for e in b.get("elements", [])
            if isinstance(e, dict)
        )
    ]
    assert len(waiting) >= statuses["pending"] == 2
    assert all(float(m["ts"]) < START.timestamp() for m in waiting)  # posted when they were proposed


def check_commitments(services: Services) -> None:
    today = START.date()
    with services.db.session() as session:
        rows = session.scalars(select(Commitment)).all()
    statuses = Counter(c.status for c in rows)
    assert statuses["done"] > statuses["lapsed"] > 0
    soon = [c for c in rows if c.status == "open" and today <= c.due <= today + timedelta(days=5)]
    assert len(soon) >= len(LEARNERS)
    assert any(c.chargeback_percent for c in soon)
    assert all(isinstance(c.due, date) for c in rows)
    with services.db.session() as session:
        negotiations = {n.id: n for n in session.scalars(select(Negotiation))}
        open_titles = [n.title for n in negotiations.values() if n.status in ("planned", "paused")]
    assert len(open_titles) == len(set(open_titles)), f"an open negotiation's name repeats: {open_titles}"
    added = [c for c in soon if c.source == "manual"]  # the seed's own "due soon" ones
    assert len(added) == len(LEARNERS)
    for c in added:  # filed under its own counterpart's negotiation, and naming that counterpart
        assert c.negotiation_id is not None
        who = negotiations[c.negotiation_id].counterpart_name.split(" (")[0]
        assert who in c.text, (c.text, who)


def test_the_seed_summary_counts_in_words() -> None:
    from bot.playground.seed import SeedReport

    report = SeedReport()
    report.add("trades expired")
    report.add("trades approved", 2)
    report.add("people", 1)
    assert report.summary() == "1 trade expired, 2 trades approved, 1 person"


def check_seeding_again_changes_nothing(services: Services, slack: FakeSlack, clock: DemoClock) -> None:

    def counts() -> tuple[int, ...]:
        with services.db.session() as session:
            return tuple(
                session.scalar(select(func.count()).select_from(model))
                for model in (Member, Negotiation, Debrief, LedgerEntry, Commitment, TradeProposal)
            )

    before = counts()
    assert seed_demo(services, clock, slack) is None
    assert counts() == before


def check_counterpart_memory(services: Services) -> None:
    """Northwind comes back typed differently: one counterpart with its history, and a new prep with
    them recalls it and ranks the customer sample's trades by what worked (the tour shows both)."""
    import dataclasses

    from bot.flows.prep import plan_now, submit_prep
    from bot.members import Actor
    from coaching.counterparts import CounterpartKind
    from coaching.samples import SAMPLES
    from storage.models import Counterpart

    with services.db.session() as session:
        northwind = [c for c in session.scalars(select(Counterpart)) if c.key == "northwind"]
        assert len(northwind) == 1
        deals = session.scalar(
            select(func.count()).select_from(Negotiation).where(Negotiation.counterpart_id == northwind[0].id)
        )
        assert deals is not None and deals >= 3
    with services.db.session() as session:
        member = session.scalar(select(Member).where(Member.slack_user_id == LEARNERS[0].user_id))
        assert member is not None
        actor = Actor.of(member)
    form = dataclasses.replace(
        SAMPLES[CounterpartKind.CUSTOMER].prep,
        counterpart_name="NORTHWIND LIMITED",
        date=(services.clock().date() + timedelta(days=7)).isoformat(),
    )
    result = submit_prep(services, actor, form, negotiation_id=None, submission_key="tour-northwind")
    assert result.saved is not None
    with services.db.read() as session:  # what the plan message says, built as its delivery builds it
        now = plan_now(session, services, actor.workspace_id, result.saved.negotiation_id)
    assert now is not None and now.known is not None and now.ranking is not None
    assert now.known.deals >= 3 and now.known.card_line
    assert now.ranking.by_evidence, now.ranking.note
