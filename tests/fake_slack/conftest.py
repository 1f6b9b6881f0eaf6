"""Helpers for the fake Slack tests: a manual clock, a running fake with a small team, a real WebClient."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack

ALICE = "U0ALICE"  # learner, London
BOB = "U0BOB"  # manager, Los Angeles


class ManualClock:
    """An injectable clock that only moves when told to: time-dependent tests never sleep."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1_000.0)


@pytest.fixture
def wall() -> ManualClock:
    return ManualClock(1_767_225_600.0)  # 2026-01-01T00:00:00Z: London on GMT, Los Angeles on PST


@pytest.fixture
def slack(clock: ManualClock, wall: ManualClock) -> Iterator[FakeSlack]:
    with FakeSlack(clock=clock, wall_clock=wall) as fake:
        fake.add_user(ALICE, name="alice", real_name="Alice Archer", tz="Europe/London")
        fake.add_user(BOB, name="bob", real_name="Bob Baker", tz="America/Los_Angeles", is_admin=True)
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    """slack-sdk's own client, as the app uses it: no retry handlers beyond the default."""
    return WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN)


def section(text: str = "Hello", block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id:
        block["block_id"] = block_id
    return block


def button(action_id: str, text: str = "Go", value: str = "v") -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        "value": value,
    }


def modal(*blocks: dict[str, Any], title: str = "Prepare", **extra: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": list(blocks) or [section()],
    }
    if any(b["type"] == "input" for b in view["blocks"]):
        view["submit"] = {"type": "plain_text", "text": "Save"}
    return view | extra


def text_input(block_id: str, action_id: str = "value", label: str = "Title") -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {"type": "plain_text_input", "action_id": action_id},
    }
