"""Tokens and secrets never reach the logs, even at DEBUG with Slack calls in flight."""

from __future__ import annotations

import logging

import pytest

from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN
from tests.app.conftest import SIGNING_SECRET, Parley


def test_no_secret_in_debug_logs(parley: Parley, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        parley.app.client.auth_test()
        parley.command("help")
        parley.command("help", channel_id="C0GENERAL")
    assert caplog.records, "expected DEBUG logging from Bolt and slack-sdk"
    assert DEFAULT_BOT_TOKEN not in caplog.text
    assert SIGNING_SECRET not in caplog.text
