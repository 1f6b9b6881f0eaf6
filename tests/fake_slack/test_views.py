"""Modals and the Home tab: trigger ids (3 s, once), the push limit, hashes — on an injected clock."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.testkit.fake_slack import TRIGGER_TTL, FakeSlack
from tests.fake_slack.conftest import ALICE, BOB, ManualClock, modal, section, text_input


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return raised.value.response["error"]


def test_views_open_returns_the_view_as_slack_reports_it(client: WebClient, slack: FakeSlack) -> None:
    view = client.views_open(
        trigger_id=slack.issue_trigger_id(ALICE),
        view=modal(text_input("title"), callback_id="prep_submit", private_metadata='{"id": 42}'),
    )["view"]
    assert (
        view["id"].startswith("V") and view["root_view_id"] == view["id"] and view["previous_view_id"] is None
    )
    assert (view["callback_id"], view["private_metadata"]) == ("prep_submit", '{"id": 42}')
    assert view["hash"] and view["state"] == {"values": {}} and view["team_id"] == "T0EXAMPLE"
    assert slack.open_views(ALICE) == [view]
    assert slack.open_views(BOB) == []


def test_a_trigger_expires_after_three_seconds(
    client: WebClient, slack: FakeSlack, clock: ManualClock
) -> None:
    just_in_time, too_late = slack.issue_trigger_id(ALICE), slack.issue_trigger_id(ALICE)
    clock.advance(TRIGGER_TTL - 0.001)
    client.views_open(trigger_id=just_in_time, view=modal())
    clock.advance(0.001)
    assert error_of(lambda: client.views_open(trigger_id=too_late, view=modal())) == "expired_trigger_id"


def test_a_trigger_is_used_once(client: WebClient, slack: FakeSlack) -> None:
    trigger = slack.issue_trigger_id(ALICE)
    client.views_open(trigger_id=trigger, view=modal())
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=modal())) == "exchanged_trigger_id"


def test_unknown_and_foreign_triggers_are_invalid(client: WebClient, slack: FakeSlack) -> None:
    assert (
        error_of(lambda: client.views_open(trigger_id="1337.42.abcdef", view=modal())) == "invalid_trigger_id"
    )
    slack.add_team("T0ACME", bot_token="xoxb-acme")
    acme = WebClient(base_url=slack.api_url, token="xoxb-acme")
    trigger = slack.issue_trigger_id(ALICE)  # Alice is in T0EXAMPLE
    assert error_of(lambda: acme.views_open(trigger_id=trigger, view=modal())) == "invalid_trigger_id"


def test_an_invalid_view_does_not_use_up_the_trigger(client: WebClient, slack: FakeSlack) -> None:
    trigger = slack.issue_trigger_id(ALICE)
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id=trigger, view=modal(title="A title far too long for a modal"))
    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    client.views_open(trigger_id=trigger, view=modal())


def test_view_arguments_may_come_form_encoded_or_be_missing(client: WebClient, slack: FakeSlack) -> None:
    form = {"trigger_id": slack.issue_trigger_id(ALICE), "view": json.dumps(modal(title="Form"))}
    assert client.api_call("views.open", data=form)["view"]["title"]["text"] == "Form"
    missing = {"trigger_id": slack.issue_trigger_id(ALICE)}
    with pytest.raises(SlackApiError) as raised:
        client.api_call("views.open", json=missing)
    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: view [json-pointer:/view]"
    ]


def test_views_need_the_right_type_and_size(client: WebClient, slack: FakeSlack) -> None:
    home = {"type": "home", "blocks": [section()]}
    assert error_of(lambda: client.views_open(trigger_id=slack.issue_trigger_id(ALICE), view=home)) == (
        "invalid_arguments"
    )
    huge = modal(*[section("x" * 2_900, block_id=f"b{i}") for i in range(90)])
    assert error_of(lambda: client.views_open(trigger_id=slack.issue_trigger_id(ALICE), view=huge)) == (
        "view_too_large"
    )


def test_push_up_to_three_views_then_push_limit_reached(client: WebClient, slack: FakeSlack) -> None:
    root = client.views_open(trigger_id=slack.issue_trigger_id(ALICE), view=modal(title="Root"))["view"]
    second = client.views_push(trigger_id=slack.issue_trigger_id(ALICE), view=modal(title="Second"))["view"]
    third = client.views_push(trigger_id=slack.issue_trigger_id(ALICE), view=modal(title="Third"))["view"]
    assert (second["root_view_id"], second["previous_view_id"]) == (root["id"], root["id"])
    assert third["previous_view_id"] == second["id"]
    trigger = slack.issue_trigger_id(ALICE)
    assert error_of(lambda: client.views_push(trigger_id=trigger, view=modal(title="Fourth"))) == (
        "push_limit_reached"
    )
    assert [v["title"]["text"] for v in slack.open_views(ALICE)] == ["Root", "Second", "Third"]
    slack.close_view(ALICE)
    client.views_push(trigger_id=trigger, view=modal(title="Fourth"))
    assert [v["title"]["text"] for v in slack.open_views(ALICE)] == ["Root", "Second", "Fourth"]


def test_push_needs_an_open_modal(client: WebClient, slack: FakeSlack) -> None:
    assert (
        error_of(lambda: client.views_push(trigger_id=slack.issue_trigger_id(ALICE), view=modal()))
        == "not_found"
    )


def test_views_open_replaces_the_stack(client: WebClient, slack: FakeSlack) -> None:
    client.views_open(trigger_id=slack.issue_trigger_id(ALICE), view=modal(title="One"))
    client.views_push(trigger_id=slack.issue_trigger_id(ALICE), view=modal(title="Two"))
    client.views_open(trigger_id=slack.issue_trigger_id(ALICE), view=modal(title="Fresh"))
    assert [v["title"]["text"] for v in slack.open_views(ALICE)] == ["Fresh"]
    slack.clear_views(ALICE)
    assert slack.open_views(ALICE) == []


def test_views_update_with_hash(client: WebClient, slack: FakeSlack) -> None:
    opened = client.views_open(trigger_id=slack.issue_trigger_id(ALICE), view=modal(title="Loading…"))["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal(title="Ready"))[
        "view"
    ]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert slack.open_views(ALICE)[0]["title"]["text"] == "Ready"
    stale = opened["hash"]
    assert (
        error_of(lambda: client.views_update(view_id=opened["id"], hash=stale, view=modal()))
        == "hash_conflict"
    )
    assert error_of(lambda: client.views_update(view_id="V0NOPE", view=modal())) == "not_found"
    assert error_of(lambda: client.views_update(view_id=opened["id"], view=modal(title="t" * 30))) == (
        "invalid_arguments"
    )


def test_views_update_by_external_id(client: WebClient, slack: FakeSlack) -> None:
    view = modal(title="One", external_id="prep-42")
    client.views_open(trigger_id=slack.issue_trigger_id(ALICE), view=view)
    client.views_update(external_id="prep-42", view=modal(title="Two", external_id="prep-42"))
    assert slack.open_views(ALICE)[0]["title"]["text"] == "Two"
    assert error_of(lambda: client.views_open(trigger_id=slack.issue_trigger_id(BOB), view=view)) == (
        "duplicate_external_id"
    )


def test_views_publish_home(client: WebClient, slack: FakeSlack) -> None:
    first = client.views_publish(user_id=ALICE, view={"type": "home", "blocks": [section("Dashboard")]})[
        "view"
    ]
    again = client.views_publish(
        user_id=ALICE, hash=first["hash"], view={"type": "home", "blocks": [section("v2")]}
    )
    assert again["view"]["id"] == first["id"]
    home = slack.home(ALICE)
    assert home is not None and home["blocks"][0]["text"]["text"] == "v2"
    assert slack.home(BOB) is None
    stale = first["hash"]
    assert error_of(
        lambda: client.views_publish(user_id=ALICE, hash=stale, view={"type": "home", "blocks": []})
    ) == ("hash_conflict")
    assert error_of(
        lambda: client.views_publish(user_id="U0NOBODY", view={"type": "home", "blocks": [section()]})
    ) == ("invalid_arguments")
    assert error_of(lambda: client.views_publish(user_id=ALICE, view=modal())) == "invalid_arguments"
