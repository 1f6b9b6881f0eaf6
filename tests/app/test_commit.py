"""`/negotiate commit`: the modal, its validation (errors under the fields, nothing stored), the
stored commitment and the cards sent; double submissions store one."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.testkit.requests_interactivity import ClientRefused, without_length_limits
from coaching.dates import DateStyle, day_words
from storage.models import AuditEvent, Commitment
from templates.ids.commitments import CommitAction, CommitBlock, CommitCallback
from tests.app.conftest import NOW, Parley, response_json

TODAY = NOW.date()  # Monday 2026-11-23; Alice is in London (UTC+0 in November)


def commitments(parley: Parley) -> list[Commitment]:
    with parley.services.db.session() as session:
        rows = session.query(Commitment).order_by(Commitment.id).all()
        for row in rows:
            session.expunge(row)
        return rows


def cards(parley: Parley, user_id: str = "U0ALICE") -> list[dict[str, Any]]:
    """The commitment cards in the member's DM (not other features' messages, e.g. a welcome)."""
    return [m for m in parley.dms(user_id) if m.get("text", "").startswith("Commitment:")]


def open_modal(parley: Parley, user_id: str = "U0ALICE") -> dict[str, Any]:
    parley.command("commit", user_id=user_id)
    view = parley.open_view(user_id)
    assert view["callback_id"] == CommitCallback.CREATE
    return view


def submit(parley: Parley, user_id: str = "U0ALICE", **values: Any) -> dict[str, Any]:
    fields = {
        CommitBlock.WHAT.value: "Send the revised quote to Dana",
        CommitBlock.DUE.value: TODAY + timedelta(days=3),
    }
    fields.update({CommitBlock(f"commit_{key}").value: value for key, value in values.items()})
    return response_json(parley.submit(fields, user_id=user_id))


def test_the_modal_opens_with_me_as_owner_and_today_as_due(parley: Parley) -> None:
    view = open_modal(parley)
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks[CommitBlock.OWNER]["element"]["initial_user"] == "U0ALICE"
    assert blocks[CommitBlock.DUE]["element"]["initial_date"] == TODAY.isoformat()
    assert blocks[CommitBlock.VALUE_BASE]["optional"] is True


def test_recording_a_commitment_stores_it_and_dms_the_card(parley: Parley) -> None:
    open_modal(parley)
    assert submit(parley) == {}
    [row] = commitments(parley)
    assert (row.text, row.due, row.status, row.source) == (
        "Send the revised quote to Dana",
        TODAY + timedelta(days=3),
        "open",
        "manual",
    )
    assert row.owed_to_id is None and row.notice_days is None
    [card] = cards(parley)
    assert "Send the revised quote to Dana" in card["text"]
    actions = [e["action_id"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == [CommitAction.DONE, CommitAction.SNOOZE, CommitAction.CANCEL]
    with parley.services.db.session() as session:
        assert [e.action for e in session.query(AuditEvent)] == ["commitment.created"]


def test_conditions_default_to_the_playbook_and_are_shown(parley: Parley) -> None:
    open_modal(parley)
    assert submit(parley, value_base="4,000 USD", charged_to="Ops") == {}
    [row] = commitments(parley)
    assert (row.notice_days, row.chargeback_percent, row.chargeback_base_minor, row.charged_to) == (
        14,
        50,
        400000,
        "Ops",
    )
    [card] = cards(parley)
    assert "Cancelling with less than 14 days' notice: 50 % of 4,000 USD charged back to Ops." in str(
        card["blocks"]
    )


@pytest.mark.parametrize(
    ("values", "block", "message"),
    [
        ({"what": "   "}, CommitBlock.WHAT, "Say what will be done"),
        ({"what": "x" * 501}, CommitBlock.WHAT, "500 characters"),
        ({"due": TODAY - timedelta(days=1)}, CommitBlock.DUE, "That date has passed"),
        ({"value_base": "lots"}, CommitBlock.VALUE_BASE, "is not an amount"),
        ({"value_base": "4000", "percent": "150", "charged_to": "Ops"}, CommitBlock.PERCENT, "from 0 to 100"),
        (
            {"notice_days": "2.5", "value_base": "4000", "charged_to": "Ops"},
            CommitBlock.NOTICE_DAYS,
            "whole number",
        ),
        ({"percent": "40"}, CommitBlock.VALUE_BASE, "Give the value"),
        ({"value_base": "4,000 USD"}, CommitBlock.CHARGED_TO, "who is charged back"),
        ({"owed_to": "U0ALICE"}, CommitBlock.OWED_TO, "can't owe it to themselves"),
        ({"negotiation": "999"}, CommitBlock.NEGOTIATION, "isn't one of yours"),
    ],
)
def test_bad_input_is_shown_under_the_field_and_nothing_is_stored(
    parley: Parley, values: dict[str, Any], block: CommitBlock, message: str
) -> None:
    open_modal(parley)
    view = parley.open_view()
    if "negotiation" in values:  # the select only offers the member's own: forge a submission
        view = dict(view)
        view["blocks"] = [
            {
                **b,
                "element": {
                    **b["element"],
                    "options": [{"text": {"type": "plain_text", "text": "x"}, "value": "999"}],
                },
            }
            if b.get("block_id") == CommitBlock.NEGOTIATION
            else b
            for b in view["blocks"]
        ]
    fields = {CommitBlock.WHAT.value: "Send the quote", CommitBlock.DUE.value: TODAY}
    fields.update({CommitBlock(f"commit_{key}").value: value for key, value in values.items()})
    if message.endswith("characters"):  # over the field's max_length: Slack stops it at the field
        with pytest.raises(ClientRefused):
            parley.submit(fields, view=view)
        view = without_length_limits(view)  # and the server refuses it too, if it ever arrives
    body = response_json(parley.submit(fields, view=view))
    assert body["response_action"] == "errors"
    assert message in body["errors"][block]
    assert commitments(parley) == []
    assert cards(parley) == []


def test_a_double_submission_records_one_commitment(parley: Parley) -> None:
    view = open_modal(parley)
    fields = {CommitBlock.WHAT.value: "Book the room", CommitBlock.DUE.value: TODAY}
    parley.submit(fields, view=view)
    parley.submit(fields, view=view)
    assert len(commitments(parley)) == 1
    assert len(cards(parley)) == 1


def test_another_member_as_owner_is_told_and_it_is_owed_to_me(parley: Parley) -> None:
    open_modal(parley)
    assert submit(parley, owner="U0BOB") == {}
    [row] = commitments(parley)
    with parley.services.db.session() as session:
        from storage.models import Member

        owner = session.get(Member, row.owner_id)
        owed = session.get(Member, row.owed_to_id)
        assert owner is not None and owed is not None
        assert (owner.slack_user_id, owner.tz, owed.slack_user_id) == ("U0BOB", "America/New_York", "U0ALICE")
    [bob_card] = cards(parley, "U0BOB")
    assert "<@U0ALICE> recorded a commitment you own." in bob_card["blocks"][0]["text"]["text"]
    [alice_card] = cards(parley)
    alice_actions = [
        e["action_id"] for b in alice_card["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert alice_actions == [CommitAction.DONE]  # she is owed it: she can confirm it, not snooze or cancel it


@given(what=st.text(min_size=1, max_size=500).filter(lambda t: t.strip()))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_whatever_is_typed_is_stored_verbatim_and_shown_escaped(parley: Parley, what: str) -> None:
    parley.slack.reset_calls()
    before = len(commitments(parley))
    open_modal(parley)
    body = submit(parley, what=what)
    kept = what.replace("\x00", "").strip()  # NUL can be neither stored nor shown
    if body:  # refused only when nothing is left
        assert body["response_action"] == "errors" and not kept
        return
    rows = commitments(parley)
    assert len(rows) == before + 1 and rows[-1].text == kept
    card = cards(parley)[-1]
    assert "<!channel>" not in str(card["blocks"])


@given(
    notice=st.text(max_size=30),
    percent=st.text(max_size=30),
    value=st.text(max_size=40),
    charged_to=st.text(max_size=40),
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_whatever_is_typed_in_the_conditions_gets_a_clear_answer_never_a_crash(
    parley: Parley, notice: str, percent: str, value: str, charged_to: str
) -> None:
    before = len(commitments(parley))
    open_modal(parley)
    body = submit(parley, notice_days=notice, percent=percent, value_base=value, charged_to=charged_to)
    rows = commitments(parley)
    if body:
        assert body["response_action"] == "errors" and all(body["errors"].values())
        assert len(rows) == before
    else:
        assert len(rows) == before + 1
        assert rows[-1].chargeback_percent is None or 0 <= rows[-1].chargeback_percent <= 100


def test_the_owners_card_is_written_their_way_not_the_recorders(parley: Parley) -> None:
    """Bob uses Slack in German; Alice records a commitment he owns: his card's due date is German."""
    parley.slack.add_user("U0BOB", tz="Europe/Berlin", locale="de-DE")
    open_modal(parley)
    assert submit(parley, owner="U0BOB") == {}
    due = TODAY + timedelta(days=3)
    [bob_card], [alice_card] = cards(parley, "U0BOB"), cards(parley)
    german = day_words(due, style=DateStyle.SHORT, language="de-DE")
    assert german in json.dumps(bob_card, ensure_ascii=False)
    assert day_words(due, style=DateStyle.SHORT, language="en") in json.dumps(alice_card)
    assert german not in json.dumps(alice_card, ensure_ascii=False)
