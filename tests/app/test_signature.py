"""Every request is verified: a bad signature or a stale timestamp gets 401 and changes nothing."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from bot.testkit import requests as slack_requests
from storage.models import Workspace
from tests.app.conftest import Parley


def uninstall_request() -> slack_requests.SlackRequest:
    return slack_requests.app_uninstalled()


def workspace_count(parley: Parley) -> int:
    with parley.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(Workspace)) or 0


def test_correctly_signed_request_is_accepted(parley: Parley) -> None:
    assert parley.command("help").status == 200


def test_bad_signature_is_rejected_and_changes_nothing(parley: Parley) -> None:
    parley.slack.reset_calls()
    response = parley.send(uninstall_request(), secret="not-the-signing-secret")
    assert response.status == 401
    assert workspace_count(parley) == 0
    assert parley.slack.calls == []


def test_timestamp_older_than_five_minutes_is_rejected(parley: Parley) -> None:
    stale = int(time.time()) - 5 * 60 - 5
    response = parley.send(
        slack_requests.slash_command(
            user_id="U0ALICE",
            channel_id="D0ALICE",
            text="help",
            trigger_id=parley.slack.issue_trigger_id("U0ALICE"),
        ),
        timestamp=stale,
    )
    assert response.status == 401
    assert response.body != ""  # Bolt's plain "Invalid request", never the help


def test_tampered_body_is_rejected(parley: Parley) -> None:
    request = slack_requests.slash_command(
        user_id="U0ALICE",
        channel_id="D0ALICE",
        text="help",
        trigger_id=parley.slack.issue_trigger_id("U0ALICE"),
    )
    headers = request.headers("test-signing-secret")
    from slack_bolt.request import BoltRequest

    tampered = request.body.replace("U0ALICE", "U0BOB")
    assert parley.app.dispatch(BoltRequest(body=tampered, headers=headers)).status == 401
