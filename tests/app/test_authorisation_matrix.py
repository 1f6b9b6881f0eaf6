"""The authorisation matrix: every action × every role → allowed or denied, on both databases.

Through signed requests to the real Bolt app against the strict fake Slack. The world (the ``team``
fixture of ``test_trade_kit``): Alice reports to Bob, Bob to Dana; Carol is a peer; Erin is a Slack
admin of the workspace; Mallory is an admin of *another* workspace (T0OTHER, admin as Parley records
her), so a check of "is an admin" without "of which workspace" would show here. What is acted on is
always Alice's (her trade, her commitment, her negotiation, her week, her manager):

    owner     Alice      the person it belongs to (the trade's proposer)
    manager   Bob        Alice's manager: the designated approver of her trades
    admin     Erin       a Slack admin of the same workspace
    stranger  Carol      another member of the same workspace
    other     Mallory    an admin of another workspace, clicking a copy of Alice's button

The rules (DESIGN §5; ``trades_decisions._may_act``, ``commitments_changes``, ``prep.owned_negotiation``,
``digests/requests.preview_digest``, ``team.save_team``): only the approver or an admin decides a trade
(approve, reject, counter), never its proposer; only the proposer accepts a counter or withdraws; a
commitment is marked done by whoever answers for it (or whom it is owed to), snoozed and cancelled by
them alone; a prep is edited and debriefed by its owner alone; a team digest is a manager's (of their
reports), the organisation roll-up is for admins (and the executive owner); only an admin changes
someone's manager (a member sets their own once, and Alice's is already set). A member of another
workspace never reaches anything of this one: what she may do (``OWN``) she does over her own
workspace only.

Every cell asserts the outcome precisely. Allowed: the state changed as expected. Denied: the person
gets the refusal with its exact wording (an ephemeral's text, or the modal's field error), no row of
the workspace changed (every table compared before and after), nothing was posted, updated, published
or opened, and nobody else was sent anything. ``OWN``: what she got is about her workspace alone, and
no row of this one changed.
"""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from slack_bolt import BoltResponse
from sqlalchemy import select

from bot.testkit import requests as slack_requests
from storage.base import Base
from storage.models import Commitment, Debrief, Member, Negotiation, Workspace
from storage.queries.assessments import mark_welcomed
from storage.queries.workspaces import find_workspace
from templates import render_view
from templates.ids.commitments import CommitAction, CommitCallback
from templates.ids.negotiation import NegotiationAction
from templates.ids.team import TeamBlock
from templates.ids.trades import TradeAction, TradeBlock
from tests.app.conftest import NOW, response_json
from tests.app.test_debrief import GOOD, debrief_values, open_from_button
from tests.app.test_prep import CUSTOMER, plan_messages, prep, prep_values
from tests.app.test_trade_kit import TEAM, Desk, desk, team, text_of  # noqa: F401
from tests.scheduling.test_commit_actions import card_of, record, snooze_value

ROLES = ("owner", "manager", "admin", "stranger", "other")
Y, N = "allowed", "denied"
OWN = "own workspace"  # allowed over their own workspace only: nothing of this one touched or shown

# fmt: off
MATRIX: dict[str, tuple[str, str, str, str, str]] = {
    #                            owner  manager  admin  stranger  other workspace
    "trade approve":            (N,     Y,       Y,     N,        N),
    "trade reject":             (N,     Y,       Y,     N,        N),
    "trade counter":            (N,     Y,       Y,     N,        N),
    "trade withdraw":           (Y,     N,       N,     N,        N),
    "trade accept":             (Y,     N,       N,     N,        N),
    "commitment done":          (Y,     N,       N,     N,        N),
    "commitment snooze":        (Y,     N,       N,     N,        N),
    "commitment cancel":        (Y,     N,       N,     N,        N),
    "prep edit":                (Y,     N,       N,     N,        N),
    "debrief (button)":         (Y,     N,       N,     N,        N),
    "debrief (submitted for)":  (Y,     N,       N,     N,        N),
    "digest team":              (N,     Y,       N,     N,        N),
    "digest org":               (N,     N,       Y,     N,        OWN),
    "team change":              (N,     N,       Y,     N,        OWN),
}
# fmt: on

USERS = {
    "owner": "U0ALICE",
    "manager": "U0BOB",
    "admin": "U0ERIN",
    "stranger": "U0CAROL",
    "other": "U0MALLORY",
}
OTHER_TEAM = "T0OTHER"

# The refusals, word for word (an ephemeral's ``text``, or a modal's field error).
NOT_YOURS_TO_DECIDE = "Not yours to decide: nothing was changed."
# The proposer's own Counter on a request that waits on the approver: it is not theirs to move.
MOVED_ON = "This request has moved on: nothing was changed."
PREP_NOT_YOURS = (
    "That negotiation isn't yours: only the person who prepared it can edit its prep or log its debrief. "
    "Nothing was changed."
)
NO_SUCH_NEGOTIATION = "That negotiation no longer exists in Parley."
DONE_REFUSED = "Only the person who owns this commitment, or the person it is owed to, can mark it done."
SNOOZE_REFUSED = "Only the person who answers for this commitment can snooze its reminders."
CANCEL_REFUSED = "Only the person who answers for this commitment can cancel it."
NO_SUCH_COMMITMENT = "That commitment no longer exists."
NO_TEAM = (
    "No digest to show: Nobody reports to you in Parley, so there is no team digest. "
    "An admin sets who reports to whom with `/negotiate team`."
)
NO_ORG = "No digest to show: The organisation roll-up is for the executive owner and admins."
ONLY_ADMIN = "Only an admin can set someone else's manager."
ALREADY_SET = "Your manager is already set: ask an admin to change it."

# Slack methods that show something to someone or change what they see: none may follow a refusal.
VISIBLE = {
    "chat.postMessage", "chat.update", "chat.delete", "chat.scheduleMessage", "views.open", "views.push",
    "views.update", "views.publish", "files.upload", "files.completeUploadExternal",
}  # fmt: skip


@dataclass
class World:
    desk: Desk
    role: str

    @property
    def user(self) -> str:
        return USERS[self.role]

    @property
    def team_id(self) -> str:
        return OTHER_TEAM if self.role == "other" else TEAM

    def click(self, action: str, message: dict[str, Any], **kw: Any) -> BoltResponse:
        """The role clicks ``action`` on a copy of ``message`` in their own DM (Mallory's is in her
        own workspace): a forwarded or forged copy, as only the payload's user and team are trusted."""
        slack = self.desk.slack
        channel = slack.dm_channel(self.user)
        return self.desk.parley.send(
            slack_requests.block_actions(
                user_id=self.user,
                team_id=self.team_id,
                trigger_id=slack.issue_trigger_id(self.user),
                action_id=action,
                message=message,
                channel_id=channel,
                response_url=slack.issue_response_url(channel, self.user, message_ts=message.get("ts")),
                **kw,
            )
        )

    def submit(self, view: dict[str, Any], values: dict[str, Any]) -> BoltResponse:
        return self.desk.parley.send(
            slack_requests.view_submission(view, values, user_id=self.user, team_id=self.team_id)
        )

    def command(self, text: str) -> BoltResponse:
        slack = self.desk.slack
        channel = slack.dm_channel(self.user)
        return self.desk.parley.send(
            slack_requests.slash_command(
                user_id=self.user,
                team_id=self.team_id,
                channel_id=channel,
                text=text,
                trigger_id=slack.issue_trigger_id(self.user),
                response_url=slack.issue_response_url(channel, self.user),
            )
        )

    def ephemerals(self) -> list[str]:
        return [e.get("text", "") for e in self.desk.slack.ephemerals(user=self.user)]


# ------------------------------------------------------------------------------------------ snapshots


def workspace_rows(desk: Desk) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that belongs to the workspace (or to no workspace), by table."""
    with desk.db.session() as session:
        workspace = find_workspace(session, TEAM)
        assert workspace is not None
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            query = select(table)
            if "workspace_id" in table.c:
                query = query.where(table.c.workspace_id == workspace.id)
            elif table.name == Workspace.__tablename__:
                query = query.where(table.c.id == workspace.id)
            rows[table.name] = sorted((tuple(row) for row in session.execute(query)), key=repr)
        return rows


def changes(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
) -> dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """The rows each table lost and gained (empty when nothing changed)."""
    return {
        table: ([r for r in rows if r not in after[table]], [r for r in after[table] if r not in rows])
        for table, rows in before.items()
        if rows != after[table]
    }


def seen_by_others(desk: Desk, actor: str) -> dict[str, Any]:
    """What everyone but ``actor`` has in Slack: their DMs, the channel, their ephemerals and modals."""
    slack = desk.slack
    others = [u for u in USERS.values() if u != actor] + ["U0DANA"]
    return {
        "dms": {u: slack.messages(slack.dm_channel(u)) for u in others},
        "general": slack.messages("C0GENERAL"),
        "ephemerals": [e for e in slack.ephemerals() if e["recipient"] != actor],
        "views": {u: slack.open_views(u) for u in others},
    }


# ------------------------------------------------------------------------------------------ the actions
#
# Each action: ``arrange(desk) -> subject`` (as the owner, before anyone acts), ``act(world, subject)``
# (the role's requests; returns the refusal it got, or None), ``changed(desk, subject)`` (the allowed
# outcome, asserted), and the exact refusal each denied role gets.


@dataclass(frozen=True)
class Action:
    arrange: Callable[[Desk], Any]
    act: Callable[[World, Any], str | None]
    changed: Callable[[Desk, Any, str], None]
    refusal: Callable[[str], str]
    # what the role does first, before the snapshot (opening their own modal): returns the subject
    prepare: Callable[[World, Any], Any] | None = None
    # for an ``OWN`` cell: what the actor got, about their own workspace only
    own: Callable[[Desk], None] | None = None


def last_ephemeral(world: World, before: int) -> str | None:
    told = world.ephemerals()[before:]
    assert len(told) <= 1, told
    return told[0] if told else None


def field_error(response: BoltResponse) -> str | None:
    body = response_json(response)
    if body.get("response_action") != "errors":
        return None
    errors = list(body["errors"].values())
    assert len(errors) == 1, errors
    return str(errors[0])


# -- trades


def pending_trade(desk: Desk) -> dict[str, Any]:
    desk.propose()
    return desk.copy("U0BOB")


def countered_trade(desk: Desk) -> dict[str, Any]:
    desk.propose()
    desk.click(TradeAction.COUNTER, "U0BOB", desk.copy("U0BOB"))
    desk.parley.submit({TradeBlock.GIVE: "one extra coaching session"}, user_id="U0BOB")
    return desk.copy("U0ALICE")


def click_trade(
    action: str, then: Callable[[World], None] | None = None
) -> Callable[[World, Any], str | None]:
    def act(world: World, message: dict[str, Any]) -> str | None:
        before = len(world.ephemerals())
        views = len(world.desk.slack.open_views(world.user))
        world.click(action, message)
        refusal = last_ephemeral(world, before)
        if refusal is None and then is not None:
            assert len(world.desk.slack.open_views(world.user)) == views + 1
            then(world)
        return refusal

    return act


def decided(status: str) -> Callable[[Desk, Any, str], None]:
    def check(desk: Desk, _subject: Any, role: str) -> None:
        trade = desk.trade()
        assert trade.status == status
        assert trade.decided_by_id == desk.meet(USERS[role])[USERS[role]]

    return check


def reject_reason(world: World) -> None:
    world.desk.parley.submit({TradeBlock.REJECT_REASON: "Too rich for us"}, user_id=world.user)


def counter_terms(world: World) -> None:
    world.desk.parley.submit({TradeBlock.GIVE: "half a coaching session"}, user_id=world.user)


def countered_by(desk: Desk, _subject: Any, role: str) -> None:
    trade = desk.trade()
    assert (trade.status, trade.rounds, trade.give_item) == ("countered", 1, "half a coaching session")
    assert desk.actions(trade.id)[-2:] == ["trade.countered", "trade.checked"]
    assert desk.audit(trade.id)[-2].actor_id == desk.meet(USERS[role])[USERS[role]]


def trade_refusal(_role: str) -> str:
    return NOT_YOURS_TO_DECIDE


# -- commitments


def commitment_card(desk: Desk) -> dict[str, Any]:
    return record(desk)  # type: ignore[arg-type]  # record() only uses .parley


def only_commitment(desk: Desk) -> Commitment:
    with desk.db.session() as session:
        (row,) = session.scalars(select(Commitment))
        session.expunge(row)
        return row


def click_commitment(action: str) -> Callable[[World, Any], str | None]:
    def act(world: World, card: dict[str, Any]) -> str | None:
        before = len(world.ephemerals())
        extra = {"value": snooze_value(card, "week")} if action == CommitAction.SNOOZE else {}
        world.click(action, card, **extra)
        refusal = last_ephemeral(world, before)
        if refusal is None and action == CommitAction.CANCEL:
            view = world.desk.parley.open_view(world.user)
            assert view["callback_id"] == CommitCallback.CANCEL
            assert only_commitment(world.desk).status == "open"  # nothing happens before confirming
            assert response_json(world.submit(view, {})) == {}
        return refusal

    return act


def commitment_status(status: str) -> Callable[[Desk, Any, str], None]:
    def check(desk: Desk, card: dict[str, Any], _role: str) -> None:
        assert only_commitment(desk).status == status
        assert card_of(desk).get("edited")  # type: ignore[arg-type]

    return check


def snoozed(desk: Desk, _card: Any, _role: str) -> None:
    row = only_commitment(desk)
    assert row.status == "open" and row.snoozed_until is not None


def commitment_refusal(wording: str) -> Callable[[str], str]:
    def refusal(role: str) -> str:
        return f"Nothing changed: {NO_SUCH_COMMITMENT if role == 'other' else wording}"

    return refusal


# -- prep and debrief


def alices_plan(desk: Desk) -> dict[str, Any]:
    return prep(desk.parley)


def negotiation_refusal(title: str) -> Callable[[str], str]:
    def refusal(role: str) -> str:
        return f"{title}: {NO_SUCH_NEGOTIATION if role == 'other' else PREP_NOT_YOURS}"

    return refusal


def click_plan(action: str, values: dict[str, Any]) -> Callable[[World, Any], str | None]:
    def act(world: World, plan: dict[str, Any]) -> str | None:
        before = len(world.ephemerals())
        world.click(action, plan)
        refusal = last_ephemeral(world, before)
        if refusal is None:
            response = world.desk.parley.submit(values, user_id=world.user)
            assert response_json(response) == {}, response.body
        return refusal

    return act


def prep_edited(desk: Desk, _plan: Any, _role: str) -> None:
    with desk.db.session() as session:
        (negotiation,) = session.scalars(select(Negotiation))
        assert negotiation.title == "Renewal pricing, revised"
    assert len(plan_messages(desk.parley)) == 1  # updated in place


def debriefed(desk: Desk, _plan: Any, _role: str) -> None:
    with desk.db.session() as session:
        (debrief,) = session.scalars(select(Debrief))
        (negotiation,) = session.scalars(select(Negotiation))
        assert debrief.negotiation_id == negotiation.id and negotiation.status == "agreed"


def own_debrief_modal(world: World, _plan: Any) -> dict[str, Any]:
    """The role's own ``/negotiate debrief`` modal, its metadata naming Alice's negotiation."""
    with world.desk.db.session() as session:
        (alices,) = session.scalars(select(Negotiation))
        negotiation_id = alices.id
    # Mallory's workspace has no installation in this fake Slack, so her modal cannot open here: she
    # submits a copy of Carol's, as Slack would report it from her workspace (its own id and team).
    opener = "stranger" if world.role == "other" else world.role
    World(world.desk, opener).command("debrief")
    view = world.desk.parley.open_view(USERS[opener])
    if world.role == "other":
        view = {k: v for k, v in view.items() if k not in ("id", "team_id", "app_installed_team_id")}
    channel = world.desk.slack.dm_channel(world.user)
    view["private_metadata"] = f'{{"channel_id":"{channel}","negotiation_id":{negotiation_id}}}'
    return view


def submit_debrief_for_alices(world: World, view: dict[str, Any]) -> str | None:
    return field_error(world.submit(view, debrief_values(GOOD)))


def debrief_submit_refusal(role: str) -> str:
    return NO_SUCH_NEGOTIATION if role == "other" else PREP_NOT_YOURS


# -- digests


def digest_world(desk: Desk) -> None:
    """Alice's week: a negotiation prepared and debriefed (what a digest shows, or keeps from others)."""
    plan = prep(desk.parley)
    open_from_button(desk.parley, plan)
    assert response_json(desk.parley.submit(debrief_values(GOOD))) == {}


def ask_digest(which: str) -> Callable[[World, Any], str | None]:
    def act(world: World, _subject: Any) -> str | None:
        before = len(world.ephemerals())
        world.command(f"digest {which}")
        (shown,) = world.ephemerals()[before:]
        return shown if shown.startswith("No digest to show") else None

    return act


def shown_to(desk: Desk, role: str) -> tuple[str, str]:
    shown = desk.slack.ephemerals(user=USERS[role])[-1]
    return shown["text"], str(shown["blocks"])


def team_digest_shown(desk: Desk, _subject: Any, role: str) -> None:
    text, blocks = shown_to(desk, role)
    assert text == (
        "Team of bob: the week so far (since Mon 23 Nov 2026): 1 report, 1 active: 1 negotiation: 1 agreed."
    )
    assert "alice              1/1    1.4×" in blocks  # Alice's row, her report's week


def org_digest_shown(desk: Desk, _subject: Any, role: str) -> None:
    text, blocks = shown_to(desk, role)
    assert text == (
        "Your organisation: where the organisation left money behind (since Mon 23 Nov 2026): "
        "1 negotiation: 1 agreed; 12,500 USD left behind."
    )
    assert "since Mon 23 Nov 2026 · 5 members" in blocks  # this workspace's five, not Mallory


# -- the team


def change_alices_manager(world: World, _subject: Any) -> str | None:
    """The admin form (as an admin's modal shows it) submitted naming Alice and a new manager."""
    form = render_view(
        "views/team_set",
        is_admin=True,
        can_edit=True,
        member="U0ALICE",
        manager="U0BOB",
        fallback="",
        admins=[],
    )
    form["blocks"] = [b for b in form["blocks"] if b.get("block_id") != TeamBlock.FALLBACK]
    return field_error(world.submit(form, {TeamBlock.MEMBER: "U0ALICE", TeamBlock.MANAGER: "U0DANA"}))


def alices_manager_is_dana(desk: Desk, _subject: Any, _role: str) -> None:
    ids = desk.meet("U0ALICE", "U0DANA")
    with desk.db.session() as session:
        alice = session.get(Member, ids["U0ALICE"])
        assert alice is not None and alice.manager_id == ids["U0DANA"]
    (event,) = [e for e in desk.audit() if e.action == "team.manager_set"]
    assert (event.detail["before"], event.detail["after"]) == ("U0BOB", "U0DANA")


def her_own_org(desk: Desk) -> None:
    """Mallory's roll-up is her workspace's: one member (her), none of Alice's negotiation."""
    text, blocks = shown_to(desk, "other")
    assert text == (
        "Your organisation: where the organisation left money behind (since Mon 23 Nov 2026): "
        "No negotiations logged."
    )
    assert "since Mon 23 Nov 2026 · 1 members" in blocks


def her_own_team(desk: Desk) -> None:
    """Mallory set "U0ALICE"'s manager in her own workspace: rows of T0OTHER, none of this one."""
    with desk.db.session() as session:
        other = find_workspace(session, OTHER_TEAM)
        assert other is not None
        theirs = {m.id: m for m in session.scalars(select(Member).where(Member.workspace_id == other.id))}
        alice = next(m for m in theirs.values() if m.slack_user_id == "U0ALICE")
        assert alice.manager_id is not None and theirs[alice.manager_id].slack_user_id == "U0DANA"
    (event,) = [e for e in desk.audit() if e.action == "team.manager_set"]
    assert event.workspace_id == other.id


def team_refusal(role: str) -> str:
    return ALREADY_SET if role == "owner" else ONLY_ADMIN


EDIT = {**prep_values(dataclasses.replace(CUSTOMER, title="Renewal pricing, revised"))}

ACTIONS: dict[str, Action] = {
    "trade approve": Action(
        pending_trade, click_trade(TradeAction.APPROVE), decided("approved"), trade_refusal
    ),
    "trade reject": Action(
        pending_trade, click_trade(TradeAction.REJECT, reject_reason), decided("rejected"), trade_refusal
    ),
    "trade counter": Action(
        pending_trade,
        click_trade(TradeAction.COUNTER, counter_terms),
        countered_by,
        lambda role: MOVED_ON if role == "owner" else NOT_YOURS_TO_DECIDE,
    ),
    "trade withdraw": Action(
        lambda d: (pending_trade(d), d.copy("U0ALICE"))[1],
        click_trade(TradeAction.WITHDRAW),
        decided("withdrawn"),
        trade_refusal,
    ),
    "trade accept": Action(
        countered_trade, click_trade(TradeAction.ACCEPT), decided("accepted"), trade_refusal
    ),
    "commitment done": Action(
        commitment_card,
        click_commitment(CommitAction.DONE),
        commitment_status("done"),
        commitment_refusal(DONE_REFUSED),
    ),
    "commitment snooze": Action(
        commitment_card, click_commitment(CommitAction.SNOOZE), snoozed, commitment_refusal(SNOOZE_REFUSED)
    ),
    "commitment cancel": Action(
        commitment_card,
        click_commitment(CommitAction.CANCEL),
        commitment_status("cancelled"),
        commitment_refusal(CANCEL_REFUSED),
    ),
    "prep edit": Action(
        alices_plan,
        click_plan(NegotiationAction.EDIT_PREP, EDIT),
        prep_edited,
        negotiation_refusal("You can't edit this prep"),
    ),
    "debrief (button)": Action(
        alices_plan,
        click_plan(NegotiationAction.LOG_DEBRIEF, debrief_values(GOOD)),
        debriefed,
        negotiation_refusal("You can't log a debrief for this"),
    ),
    "debrief (submitted for)": Action(
        alices_plan, submit_debrief_for_alices, debriefed, debrief_submit_refusal, own_debrief_modal
    ),
    "digest team": Action(digest_world, ask_digest("team"), team_digest_shown, lambda r: NO_TEAM),
    "digest org": Action(
        digest_world, ask_digest("org"), org_digest_shown, lambda r: NO_ORG, own=her_own_org
    ),
    "team change": Action(
        alices_plan, change_alices_manager, alices_manager_is_dana, team_refusal, own=her_own_team
    ),
}

CASES = [
    pytest.param(action, role, outcome, id=f"{action}-{role}-{outcome}")
    for action, outcomes in MATRIX.items()
    for role, outcome in zip(ROLES, outcomes, strict=True)
]


def test_the_matrix_names_every_action() -> None:
    assert set(MATRIX) == set(ACTIONS)


@pytest.fixture
def matrix(team: Desk) -> Desk:
    """The team, plus Mallory (an admin of another workspace); everyone already welcomed, since the
    first-contact welcome (a DM, a settings row) is not what is tested."""
    team.slack.add_team(OTHER_TEAM, bot_token="xoxb-other")
    team.slack.add_user("U0MALLORY", team_id=OTHER_TEAM, name="mallory", is_admin=True)
    team.meet("U0MALLORY", team_id=OTHER_TEAM)
    with team.db.session() as session:
        for member in session.scalars(select(Member)):
            mark_welcomed(session, member.workspace_id, member.id, NOW)
            if member.slack_user_id == "U0MALLORY":  # this app's token cannot read her profile
                member.is_slack_admin, member.role = True, "admin"
    return team


@pytest.mark.parametrize(("action", "role", "outcome"), CASES)
def test_authorisation(matrix: Desk, action: str, role: str, outcome: str) -> None:
    team = matrix
    spec = ACTIONS[action]
    world = World(team, role)
    subject = spec.arrange(team)
    if spec.prepare is not None:
        subject = spec.prepare(world, subject)
    rows, others, calls = workspace_rows(team), seen_by_others(team, world.user), len(team.slack.calls)

    refusal = spec.act(world, subject)

    if outcome == Y:
        assert refusal is None, f"{role} was refused: {refusal}"
        spec.changed(team, subject, role)
        return
    if outcome == OWN:
        assert refusal is None and spec.own is not None
        spec.own(team)
    else:
        assert refusal == spec.refusal(role)
    assert changes(rows, workspace_rows(team)) == {}
    assert seen_by_others(team, world.user) == others
    visible = [(c.method, c.args.get("user_id")) for c in team.slack.calls[calls:] if c.method in VISIBLE]
    if outcome == OWN and action == "team change":
        # Her change refreshes the Home tabs of the two people she named in her workspace. Built from
        # her workspace alone (nothing of this one goes out), but published with the app's one token:
        # in single-workspace mode that is this workspace's, so Alice's Home here shows her empty one
        # until she opens it again (README, "Limits"). In OAuth mode her workspace's token is used.
        assert visible == [("views.publish", "U0ALICE"), ("views.publish", "U0DANA")]
        published = str(team.slack.home("U0ALICE"))
        assert "No open negotiations" in published and "Renewal pricing" not in published
        return
    assert visible == []
