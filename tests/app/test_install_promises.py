"""README's "Create the Slack app" steps give an app that works, shown against the strict fake Slack with
exactly the manifest's grants: the Home tab on first open, `parley team import` by email, and a DM typed
to Parley. Each promise is also shown to break without the part of the manifest it stands on."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import build_app
from bot.cli import cli
from bot.flows.dm_help_notifier import wants_reply
from bot.manifest import build_manifest
from bot.services import Services
from bot.subcommands import SUBCOMMANDS
from bot.testkit import requests as slack_requests
from bot.testkit.blockkit import validate_message
from bot.testkit.fake_slack import EventNotSubscribed, FakeSlack
from storage.db import Database
from storage.models import Member
from tests.app.conftest import NOW, InlineExecutor, Parley, make_settings

NEWCOMER = "U0NEW"


def manifest_without(path: tuple[str, ...], item: str) -> dict[str, Any]:
    manifest = copy.deepcopy(build_manifest())
    node: Any = manifest
    for key in path:
        node = node[key]
    node.remove(item)
    return manifest


# ---------------------------------------------------------------------------------------------- Home tab


def test_the_home_tab_works_on_first_open(parley: Parley) -> None:
    parley.slack.add_user(NEWCOMER, name="nina", real_name="Nina New", tz="Asia/Tokyo")
    assert parley.slack.home(NEWCOMER) is None
    assert parley.open_home(NEWCOMER).status == 200  # the helper delivers it: the manifest subscribes
    home = parley.slack.home(NEWCOMER)
    assert home is not None and home["type"] == "home"
    with parley.services.db.session() as session:
        member = session.scalars(select(Member).where(Member.slack_user_id == NEWCOMER)).one()
        assert (member.display_name, member.tz) == ("nina", "Asia/Tokyo")


def test_without_the_app_home_opened_subscription_slack_would_never_send_it() -> None:
    with pytest.raises(EventNotSubscribed, match="app_home_opened"):
        slack_requests.app_home_opened(
            NEWCOMER,
            "D0NEW",
            manifest=manifest_without(("settings", "event_subscriptions", "bot_events"), "app_home_opened"),
        )


# ---------------------------------------------------------------------------------------------- team import


def import_team(db: Database, csv: Path) -> tuple[int, str]:
    url = db.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli, ["team", "import", str(csv), "--workspace", "T0EXAMPLE"], env={"DATABASE_URL": url}
    )
    return result.exit_code, result.output


def managers(db: Database) -> dict[str, str | None]:
    with db.session() as session:
        members = session.scalars(select(Member)).all()
        by_id = {m.id: m.slack_user_id for m in members}
        return {m.slack_user_id: by_id.get(m.manager_id) if m.manager_id else None for m in members}


def test_team_import_by_email_works_for_members_who_opened_parley(parley: Parley, tmp_path: Path) -> None:
    for user_id in ("U0ALICE", "U0BOB"):  # first contact: users.info, with the email the scope allows
        assert parley.open_home(user_id).status == 200
    csv = tmp_path / "team.csv"
    csv.write_text("member,manager\nalice@example.example,bob@example.example\n", encoding="utf-8")
    code, output = import_team(parley.services.db, csv)
    assert code == 0, output
    assert managers(parley.services.db)["U0ALICE"] == "U0BOB"


@pytest.fixture
def parley_without_email_scope(db: Database) -> Iterator[Parley]:
    """The same app, installed from a manifest that forgot ``users:read.email``."""
    manifest = manifest_without(("oauth_config", "scopes", "bot"), "users:read.email")
    with FakeSlack(clock=lambda: 0.0, manifest=manifest) as fake:
        fake.add_user("U0ALICE", name="alice")
        fake.add_user("U0BOB", name="bob")
        services = Services(settings=make_settings(db, fake), db=db, clock=lambda: NOW)
        yield Parley(build_app(services, listener_executor=InlineExecutor()), services, fake)


def test_without_users_read_email_every_email_line_fails(
    parley_without_email_scope: Parley, tmp_path: Path
) -> None:
    parley = parley_without_email_scope
    for user_id in ("U0ALICE", "U0BOB"):
        assert parley.open_home(user_id).status == 200
    csv = tmp_path / "team.csv"
    csv.write_text("member,manager\nalice@example.example,bob@example.example\n", encoding="utf-8")
    code, output = import_team(parley.services.db, csv)
    assert code != 0
    assert "no member with the email alice@example.example" in output
    assert managers(parley.services.db)["U0ALICE"] is None


# ---------------------------------------------------------------------------------------------- DMs


def shown(message: dict[str, Any]) -> str:
    return " ".join(
        str(block["text"]["text"]) for block in message.get("blocks", []) if block["type"] == "section"
    )


def typed(parley: Parley, text: str, **kwargs: Any) -> dict[str, Any] | None:
    """Alice types ``text`` to Parley; returns Parley's newest DM message afterwards."""
    dm = parley.slack.dm_channel("U0ALICE")
    response = parley.send(slack_requests.message_im("U0ALICE", dm, text, **kwargs))
    assert response.status == 200
    return parley.slack.last_message("U0ALICE")


def test_a_dm_typed_to_parley_gets_the_commands(parley: Parley) -> None:
    reply = typed(parley, "hello? how do I prep?")
    assert reply is not None and reply["bot_id"]
    assert validate_message(reply["blocks"], reply["text"]) == []
    for sub in SUBCOMMANDS:
        assert f"/negotiate {sub.name}" in shown(reply)
    assert len(parley.slack.calls_to("chat.postMessage")) == 1  # one reply, straight into the DM


def test_a_dm_in_a_thread_is_answered_in_the_thread(parley: Parley) -> None:
    reply = typed(parley, "and this?", thread_ts="1700000000.000100")
    assert reply is not None and reply["thread_ts"] == "1700000000.000100"


def test_parleys_own_reply_coming_back_as_an_event_is_not_answered(parley: Parley) -> None:
    reply = typed(parley, "hi")
    assert reply is not None
    before = len(parley.dms())
    dm = parley.slack.dm_channel("U0ALICE")
    echo = slack_requests.message_im(reply["user"], dm, reply["text"], ts=reply["ts"], bot_id=reply["bot_id"])
    assert parley.send(echo).status == 200
    assert len(parley.dms()) == before  # no loop


@pytest.mark.parametrize("subtype", ["message_changed", "message_deleted", "bot_message", "channel_join"])
def test_edits_deletions_and_other_subtypes_are_not_answered(parley: Parley, subtype: str) -> None:
    assert typed(parley, "edited", subtype=subtype) is None
    assert parley.slack.calls_to("chat.postMessage") == []


def test_a_retried_delivery_is_not_answered_twice(parley: Parley) -> None:
    dm = parley.slack.dm_channel("U0ALICE")
    first = slack_requests.message_im("U0ALICE", dm, "hi", event_id="Ev0RETRY")
    assert parley.send(first).status == 200
    again = slack_requests.message_im("U0ALICE", dm, "hi", event_id="Ev0RETRY", retry_num=1)
    assert parley.send(again).status == 200
    assert len(parley.slack.calls_to("chat.postMessage")) == 1


def test_a_reply_slack_refuses_is_logged_and_nothing_else_happens(
    parley: Parley, caplog: pytest.LogCaptureFixture
) -> None:
    parley.slack.fail_next("chat.postMessage", error="fatal_error")
    assert typed(parley, "hi") is None
    assert "could not answer a DM" in caplog.text


def test_without_message_im_or_im_history_slack_would_never_send_the_dm() -> None:
    no_event = manifest_without(("settings", "event_subscriptions", "bot_events"), "message.im")
    no_scope = manifest_without(("oauth_config", "scopes", "bot"), "im:history")
    for manifest in (no_event, no_scope):
        with pytest.raises(EventNotSubscribed, match=r"message\.im"):
            slack_requests.message_im("U0ALICE", "D0ALICE", "hi", manifest=manifest)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), subtype=st.one_of(st.none(), st.text(min_size=1, max_size=20)))
def test_only_a_persons_own_new_message_wants_a_reply(text: str, subtype: str | None) -> None:
    event: dict[str, Any] = {"type": "message", "channel_type": "im", "user": "U0ALICE", "text": text}
    if subtype is not None:
        event["subtype"] = subtype
    assert wants_reply(event, bot_user_id="U0BOT") is (subtype is None)
    assert wants_reply({**event, "user": "U0BOT"}, bot_user_id="U0BOT") is False
    assert wants_reply({**event, "bot_id": "B0BOT"}, bot_user_id="U0BOT") is False
    assert wants_reply({**event, "channel_type": "channel"}, bot_user_id="U0BOT") is False
    assert wants_reply(event, bot_user_id="U0BOT", retry_reason="http_timeout") is False
