"""`/negotiate team`: a member sets their own manager once; admins set anyone's and the fallback
approver; loops and self-management are refused; every change is audited; nothing changes on a refusal."""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

from bot.testkit import requests as slack_requests
from storage.models import Member
from storage.queries.workspaces import find_workspace
from templates import render_view
from templates.ids.team import TeamBlock, TeamCallback
from tests.app.conftest import response_json
from tests.app.test_trade_kit import Desk, desk, text_of  # noqa: F401


def manager_of(desk: Desk, user_id: str) -> str | None:
    ids = desk.meet(user_id)
    with desk.db.session() as session:
        member = session.get(Member, ids[user_id])
        assert member is not None
        if member.manager_id is None:
            return None
        manager = session.get(Member, member.manager_id)
        return manager.slack_user_id if manager else None


def fallback(desk: Desk) -> str | None:
    with desk.db.session() as session:
        workspace = find_workspace(session, "T0EXAMPLE")
        return (workspace.settings or {}).get("fallback_approver") if workspace else None


def blocks_of(view: dict[str, Any]) -> list[str]:
    return [block.get("block_id", "") for block in view["blocks"] if block["type"] == "input"]


def test_a_member_sets_their_own_manager_once(desk: Desk) -> None:
    desk.meet("U0ERIN")
    desk.parley.command("team")
    view = desk.parley.open_view()
    assert blocks_of(view) == [TeamBlock.MANAGER]
    response = desk.parley.submit({TeamBlock.MANAGER: "U0BOB"})
    body = response_json(response)
    assert body["response_action"] == "update" and "<@U0ALICE>'s trades go to <@U0BOB>" in text_of(
        body["view"]
    )
    assert manager_of(desk, "U0ALICE") == "U0BOB"
    (event,) = [e for e in desk.audit() if e.action == "team.manager_set"]
    assert event.actor_id == desk.meet("U0ALICE")["U0ALICE"]
    assert (event.detail["before"], event.detail["after"], event.detail["via"]) == (None, "U0BOB", "modal")

    desk.slack.clear_views("U0ALICE")
    desk.parley.command("team")  # the second time: read only, and who can change it
    view = desk.parley.open_view()
    assert blocks_of(view) == [] and not view.get("submit")
    shown = "\n".join(text_of({"blocks": [b]}) for b in view["blocks"])
    assert "Your manager is <@U0BOB>" in shown and "<@U0ERIN>" in shown


def test_a_member_cannot_set_someone_elses_manager_or_the_fallback_even_by_forging_the_form(
    desk: Desk,
) -> None:
    desk.meet("U0ALICE")
    forged = render_view(
        "views/team_set", is_admin=True, can_edit=True, member="U0CAROL", manager="", fallback="", admins=[]
    )
    response = desk.parley.send(
        slack_requests.view_submission(
            forged,
            {TeamBlock.MEMBER: "U0CAROL", TeamBlock.MANAGER: "U0ALICE", TeamBlock.FALLBACK: "U0ALICE"},
            user_id="U0ALICE",
        )
    )
    errors = response_json(response)["errors"]
    assert set(errors) == {TeamBlock.MEMBER, TeamBlock.FALLBACK}
    assert manager_of(desk, "U0CAROL") is None and fallback(desk) is None
    assert [e for e in desk.audit() if e.action.startswith("team.")] == []


def test_nobody_is_their_own_manager(desk: Desk) -> None:
    desk.parley.command("team")
    response = desk.parley.submit({TeamBlock.MANAGER: "U0ALICE"})
    assert "own manager" in response_json(response)["errors"][TeamBlock.MANAGER]
    assert manager_of(desk, "U0ALICE") is None


def test_an_admin_sets_anyones_manager_and_the_fallback_approver(desk: Desk) -> None:
    desk.set_manager("U0CAROL", "U0DANA")
    desk.parley.command("team", user_id="U0ERIN")  # a Slack admin
    view = desk.parley.open_view("U0ERIN")
    assert blocks_of(view) == [TeamBlock.MEMBER, TeamBlock.MANAGER, TeamBlock.FALLBACK]

    desk.parley.click(TeamBlock.MEMBER, user_id="U0ERIN", view=view, value="U0CAROL")  # shows Carol's manager
    view = desk.parley.open_view("U0ERIN")
    manager_block = next(b for b in view["blocks"] if b.get("block_id") == TeamBlock.MANAGER)
    assert manager_block["element"]["initial_user"] == "U0DANA"

    response = desk.parley.submit(
        {TeamBlock.MEMBER: "U0CAROL", TeamBlock.MANAGER: "U0BOB", TeamBlock.FALLBACK: "U0DANA"},
        user_id="U0ERIN",
    )
    assert response_json(response)["response_action"] == "update"
    assert manager_of(desk, "U0CAROL") == "U0BOB" and fallback(desk) == "U0DANA"
    actions = [
        (e.action, e.detail.get("before"), e.detail.get("after"))
        for e in desk.audit()
        if e.action.startswith("team.")
    ]
    assert actions == [("team.manager_set", "U0DANA", "U0BOB"), ("team.fallback_set", None, "U0DANA")]

    desk.slack.clear_views("U0ERIN")
    desk.parley.command("team", user_id="U0ERIN")
    desk.parley.submit({TeamBlock.MEMBER: "U0CAROL", TeamBlock.MANAGER: None}, user_id="U0ERIN")
    assert manager_of(desk, "U0CAROL") is None  # an empty manager removes it
    assert fallback(desk) == "U0DANA"  # left as it was shown


def test_a_manager_loop_is_refused(desk: Desk) -> None:
    desk.set_manager("U0ALICE", "U0BOB")
    desk.set_manager("U0BOB", "U0DANA")
    desk.parley.command("team", user_id="U0ERIN")
    response = desk.parley.submit(
        {TeamBlock.MEMBER: "U0DANA", TeamBlock.MANAGER: "U0ALICE"}, user_id="U0ERIN"
    )
    assert "loop" in response_json(response)["errors"][TeamBlock.MANAGER]
    assert manager_of(desk, "U0DANA") is None


def test_someone_parley_has_not_met_can_be_named_and_is_recorded_with_their_profile(desk: Desk) -> None:
    desk.slack.add_user("U0FRANK", name="frank", real_name="Frank New", tz="Asia/Tokyo")
    desk.parley.command("team", user_id="U0ERIN")
    desk.parley.submit({TeamBlock.MEMBER: "U0ALICE", TeamBlock.MANAGER: "U0FRANK"}, user_id="U0ERIN")
    assert manager_of(desk, "U0ALICE") == "U0FRANK"
    with desk.db.session() as session:
        frank = session.get(Member, desk.meet("U0FRANK")["U0FRANK"])
        assert frank is not None and frank.tz == "Asia/Tokyo"


def test_the_team_callback_ids_are_the_modals(desk: Desk) -> None:
    desk.parley.command("team")
    assert desk.parley.open_view()["callback_id"] == TeamCallback.SET
