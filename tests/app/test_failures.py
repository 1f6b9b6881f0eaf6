"""Failures nobody caught are answered by the central error handler (``bot.errors``), one wording per
kind, and leave nothing half-written; the Slack edge tolerates partial payloads and unencodable text."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from bot import edge
from bot.replies import DATABASE_DOWN
from bot.testkit import requests as slack_requests
from storage.db import Database
from storage.models import Commitment, Member
from templates.ids.commitments import CommitBlock, CommitCallback
from templates.ids.style import StyleAction
from templates.ids.trades import TradeAction
from tests.app.conftest import NOW, Parley, response_json

ALICE = "U0ALICE"
FORGED_HOME = {  # a Home tab with a trade button Parley never wrote: its click has no response_url
    "id": "V0HOME",
    "type": "home",
    "hash": "1.2",
    "blocks": [
        {
            "type": "actions",
            "block_id": "forged",
            "elements": [
                {
                    "type": "button",
                    "action_id": TradeAction.APPROVE.value,
                    "text": {"type": "plain_text", "text": "Approve"},
                    "value": "not a trade Parley wrote",
                }
            ],
        }
    ],
}


@contextmanager
def database_down(db: Database) -> Iterator[None]:
    """Every new connection is refused, as by a database that is down; pooled ones are dropped first."""
    dbapi = db.engine.dialect.loaded_dbapi

    def refuse(*_args: Any) -> None:
        raise dbapi.OperationalError("connection refused (the test took the database down)")

    db.engine.dispose()
    event.listen(db.engine, "do_connect", refuse)
    try:
        yield
    finally:
        event.remove(db.engine, "do_connect", refuse)
        db.engine.dispose()


def count(parley: Parley, model: type[Any]) -> int:
    with parley.services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def notices_to(parley: Parley, user: str = ALICE) -> list[str]:
    return [json.dumps(e, ensure_ascii=False) for e in parley.slack.ephemerals(user=user)]


def test_a_command_with_the_database_down_answers_at_once_and_says_so(parley: Parley) -> None:
    parley.command("commitments")  # Alice is known: the lookup is a database read like any other
    parley.slack.reset_calls()
    before = len(parley.slack.ephemerals(user=ALICE))
    with database_down(parley.services.db):
        response = parley.command("digest weekly", channel_id="C0GENERAL")
    assert response.status == 200
    after = notices_to(parley)[before:]
    assert len(after) == 1 and DATABASE_DOWN in after[0]
    with parley.services.db.session() as session:  # nothing was saved
        member = session.scalar(select(Member).where(Member.slack_user_id == ALICE))
        assert member is not None and "digest" not in json.dumps(member.settings)


def test_a_modal_submission_with_the_database_down_shows_it_in_the_modal(parley: Parley) -> None:
    parley.command("commit")
    view = parley.open_view()
    assert view["callback_id"] == CommitCallback.CREATE
    values = {CommitBlock.WHAT.value: "Send the quote", CommitBlock.DUE.value: NOW.date() + timedelta(days=3)}
    with database_down(parley.services.db):
        response = parley.submit(values, view=view)
    body = response_json(response)
    assert body["response_action"] == "errors"
    assert list(body["errors"].values()) == [DATABASE_DOWN]
    assert list(body["errors"]) == [edge.first_input_block(view)]
    assert count(parley, Commitment) == 0
    assert response_json(parley.submit(values, view=view)) == {}  # back up: the same modal goes through
    assert count(parley, Commitment) == 1


def test_a_button_with_the_database_down_answers_ephemerally(parley: Parley) -> None:
    parley.command("commitments")  # first contact: the welcome DM with its *Take the assessment* button
    (welcome,) = [m for m in parley.dms() if StyleAction.TAKE_ASSESSMENT in json.dumps(m.get("blocks", []))]
    before = len(parley.slack.ephemerals(user=ALICE))
    with database_down(parley.services.db):
        response = parley.click(StyleAction.TAKE_ASSESSMENT, message=welcome)
    assert response.status == 200
    after = notices_to(parley)[before:]
    assert len(after) == 1 and DATABASE_DOWN in after[0]
    assert parley.slack.open_views(ALICE) == []


def test_a_button_without_a_response_url_is_answered_without_a_crash(
    parley: Parley, caplog: pytest.LogCaptureFixture
) -> None:
    parley.command("commitments")
    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        response = parley.click(TradeAction.APPROVE, view=FORGED_HOME)
    assert response.status == 200
    assert [r for r in caplog.records if r.name == "bot.errors"] == []


def test_app_home_opened_without_a_user_is_ignored(parley: Parley, caplog: pytest.LogCaptureFixture) -> None:
    request = slack_requests.event_callback({"type": "app_home_opened", "tab": "home", "channel": "D0ALICE"})
    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        response = parley.send(request)
    assert response.status == 200
    assert [r for r in caplog.records if r.name == "bot.errors"] == []
    assert parley.slack.calls_to("views.publish") == []


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_form_text_is_always_storable(typed: str) -> None:
    values = {"block": {"block": {"type": "plain_text_input", "value": typed}}}
    read = edge.state_value(values, "block")
    assert read is not None and "\x00" not in read
    read.encode("utf-8")  # no lone surrogate survives
    assert read == "".join(ch for ch in typed if ch != "\x00" and not "\ud800" <= ch <= "\udfff")


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_the_edge_reads_any_payload_shape_without_raising(junk: Any) -> None:
    body = {"user": junk, "team": junk, "actions": junk, "view": junk, "container": junk, "channel": junk}
    edge.user_id(body), edge.team_id(body), edge.action_value(body), edge.clicked_message(body)
    edge.channel_id(body), edge.response_url(body), edge.trigger_id(body)
    values = {"b": junk} if not isinstance(junk, dict) else junk
    edge.state_value(values, "b"), edge.selected_values(values, "b"), edge.selected_date(values, "b")
    edge.answers(values, "a"), edge.first_input_block({"blocks": junk, "state": {"values": values}})


def test_a_lone_surrogate_in_a_form_is_dropped_and_the_rest_is_stored(parley: Parley) -> None:
    parley.command("commit")
    values = {
        CommitBlock.WHAT.value: "Send the \ud800quote\x00",
        CommitBlock.DUE.value: NOW.date() + timedelta(days=3),
    }
    assert response_json(parley.submit(values)) == {}
    with parley.services.db.session() as session:
        (what,) = session.scalars(select(Commitment.text)).all()
    assert what == "Send the quote"
