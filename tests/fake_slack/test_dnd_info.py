"""`dnd.info` as Slack's reference describes it: the `dnd:read` scope, the schedule's current or next
window, and `snooze_*` only for the token's own user."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.testkit.fake_slack import FakeSlack
from tests.fake_slack.conftest import ALICE, ManualClock

DAY = 86_400


def dnd(client: WebClient, **args: str) -> dict[str, Any]:
    data = client.dnd_info(**args).data
    assert isinstance(data, dict)
    return data


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return str(raised.value.response["error"])


def test_without_a_schedule_dnd_is_off(client: WebClient) -> None:
    answer = dnd(client, user=ALICE)
    assert answer == {"ok": True, "dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1}


def test_the_window_reported_is_the_current_or_next_one_of_a_daily_schedule(
    slack: FakeSlack, client: WebClient, wall: ManualClock
) -> None:
    now = int(wall())
    slack.set_dnd(ALICE, start=now - 600, end=now + 600)
    answer = dnd(client, user=ALICE)
    assert (answer["dnd_enabled"], answer["next_dnd_start_ts"], answer["next_dnd_end_ts"]) == (
        True, now - 600, now + 600,
    )  # fmt: skip
    wall.advance(1_200)  # the window is over: tomorrow's is next
    answer = dnd(client, user=ALICE)
    assert (answer["next_dnd_start_ts"], answer["next_dnd_end_ts"]) == (now - 600 + DAY, now + 600 + DAY)


def test_snooze_fields_are_shown_only_to_the_member_themselves(
    slack: FakeSlack, client: WebClient, wall: ManualClock
) -> None:
    now = int(wall())
    slack.set_dnd(ALICE, snooze_until=now + 3_600)
    assert not any(key.startswith("snooze") for key in dnd(client, user=ALICE))
    slack.set_dnd("U0BOT", snooze_until=now + 3_600)
    own = dnd(client)  # no user: the token's own
    assert (own["snooze_enabled"], own["snooze_endtime"], own["snooze_remaining"]) == (
        True,
        now + 3_600,
        3_600,
    )
    slack.set_dnd("U0BOT")
    own = dnd(client)
    assert own["snooze_enabled"] is False and "snooze_endtime" not in own


def test_an_unknown_member_or_a_missing_scope_is_refused(slack: FakeSlack, client: WebClient) -> None:
    assert error_of(lambda: client.dnd_info(user="U0NOBODY")) == "user_not_found"
    slack.add_team("T0OLD", bot_token="xoxb-old", scopes={"commands", "chat:write", "users:read"})
    slack.add_user("U0OLD", team_id="T0OLD")
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=slack.api_url, token="xoxb-old").dnd_info(user="U0OLD")
    assert (raised.value.response["error"], raised.value.response["needed"]) == ("missing_scope", "dnd:read")
