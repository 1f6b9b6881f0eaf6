"""The fake Slack's Enterprise Grid rules (api.slack.com/enterprise/apps): an org-wide install's token
reaches its org's workspaces and nothing else, ``oauth.v2.access`` answers an org install with
``team: null``, and OAuth codes are single-use, short-lived and bound to the app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.testkit.fake_slack import FakeSlack
from tests.fake_slack.conftest import ManualClock

ORG, ORG_TOKEN = "E0ACME", "xoxb-org"
OTHER_ORG, OTHER_TOKEN = "E0GLOBEX", "xoxb-other-org"
CLIENT_ID = "1.2"


@pytest.fixture
def grid(clock: ManualClock) -> Iterator[FakeSlack]:
    with FakeSlack(clock=clock) as slack:
        slack.add_org(
            ORG, bot_token=ORG_TOKEN, name="Acme", workspaces={"T0ALPHA": "Alpha", "T0BETA": "Beta"}
        )
        slack.add_org(OTHER_ORG, bot_token=OTHER_TOKEN, workspaces={"T0GAMMA": "Gamma"})
        slack.add_user("W0ANN", team_id="T0ALPHA", is_org_admin=True)
        slack.add_user("W0BEN", team_id="T0BETA")
        slack.add_user("W0GIL", team_id="T0GAMMA")
        slack.add_user("U0PAT")  # the default, non-Grid workspace
        yield slack


def client(slack: FakeSlack, token: str = ORG_TOKEN, team_id: str | None = None) -> WebClient:
    return WebClient(token=token, base_url=slack.api_url, team_id=team_id)


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return str(raised.value.response["error"])


def test_the_org_token_reaches_every_workspace_of_its_org(grid: FakeSlack) -> None:
    api = client(grid)
    assert api.users_info(user="W0BEN")["user"]["team_id"] == "T0BETA"
    assert api.chat_postMessage(channel="W0ANN", text="hello")["ok"]
    assert client(grid, team_id="T0BETA").chat_postMessage(channel="W0ANN", text="from Beta")["ok"]
    auth = api.auth_test()
    assert auth["is_enterprise_install"] is True and auth["enterprise_id"] == ORG


def test_the_org_token_reaches_nothing_outside_its_org(grid: FakeSlack) -> None:
    api = client(grid)
    assert error_of(lambda: api.users_info(user="W0GIL")) == "user_not_found"
    assert error_of(lambda: api.users_info(user="U0PAT")) == "user_not_found"
    assert error_of(lambda: api.chat_postMessage(channel=grid.dm_channel("W0GIL"), text="x")) == (
        "channel_not_found"
    )
    assert error_of(lambda: client(grid, team_id="T0GAMMA").auth_test()) == "team_access_not_granted"
    assert error_of(lambda: client(grid, team_id="T0NOWHERE").auth_test()) == "team_access_not_granted"


def test_a_workspace_token_ignores_team_id_and_stays_in_its_workspace(grid: FakeSlack) -> None:
    api = client(grid, token="xoxb-test-token", team_id="T0ALPHA")  # the default workspace's token
    assert api.auth_test()["team_id"] == "T0EXAMPLE"
    assert error_of(lambda: api.users_info(user="W0ANN")) == "user_not_found"


def test_users_info_carries_the_members_org_role(grid: FakeSlack) -> None:
    ann = client(grid).users_info(user="W0ANN")["user"]
    assert ann["enterprise_user"] == {
        "id": "W0ANN", "enterprise_id": ORG, "enterprise_name": "Acme", "is_admin": True,
        "is_owner": False, "is_primary_owner": False, "teams": ["T0ALPHA"],
    }  # fmt: skip
    pat = client(grid, token="xoxb-test-token").users_info(user="U0PAT")["user"]
    assert "enterprise_user" not in pat
    with pytest.raises(ValueError, match="Enterprise Grid"):
        grid.add_user("U0NOPE", is_org_admin=True)


def test_an_org_install_exchanges_its_code_for_the_org_token_with_no_team(grid: FakeSlack) -> None:
    code = grid.issue_oauth_code(ORG, installer_id="W0ANN", client_id=CLIENT_ID, client_secret="s")
    answer = WebClient(base_url=grid.api_url).oauth_v2_access(
        client_id=CLIENT_ID, client_secret="s", code=code
    )
    assert answer["access_token"] == ORG_TOKEN and answer["team"] is None
    assert answer["enterprise"] == {"id": ORG, "name": "Acme"} and answer["is_enterprise_install"] is True
    assert answer["authed_user"] == {"id": "W0ANN"} and answer["token_type"] == "bot"


def test_a_workspace_install_names_its_team(grid: FakeSlack) -> None:
    code = grid.issue_oauth_code("T0EXAMPLE", installer_id="U0PAT", client_id=CLIENT_ID, client_secret="s")
    answer = WebClient(base_url=grid.api_url).oauth_v2_access(
        client_id=CLIENT_ID, client_secret="s", code=code
    )
    assert answer["team"]["id"] == "T0EXAMPLE" and answer["enterprise"] is None
    assert answer["is_enterprise_install"] is False


def test_oauth_codes_are_single_use_short_lived_and_bound_to_the_app(
    grid: FakeSlack, clock: ManualClock
) -> None:
    api = WebClient(base_url=grid.api_url)
    code = grid.issue_oauth_code(ORG, installer_id="W0ANN", client_id=CLIENT_ID, client_secret="s")
    assert error_of(lambda: api.oauth_v2_access(client_id="9.9", client_secret="s", code=code)) == (
        "invalid_client_id"
    )
    assert error_of(lambda: api.oauth_v2_access(client_id=CLIENT_ID, client_secret="guess", code=code)) == (
        "bad_client_secret"
    )
    assert api.oauth_v2_access(client_id=CLIENT_ID, client_secret="s", code=code)["ok"]
    assert error_of(lambda: api.oauth_v2_access(client_id=CLIENT_ID, client_secret="s", code=code)) == (
        "invalid_code"
    )
    late = grid.issue_oauth_code(ORG, installer_id="W0ANN", client_id=CLIENT_ID, client_secret="s")
    clock.advance(600)
    assert error_of(lambda: api.oauth_v2_access(client_id=CLIENT_ID, client_secret="s", code=late)) == (
        "invalid_code"
    )
    assert error_of(lambda: api.oauth_v2_access(client_id=CLIENT_ID, client_secret="s", code="nope")) == (
        "invalid_code"
    )
