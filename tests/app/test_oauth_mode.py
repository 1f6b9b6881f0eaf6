"""Multi-workspace OAuth mode: install page, per-team authorisation from the database, uninstall."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.app import build_app
from bot.manifest import BOT_SCOPES
from bot.services import Services
from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from bot.web import ParleyWSGI
from storage.db import Database
from tests.app.conftest import (
    CLIENT_ID,
    InlineExecutor,
    Parley,
    make_oauth_settings,
    response_json,
    wsgi_get,
)


@pytest.fixture
def oauth_parley(db: Database, slack: FakeSlack) -> Parley:
    settings = make_oauth_settings(db, slack)
    services = Services(settings=settings, db=db, clock=lambda: datetime(2026, 11, 23, tzinfo=UTC))
    return Parley(build_app(services, listener_executor=InlineExecutor()), services, slack)


def store(parley: Parley) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=parley.services.db.engine)


def install(parley: Parley, team_id: str = "T0EXAMPLE") -> None:
    store(parley).save(
        Installation(
            app_id="A0EXAMPLE",
            team_id=team_id,
            user_id="U0ALICE",
            bot_token=DEFAULT_BOT_TOKEN,
            bot_id="B0EXAMPLEBOT",
            bot_user_id="U0EXAMPLEBOT",
            bot_scopes="commands,chat:write,im:write,users:read",
        )
    )


def test_install_page_links_to_slack_with_a_stored_state(oauth_parley: Parley) -> None:
    status, page = wsgi_get(ParleyWSGI(oauth_parley.app, oauth_parley.services.db), "/slack/install")
    assert status.startswith("200")
    assert "https://slack.com/oauth/v2/authorize?state=" in page
    assert f"client_id={CLIENT_ID}" in page
    assert f"scope={','.join(BOT_SCOPES)}&" in page  # every scope the manifest asks for, no more


def test_installed_team_is_served_from_the_database(oauth_parley: Parley) -> None:
    install(oauth_parley)
    body = response_json(oauth_parley.command("help"))
    assert body["response_type"] == "ephemeral"
    assert "/negotiate help" in json.dumps(body)


def test_team_without_installation_is_not_served(oauth_parley: Parley) -> None:
    response = oauth_parley.command("help")
    assert "/negotiate help" not in response.body


def test_app_uninstalled_removes_the_installation(oauth_parley: Parley) -> None:
    install(oauth_parley)
    assert store(oauth_parley).find_bot(enterprise_id=None, team_id="T0EXAMPLE") is not None
    assert oauth_parley.send(slack_requests.app_uninstalled()).status == 200
    assert store(oauth_parley).find_bot(enterprise_id=None, team_id="T0EXAMPLE") is None


def test_tokens_revoked_removes_the_bot(oauth_parley: Parley) -> None:
    install(oauth_parley)
    assert oauth_parley.send(slack_requests.tokens_revoked(bot_user_ids=["U0EXAMPLEBOT"])).status == 200
    assert store(oauth_parley).find_bot(enterprise_id=None, team_id="T0EXAMPLE") is None
