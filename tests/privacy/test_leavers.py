"""People who leave: Slack's `user_change` (deleted) through the app, and `users.info` saying so."""

from __future__ import annotations

from datetime import date, timedelta

from slack_sdk import WebClient
from sqlalchemy import select

from bot.members import record_members
from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN
from storage.models import AuditEvent, Member, OutboxMessage, TradeProposal, Workspace
from tests.privacy.conftest import mentions
from tests.scheduling.conftest import TEAM_ID, World


def _team(world: World, *, fallback: bool = True) -> tuple[int, int, int]:
    world.slack.add_user("U0CAROL", real_name="Carol Fallback", tz="Europe/London")
    bob = world.member("U0BOB")
    alice = world.member("U0ALICE", manager_id=bob)
    world.member("U0CAROL")
    with world.db.session() as session:
        workspace = session.get(Workspace, world.workspace_id())
        assert workspace is not None
        if fallback:
            workspace.settings = {**workspace.settings, "fallback_approver": "U0CAROL"}
        trade = TradeProposal(
            workspace_id=workspace.id, requester_id=alice, approver_id=bob, get_item="Two-year term",
            get_value_minor=5000, give_item="5% off", give_cost_minor=2000, currency="USD", reason="closing",
            status="pending", checks=[], turn_started_at=world.clock(),
        )  # fmt: skip
        session.add(trade)
        session.add(
            OutboxMessage(
                workspace_id=workspace.id, kind="notice", target="U0BOB",
                payload={"text": "soon", "blocks": []},
                due_at=world.clock() + timedelta(hours=1), dedupe_key="test:bob:pending",
            )
        )  # fmt: skip
        session.flush()
        return alice, bob, trade.id


def _leave(world: World, user_id: str = "U0BOB") -> None:
    user = world.slack.deactivate_user(user_id)
    assert world.parley.send(slack_requests.user_change(user)).status == 200


def _bob_dm_posts(world: World) -> list[object]:
    dm = world.slack.dm_channel("U0BOB")
    return [c for c in world.slack.calls_to("chat.postMessage") if c.ok and c.args.get("channel") == dm]


def test_a_deactivated_approver_stops_getting_messages_and_their_approvals_move(world: World) -> None:
    alice, bob, trade_id = _team(world)
    world.commitment(bob, date(2026, 11, 24), text="Send Acme the order form")  # would be nudged
    _leave(world)
    with world.db.session() as session:
        member = session.get(Member, bob)
        assert member is not None and member.left_at == world.clock()
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.target == "U0BOB")).one()
        assert (row.status, row.last_error) == ("skipped", "the recipient left Slack")
        trade = session.get(TradeProposal, trade_id)
        assert trade is not None and trade.approver_id != bob
        carol = session.scalars(select(Member).where(Member.slack_user_id == "U0CAROL")).one()
        assert trade.approver_id == carol.id
        assert trade.slack_channel == world.slack.dm_channel("U0CAROL")  # the new approver's copy
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"member.left", "trade.reassigned"} <= actions
    carol_dm = world.slack.messages(world.slack.dm_channel("U0CAROL"))
    assert any("5% off" in str(m.get("blocks")) for m in carol_dm)
    alice_dm = [m["text"] for m in world.slack.messages(world.slack.dm_channel("U0ALICE"))]
    # the name is the one Slack's user object gives (user_change refreshes the profile first)
    assert any("has left Slack, so Carol Fallback decides" in text for text in alice_dm)
    home = world.slack.home("U0ALICE")
    assert home is not None and "Your manager is missing" in str(home["blocks"])
    # A week of ticks: nudges and digests due for Bob are skipped, never sent.
    afternoon = world.clock().replace(hour=16)  # inside Bob's working hours in New York
    for day in range(7):
        world.tick(afternoon + timedelta(days=day))
    assert _bob_dm_posts(world) == []
    nudges = [row for row in world.outbox("nudge") if row.target == "U0BOB"]
    assert nudges and {row.status for row in nudges} == {"skipped"}
    assert not [row for row in world.outbox() if row.target == "U0BOB" and row.status == "sent"]
    _leave(world)  # Slack resends: nothing moves twice
    with world.db.session() as session:
        moved = session.scalars(select(AuditEvent).where(AuditEvent.action == "trade.reassigned")).all()
        assert len(moved) == 1
    assert alice


def test_without_a_fallback_an_admin_takes_the_approvals(world: World) -> None:
    world.slack.add_user("U0DAN", real_name="Dan Admin", tz="Europe/London")
    world.member("U0DAN", role="admin")
    _, _, trade_id = _team(world, fallback=False)
    _leave(world)
    with world.db.session() as session:
        trade = session.get(TradeProposal, trade_id)
        dan = session.scalars(select(Member).where(Member.slack_user_id == "U0DAN")).one()
        assert trade is not None and trade.approver_id == dan.id
    assert world.slack.messages(world.slack.dm_channel("U0DAN"))


def test_users_info_saying_deactivated_is_a_leaver_too(world: World) -> None:
    alice, bob, trade_id = _team(world)
    world.slack.deactivate_user("U0BOB")  # no event: Parley learns it from users.info
    world.clock.set(world.clock() + timedelta(days=2))  # the cached profile is stale
    client = WebClient(token=DEFAULT_BOT_TOKEN, base_url=world.slack.api_url)
    record_members(world.services, client, TEAM_ID, ["U0BOB"], None)
    assert world.get_member(bob).left_at is not None
    world.tick(world.clock())
    with world.db.session() as session:
        trade = session.get(TradeProposal, trade_id)
        assert trade is not None and trade.approver_id != bob
    assert any("has left Slack" in m["text"] for m in world.slack.messages(world.slack.dm_channel("U0ALICE")))
    assert alice


def test_the_anonymise_policy_erases_a_leaver_after_the_days_set(world: World) -> None:
    _team(world)
    with world.db.session() as session:
        workspace = session.get(Workspace, world.workspace_id())
        assert workspace is not None
        workspace.settings = {**workspace.settings, "leaver_policy": "anonymise", "leaver_anonymise_days": 30}
    left_at = world.clock()
    _leave(world)
    world.tick(left_at + timedelta(days=29))
    assert mentions(world.db.engine, ["U0BOB"]) != []
    world.tick(left_at + timedelta(days=30))
    assert mentions(world.db.engine, ["U0BOB", "Bob Manager"]) == []


def test_keep_is_the_default_and_a_reactivated_member_is_back(world: World) -> None:
    _, bob, _ = _team(world)
    _leave(world)
    world.tick(world.clock() + timedelta(days=90))
    assert world.get_member(bob).erased_at is None  # "keep": nothing erased
    user = world.slack.user("U0BOB")
    assert world.parley.send(slack_requests.user_change({**user, "deleted": False})).status == 200
    assert world.get_member(bob).left_at is None


def test_a_user_change_for_someone_parley_never_met_changes_nothing(world: World) -> None:
    world.slack.add_user("U0STRANGER", real_name="Stranger")
    user = world.slack.deactivate_user("U0STRANGER")
    assert world.parley.send(slack_requests.user_change(user)).status == 200
    with world.db.session() as session:
        assert session.scalars(select(Member.slack_user_id)).all() == []


def test_delivery_skips_a_row_enqueued_for_someone_who_has_left(world: World) -> None:
    _, bob, _ = _team(world)
    _leave(world)
    with world.db.session() as session:  # a feature enqueues for Bob after he left (a race, or a bug)
        session.add(
            OutboxMessage(
                workspace_id=world.workspace_id(), kind="notice", target="U0BOB",
                payload={"text": "late", "blocks": []}, due_at=world.clock(), dedupe_key="test:bob:late",
            )
        )  # fmt: skip
    report = world.deliver()
    assert report.skipped == 1 and report.sent == 0
    assert _bob_dm_posts(world) == []
    assert bob


def test_with_nobody_to_take_the_approval_the_proposer_is_told_how_in_slacks_own_formatting(
    world: World,
) -> None:
    """Item 5: the app's `/negotiate team` is a code span; the leaver's name (people's words) is plain."""
    from bot.testkit.mrkdwn_display import runs

    world.slack.add_user("U0BOB", name="Bob *the* `boss`", real_name="Bob *the* `boss`", tz="Europe/London")
    _team(world, fallback=False)
    _leave(world)
    [note] = [m for m in world.slack.messages(world.slack.dm_channel("U0ALICE")) if "moved" in m["text"]]
    shown = [run for block in note["blocks"] for run in runs(str(block.get("text", {}).get("text", "")))]
    assert any(run.text == "/negotiate team" and run.styles == {"code"} for run in shown), shown
    assert any("Bob *the* `boss` has left Slack" in run.text and not run.styles for run in shown), [
        r.text for r in shown
    ]
