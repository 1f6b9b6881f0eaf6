"""The demo team and its eight weeks of history, so the playground has something to show at once.

The team and its stories are data in :mod:`bot.playground.demo_team`. History is written the way it
would have been: each step runs Parley's own use-case functions (``bot.flows``: the style assessment,
prep, debrief with its ledger, trade proposals and decisions) or its storage queries (commitments
kept and lapsed) with the clock pinned at the instant it happened, so dates, audit records, analyses
and ledgers are exactly what the app would have stored. Trade requests are also announced in Slack
as they were, so Maya's DM holds the approvals waiting on her.

Each story is isolated: if one cannot be written (a feature changed under it, say), the others still
are and :class:`SeedReport` says what was skipped and why; the tests require a clean report.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.members import Actor
from bot.playground.demo_team import (
    ADMIN,
    CHANNEL_ID,
    CHANNEL_NAME,
    COUNTER_REASON,
    COUNTERPARTS,
    LEARNERS,
    MANAGER,
    NEWCOMER,
    PLAN,
    REASON,
    REJECTION,
    ROSTER,
    TRADE_STORIES,
    DemoPerson,
    TradeStory,
)
from bot.playground.wording import singular
from bot.services import Services
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN
from bot.testkit.requests import DEFAULT_TEAM_ID
from coaching.assessment import QUESTIONS
from coaching.debrief import DebriefForm
from coaching.prep import PrepForm
from coaching.samples import SAMPLES
from storage.models import Member, Workspace
from storage.queries.members import Profile, find_member, save_profile
from storage.queries.workspaces import ensure_workspace

if TYPE_CHECKING:
    from bot.playground.clock import DemoClock
    from bot.testkit.fake_slack import FakeSlack

logger = logging.getLogger(__name__)

SEEDED_KEY: Final = "playground_seeded_at"
HISTORY_WEEKS: Final = 8
ANNOUNCE_DAYS: Final = 15
ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


@dataclass
class SeedReport:
    """What the seed wrote, and every story it had to skip (with why)."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def summary(self) -> str:
        """``5 people, 1 trade expired, 2 trades approved`` — the first word is singular for one."""
        parts = [f"{n} {singular(what) if n == 1 else what}" for what, n in self.counts.items() if n]
        text = ", ".join(parts) or "nothing"
        if self.problems:
            text += f" ({len(self.problems)} stories skipped)"
        return text


@dataclass
class _Seeder:
    services: Services
    clock: DemoClock
    slack: FakeSlack | None
    now: datetime
    report: SeedReport
    workspace_id: int = 0
    actors: dict[str, Actor] = field(default_factory=dict)
    open_negotiations: dict[str, list[int]] = field(default_factory=dict)
    _serial: int = 0

    # ------------------------------------------------------------------------------------------ plumbing

    @contextmanager
    def at(self, instant: datetime) -> Iterator[Services]:
        """Services whose clock reads ``instant`` (and the fake Slack's wall clock with it)."""
        with self.clock.pinned(instant):
            yield dataclasses.replace(self.services, clock=lambda: instant)

    def key(self, what: str) -> str:
        self._serial += 1
        return f"playground-seed:{what}:{self._serial}"

    def story(self, name: str, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as error:  # one broken story must not stop the others
            logger.warning("seed story %r skipped", name, exc_info=True)
            self.report.problems.append(f"{name}: {type(error).__name__}: {str(error)[:200]}")

    def local(self, person: DemoPerson, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), ZoneInfo(person.tz)).astimezone(UTC)

    def client(self) -> WebClient | None:
        if self.slack is None:
            return None
        return WebClient(base_url=self.slack.api_url, token=DEFAULT_BOT_TOKEN)

    # ------------------------------------------------------------------------------------------ people

    def people(self) -> None:
        start = self.now - timedelta(weeks=HISTORY_WEEKS + 1)
        with self.services.db.session() as session:
            workspace = ensure_workspace(session, DEFAULT_TEAM_ID)
            workspace.name = "Example Co"
            workspace.settings = {
                **(workspace.settings or {}),
                "admins": [ADMIN.user_id],
                "fallback_approver": MANAGER.user_id,
                # The organisation roll-up: to Omar, and in the team channel for everyone.
                "executive_owner": ADMIN.user_id,
                "digest_channel": CHANNEL_ID,
            }
            self.workspace_id = workspace.id
            members: dict[str, Member] = {}
            for person in ROSTER:
                if person.role == "new":
                    continue  # recorded below, as the team import would: no profile yet
                member, _ = save_profile(
                    session,
                    workspace.id,
                    person.user_id,
                    Profile(person.name, person.tz, f"{person.handle}@example.example", person.slack_admin),
                    self.now,
                )
                member.role = person.member_role
                member.created_at = start
                members[person.user_id] = member
            newcomer = find_member(session, workspace.id, NEWCOMER.user_id)
            if newcomer is None:
                newcomer = Member(
                    workspace_id=workspace.id,
                    slack_user_id=NEWCOMER.user_id,
                    display_name=NEWCOMER.name,
                    tz=NEWCOMER.tz,
                    settings={},
                )
                session.add(newcomer)
            newcomer.role = NEWCOMER.member_role
            members[NEWCOMER.user_id] = newcomer
            session.flush()
            for person in ROSTER:
                if person.manager is not None:
                    members[person.user_id].manager_id = members[person.manager].id
            session.flush()
            self.actors = {user_id: Actor.of(member) for user_id, member in members.items()}
        self.report.add("people", len(ROSTER))

    def styles(self) -> None:
        from bot.flows.style import record_assessment

        for index, person in enumerate(ROSTER):
            if person.style is None:
                continue
            answers = {q.id: next(o.id for o in q.options if o.primary is person.style) for q in QUESTIONS}
            taken = self.local(person, (self.now - timedelta(weeks=HISTORY_WEEKS, days=-index)).date(), 10)
            with self.at(taken) as services:
                actor = self.actors[person.user_id]
                record_assessment(services, self.workspace_id, actor.member_id, answers, self.key("style"))
            self.refresh_actor(person.user_id)
            self.report.add("style assessments")

    def refresh_actor(self, user_id: str) -> None:
        with self.services.db.session() as session:
            member = find_member(session, self.workspace_id, user_id)
            assert member is not None
            self.actors[user_id] = Actor.of(member)

    # ------------------------------------------------------------------------------------------ negotiations

    def negotiations(self, person: DemoPerson) -> None:
        from bot.flows.debrief import DebriefRequest, submit_debrief
        from bot.flows.prep import submit_prep

        actor = self.actors[person.user_id]
        today = self.now.astimezone(ZoneInfo(person.tz)).date()
        first = today - timedelta(weeks=HISTORY_WEEKS) + timedelta(days=LEARNERS.index(person))
        kinds = PLAN[person.user_id]
        for number, kind in enumerate(kinds):
            sample = SAMPLES[kind]
            prepped_on = _weekday(first + timedelta(days=10 * number))
            meeting = _weekday(prepped_on + timedelta(days=3 + number % 3))
            names = COUNTERPARTS[kind]
            name = names[(number + LEARNERS.index(person)) % len(names)]
            shift = meeting - date.fromisoformat(sample.prep.date)
            form = _shifted_prep(sample.prep, shift, name)
            prepped_at = self.local(person, prepped_on, 10, 15)
            if prepped_at >= self.now:
                break
            with self.at(prepped_at) as services:
                result = submit_prep(
                    services, actor, form, negotiation_id=None, submission_key=self.key("prep")
                )
            if result.saved is None:
                raise RuntimeError(f"prep {form.title!r} was refused: {dict(result.errors)}")
            negotiation_id = result.saved.negotiation_id
            self.backdate(negotiation_id, prepped_at)
            self.report.add("preps")
            debriefed_at = self.local(person, meeting, 17, 30)
            if debriefed_at >= self.now:
                self.open_negotiations.setdefault(person.user_id, []).append(negotiation_id)
                continue
            debrief = _shifted_debrief(sample.debrief, shift, floor=meeting + timedelta(days=2))
            with self.at(debriefed_at) as services:
                outcome = submit_debrief(
                    services,
                    actor,
                    DebriefRequest(form=debrief, negotiation_id=negotiation_id),
                    submission_key=self.key("debrief"),
                )
            if outcome.saved is None:
                raise RuntimeError(f"debrief of {form.title!r} was refused: {dict(outcome.errors)}")
            self.backdate(negotiation_id, prepped_at, commitments_at=debriefed_at)
            self.report.add("debriefs")
        # One negotiation still ahead for everyone, so trades and App Home have something open.
        if not self.open_negotiations.get(person.user_id):
            kind = kinds[-1]
            meeting = _weekday(today + timedelta(days=4))
            shift = meeting - date.fromisoformat(SAMPLES[kind].prep.date)
            # a counterpart this learner has not met yet, so no open title repeats another's
            names = COUNTERPARTS[kind]
            name = names[(len(kinds) + 2 * LEARNERS.index(person)) % len(names)]
            form = _shifted_prep(SAMPLES[kind].prep, shift, name)
            prepped_at = self.now - timedelta(hours=20)
            with self.at(prepped_at) as services:
                result = submit_prep(
                    services, actor, form, negotiation_id=None, submission_key=self.key("prep")
                )
            if result.saved is None:
                raise RuntimeError(f"prep {form.title!r} was refused: {dict(result.errors)}")
            self.backdate(result.saved.negotiation_id, prepped_at)
            self.open_negotiations.setdefault(person.user_id, []).append(result.saved.negotiation_id)
            self.report.add("preps")

    def backdate(self, negotiation_id: int, at: datetime, *, commitments_at: datetime | None = None) -> None:
        """Rows whose ``created_at`` the database stamps: as of when they were written, not today."""
        from storage.models import Commitment, Negotiation, PrepPlan

        with self.services.db.session() as session:
            session.execute(
                update(Negotiation)
                .where(Negotiation.workspace_id == self.workspace_id, Negotiation.id == negotiation_id)
                .values(created_at=at)
            )
            session.execute(
                update(PrepPlan)
                .where(PrepPlan.workspace_id == self.workspace_id, PrepPlan.negotiation_id == negotiation_id)
                .values(created_at=at)
            )
            if commitments_at is not None:
                session.execute(
                    update(Commitment)
                    .where(
                        Commitment.workspace_id == self.workspace_id,
                        Commitment.negotiation_id == negotiation_id,
                    )
                    .values(created_at=commitments_at)
                )

    # ------------------------------------------------------------------------------------------ commitments

    def commitments(self) -> None:
        """Debrief commitments already due: most kept, some lapsed; plus a few due in the next days."""
        from storage.models import Commitment, Negotiation
        from storage.queries import commitments as queries

        kept = lapsed = 0
        with self.services.db.session() as session:
            rows = session.scalars(
                select(Commitment)
                .where(Commitment.workspace_id == self.workspace_id)
                .order_by(Commitment.due, Commitment.id)
            ).all()
            for index, commitment in enumerate(rows):
                if commitment.status != queries.OPEN:
                    continue
                ends = datetime.combine(commitment.due + timedelta(days=1), time(0), UTC)
                if ends > self.now:
                    continue
                if index % 4 == 3:
                    queries.mark_closed(commitment, queries.LAPSED, ends)
                    lapsed += 1
                else:
                    queries.mark_closed(commitment, queries.DONE, ends - timedelta(hours=30))
                    kept += 1
            # each filed under the owner's open negotiation and naming that negotiation's counterpart
            soon = [
                ("U0LEO", "Send {who} the revised terms", 1, None),
                ("U0NINA", "Confirm the extra day with {who}", 2, (7, 50, 400_000, "Operations")),
                ("U0RAJ", "Share the quotes for {who} with finance", 3, None),
                ("U0SOFIA", "Book the workshop room for {who}", 1, None),
                ("U0TOM", "Send the signed order form back to {who}", 0, None),
            ]
            for user_id, template, days, conditions in soon:
                negotiation_id = next(iter(self.open_negotiations.get(user_id, [])), None)
                open_with = session.get(Negotiation, negotiation_id) if negotiation_id is not None else None
                who = (open_with.counterpart_name if open_with is not None else "") or "the other side"
                text = template.format(who=who.split(" (")[0])
                actor = self.actors[user_id]
                person = next(p for p in ROSTER if p.user_id == user_id)
                due = _weekday(self.now.astimezone(ZoneInfo(person.tz)).date() + timedelta(days=days))
                notice, percent, base, charged = conditions or (None, None, None, None)
                queries.create_commitment(
                    session,
                    self.workspace_id,
                    queries.NewCommitment(
                        text=text,
                        due=due,
                        currency="USD",
                        negotiation_id=negotiation_id,
                        owner_id=actor.member_id,
                        owed_to_id=self.actors[MANAGER.user_id].member_id,
                        notice_days=notice,
                        chargeback_percent=percent,
                        chargeback_base_minor=base,
                        charged_to=charged,
                    ),
                )
        self.report.add("commitments kept", kept)
        self.report.add("commitments lapsed", lapsed)
        self.report.add("commitments due soon", 5)

    # ------------------------------------------------------------------------------------------ trades

    def trades(self) -> None:
        """One trade in every state, Maya deciding; the recent ones announced in Slack as they happened."""
        for story in TRADE_STORIES:
            self.story(f"{story.final} trade from {story.proposer}", partial(self.trade, story))

    def trade(self, story: TradeStory) -> None:
        from bot.flows.trades import Move, ProposalForm, Proposed, TermsForm, TradeRef, submit_proposal
        from bot.flows.trades_decisions import Decided, decide
        from bot.flows.trades_notifier import announce_decision, announce_request

        terms = TermsForm(
            give=story.give,
            give_cost=story.give_cost,
            get=story.get,
            get_value=story.get_value,
            reason=REASON,
        )
        negotiations = self.open_negotiations.get(story.proposer) or []
        # Slack copies of the last fortnight's requests only: older ones are long scrolled away.
        client = self.client() if story.days_ago <= ANNOUNCE_DAYS else None
        proposed_at = self.now - timedelta(days=story.days_ago)
        with self.at(proposed_at) as services:
            form = ProposalForm(terms, negotiation_id=negotiations[0] if negotiations else None)
            proposed = submit_proposal(services, self.actors[story.proposer], form, self.key("trade"))
            if not isinstance(proposed, Proposed):
                raise RuntimeError(f"the proposal was refused: {proposed}")
            self._backdate_trade(proposed.trade_id, proposed_at)
            if client is not None:
                announce_request(services, client, proposed)
        round_ = 0
        for move, days_ago, by in story.moves:
            counter = dataclasses.replace(terms, get_value=_more(terms.get_value), reason=COUNTER_REASON)
            with self.at(self.now - timedelta(days=days_ago)) as services:
                decided = decide(
                    services,
                    self.actors[by],
                    TradeRef(proposed.trade_id, round_),
                    Move(move),
                    reason=REJECTION if move == "reject" else "",
                    terms=counter if move == "counter" else None,
                )
                if not isinstance(decided, Decided):
                    raise RuntimeError(f"{move} was refused: {decided}")
                if client is not None:
                    announce_decision(services, client, decided)
            round_ += move == "counter"
        if story.final == "expired":
            self._expire(proposed.trade_id, proposed_at + timedelta(days=5))
        self.report.add(f"trades {story.final}")

    def _backdate_trade(self, trade_id: int, at: datetime) -> None:
        from storage.models import TradeProposal

        with self.services.db.session() as session:
            session.execute(
                update(TradeProposal)
                .where(TradeProposal.workspace_id == self.workspace_id, TradeProposal.id == trade_id)
                .values(created_at=at)
            )

    def _expire(self, trade_id: int, at: datetime) -> None:
        from storage.models import TradeProposal
        from storage.queries.trades import record_on_ledger

        with self.services.db.session() as session:
            trade = session.get(TradeProposal, trade_id)
            assert trade is not None and trade.workspace_id == self.workspace_id
            trade.status = "expired"
            trade.decided_at = at
            record_on_ledger(session, trade, at)

    # ------------------------------------------------------------------------------------------ all

    def run(self) -> None:
        self.people()
        self.story("style assessments", self.styles)
        for person in LEARNERS:
            self.story(f"{person.name}'s negotiations", partial(self.negotiations, person))
        self.story("commitments", self.commitments)
        self.trades()
        with self.services.db.session() as session:
            workspace = session.get(Workspace, self.workspace_id)
            assert workspace is not None
            workspace.settings = {**(workspace.settings or {}), SEEDED_KEY: self.now.isoformat()}


def add_to_slack(slack: FakeSlack) -> None:
    """The demo team's Slack accounts and the team channel, in the fake Slack."""
    for person in ROSTER:
        slack.add_user(
            person.user_id,
            name=person.handle,
            real_name=person.name,
            display_name=person.name,
            tz=person.tz,
            is_admin=person.slack_admin,
        )
    slack.add_channel(CHANNEL_ID, name=CHANNEL_NAME)


def is_seeded(services: Services) -> bool:
    with services.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.team_id == DEFAULT_TEAM_ID))
        return workspace is not None and SEEDED_KEY in (workspace.settings or {})


def seed_demo(services: Services, clock: DemoClock, slack: FakeSlack | None = None) -> SeedReport | None:
    """Seed the demo team and its history unless the database has it already (then None)."""
    if is_seeded(services):
        return None
    report = SeedReport()
    _Seeder(services, clock, slack, clock.now(), report).run()
    return report


# ---------------------------------------------------------------------------------------------- helpers


def _weekday(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _shift(text: str, by: timedelta, floor: date | None = None) -> str:
    def moved(match: re.Match[str]) -> str:
        day = date.fromisoformat(match[1]) + by
        return (max(day, floor) if floor else day).isoformat()

    return ISO_DATE.sub(moved, text)


def _shifted_prep(form: PrepForm, by: timedelta, counterpart: str) -> PrepForm:
    title = f"{form.title} — {counterpart.split(' (')[0]}"
    return dataclasses.replace(
        form,
        title=title[:120],
        counterpart_name=counterpart,
        date=_shift(form.date, by),
        **{name: _shift(getattr(form, name), by) for name in ("objectives", "limits", "tradeables", "wants")},
    )


def _shifted_debrief(form: DebriefForm, by: timedelta, *, floor: date) -> DebriefForm:
    return dataclasses.replace(form, commitments=_shift(form.commitments, by, floor))


def _more(value: str) -> str:
    digits = re.sub(r"[^\d]", "", value)
    return f"${int(digits) * 3 // 2:,}" if digits else "$1,000"
