"""First contact: a member without a style is offered the assessment once, in a DM, after their command.

The router is exercised with a test-only subcommand (``ping``) so these tests depend on no other
feature; it opens a modal like most subcommands do, to show the offer never delays the modal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, text

import bot.subcommands
from bot.flows.style_notifier import offer_assessment
from bot.listeners.commands.negotiate import HANDLERS, CommandContext
from bot.members import resolve_actor
from bot.subcommands import Subcommand
from bot.testkit.blockkit import validate_message
from storage.models import Member
from storage.queries.assessments import WELCOMED_KEY
from templates import render_view
from templates.ids.style import StyleAction, StyleCallback
from tests.app.conftest import NOW, Parley, response_json


def ping(ctx: CommandContext) -> None:
    ctx.client.views_open(trigger_id=ctx.trigger_id, view=render_view("views/loading", title="Ping"))


@pytest.fixture(autouse=True)
def ping_subcommand(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(HANDLERS, "ping", ping)
    extra = Subcommand("ping", "", "Test only.")
    monkeypatch.setattr(bot.subcommands, "SUBCOMMANDS", (*bot.subcommands.SUBCOMMANDS, extra))
    yield


def welcomes(parley: Parley, user_id: str = "U0ALICE") -> list[dict[str, Any]]:
    return [
        message
        for message in parley.dms(user_id)
        if StyleAction.TAKE_ASSESSMENT in json.dumps(message.get("blocks", []))
    ]


def settings_of(parley: Parley, user_id: str = "U0ALICE") -> dict[str, Any]:
    with parley.services.db.session() as session:
        member = session.scalar(select(Member).where(Member.slack_user_id == user_id))
        assert member is not None
        return dict(member.settings)


def test_a_new_member_is_offered_the_assessment_once(parley: Parley) -> None:
    assert parley.command("ping").status == 200
    (welcome,) = welcomes(parley)
    assert validate_message(welcome["blocks"], welcome["text"]) == []
    assert "<@U0ALICE>" in json.dumps(welcome["blocks"])
    assert "style assessment" in welcome["text"]
    assert settings_of(parley)[WELCOMED_KEY] == NOW.isoformat()

    parley.command("ping")
    parley.command("ping", channel_id="C0GENERAL")
    assert len(welcomes(parley)) == 1


def test_the_offer_comes_after_the_commands_own_modal(parley: Parley) -> None:
    parley.command("ping")
    methods = [
        call.method for call in parley.slack.calls if call.method in ("views.open", "chat.postMessage")
    ]
    assert methods == ["views.open", "chat.postMessage"]
    assert parley.slack.calls_to("views.open")[0].ok


def test_running_style_first_is_not_interrupted_by_the_offer(parley: Parley) -> None:
    parley.command("style")
    assert welcomes(parley) == []
    assert WELCOMED_KEY not in settings_of(parley)


def test_a_member_who_has_a_style_is_not_offered_it(parley: Parley) -> None:
    actor = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", "U0BOB")
    with parley.services.db.session() as session:
        member = session.get(Member, actor.member_id)
        assert member is not None
        member.style = "closer"
    parley.command("ping", user_id="U0BOB", channel_id="D0BOB")
    assert welcomes(parley, "U0BOB") == []


def test_the_welcome_button_opens_the_assessment_and_the_result_follows(parley: Parley) -> None:
    parley.command("ping")
    (welcome,) = welcomes(parley)
    parley.click(StyleAction.TAKE_ASSESSMENT, message=welcome)
    modal = parley.open_view()
    assert modal["callback_id"] == StyleCallback.ASSESSMENT
    values = {
        block["block_id"]: block["element"]["options"][0]["value"]
        for block in modal["blocks"]
        if block["type"] == "input"
    }
    assert response_json(parley.submit(values)) == {}
    assert any("Your negotiating style" in message["text"] for message in parley.dms())


def test_a_refused_welcome_dm_does_not_fail_the_command_and_is_not_repeated(parley: Parley) -> None:
    parley.slack.fail_next("chat.postMessage", error="channel_not_found")
    response = parley.command("ping")
    assert response.status == 200
    assert parley.slack.open_views("U0ALICE")  # the command itself worked
    assert welcomes(parley) == []
    parley.command("ping")
    assert welcomes(parley) == []  # offered once; the Home tab keeps the invitation
    assert WELCOMED_KEY in settings_of(parley)


def test_a_database_failure_recording_the_offer_does_not_fail_the_command(parley: Parley) -> None:
    actor = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", "U0ALICE")
    cascade = " CASCADE" if parley.services.db.dialect == "postgresql" else ""
    with parley.services.db.engine.begin() as connection:
        connection.execute(text(f"DROP TABLE members{cascade}"))
    assert offer_assessment(parley.services, parley.app.client, actor, "ping") is False  # logged, not raised
    assert welcomes(parley) == []


def test_each_workspace_offers_it_separately(parley: Parley) -> None:
    here = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", "U0ALICE")
    there = resolve_actor(parley.services, parley.app.client, "T0OTHER", "U0ALICE")
    assert offer_assessment(parley.services, parley.app.client, here, "ping")
    assert not offer_assessment(parley.services, parley.app.client, here, "ping")
    assert offer_assessment(parley.services, parley.app.client, there, "ping")
