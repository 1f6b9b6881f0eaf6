"""The debrief end to end: from *Log the debrief* and from `/negotiate debrief` (a prepared
negotiation or one without a prep), validation, the atomic ledger, the analysis in the DM, one debrief
per negotiation, authorisation, double submissions and failures."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import text

from bot.flows.debrief_modal import BLOCK_FOR
from bot.flows.prep import stored_prep_input
from bot.testkit.requests_interactivity import ClientRefused, without_length_limits
from coaching.counterparts import CounterpartKind
from coaching.debrief import DebriefField, DebriefForm, analyse_debrief, describe_concession, validate_debrief
from coaching.playbook import load_default
from coaching.samples import SAMPLES
from coaching.styles import Style, profile_for
from storage.models import AuditEvent, Commitment, Debrief, IdempotencyKey, LedgerEntry, Negotiation, PrepPlan
from templates import escape_mrkdwn
from templates.ids.debrief import DebriefBlock, DebriefChoice
from templates.ids.negotiation import NegotiationAction
from tests.app.conftest import Parley, response_json
from tests.app.test_prep import (
    ALICE,
    BOB,
    CUSTOMER,
    action_ids,
    count,
    errors_of,
    form_for,
    message_text,
    plan_messages,
    prep,
    rows,
    set_style,
)

GOOD = DebriefForm(
    outcome="agreed",
    offered="Extra onboarding workshop – $1,500\nQuarterly business review – $500",
    conceded=(
        "Extra onboarding workshop – $1,500 -> 24-month term worth $20,000\n"
        "Discount above 10% – $12,000 -> nothing\n"
        "Free support hours – $800 for a case study worth $300"
    ),
    held="Net 90 payment terms\nPrice list – $2,000",
    commitments=(
        "they: sign the renewal by 2026-12-15\n"
        "me: send the contract by 2026-12-01\n"
        "Dana: intro to procurement by 2026-12-05"
    ),
    reflection="They moved once the term was on the table.",
)


# ------------------------------------------------------------------------------------------ helpers


def sample_debrief(kind: CounterpartKind) -> DebriefForm:
    """The coaching sample for ``kind``, its commitments moved after NOW (March 2025 → December
    2026, April 2025 → January 2027)."""
    sample = SAMPLES[kind].debrief
    return dataclasses.replace(
        sample, commitments=sample.commitments.replace("2025-03-", "2026-12-").replace("2025-04-", "2027-01-")
    )


def debrief_values(form: DebriefForm, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {BLOCK_FOR[field]: getattr(form, field.value) for field in DebriefField}
    values[DebriefBlock.OUTCOME] = form.outcome or None
    return values | extra


def analyses(parley: Parley, user_id: str = ALICE) -> list[dict[str, Any]]:
    return [m for m in parley.dms(user_id) if m["text"].startswith("Debrief of")]


def open_from_button(parley: Parley, plan: dict[str, Any], user_id: str = ALICE) -> dict[str, Any]:
    assert parley.click(NegotiationAction.LOG_DEBRIEF, message=plan, user_id=user_id).status == 200
    view = parley.open_view(user_id)
    assert view["callback_id"] == "debrief_submit"
    return view


def blocks_of(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["block_id"]: block for block in view["blocks"]}


def negotiation(parley: Parley) -> Negotiation:
    [only] = rows(parley, Negotiation)
    return only


# ------------------------------------------------------------------------------------------ from the button


@pytest.mark.parametrize(
    ("style", "kind"),
    [
        (Style.CLOSER, CounterpartKind.MANAGEMENT),
        (Style.DIPLOMAT, CounterpartKind.CONSULTANT),
        (Style.STRATEGIST, CounterpartKind.CUSTOMER),
        (Style.GAME_CHANGER, CounterpartKind.SUPPLIER),
        (None, CounterpartKind.LEARNER),
    ],
)
def test_log_the_debrief_stores_the_ledger_and_dms_the_analysis(
    parley: Parley, style: Style | None, kind: CounterpartKind
) -> None:
    set_style(parley, ALICE, style)
    plan = prep(parley, form_for(kind))
    view = open_from_button(parley, plan)
    assert DebriefBlock.NEGOTIATION not in blocks_of(view)  # the button knows which negotiation
    assert escape_mrkdwn(form_for(kind).title) in message_text(view)
    form = sample_debrief(kind)
    response = parley.submit(debrief_values(form), view=view)
    assert response.status == 200 and response_json(response) == {}

    playbook = load_default()
    stored = negotiation(parley)
    [prep_row] = rows(parley, PrepPlan)
    validation = validate_debrief(form, default_currency="USD")
    assert validation.debrief is not None
    expected = analyse_debrief(validation.debrief, stored_prep_input(stored, prep_row), style, playbook)

    [message] = analyses(parley)
    shown = message_text(message)
    assert escape_mrkdwn(expected.summary) in shown
    assert escape_mrkdwn(expected.reflection_question) in shown
    assert escape_mrkdwn(expected.lesson) in shown
    assert profile_for(style).label in shown
    for giveaway in expected.giveaways:
        assert escape_mrkdwn(describe_concession(giveaway)) in shown
    if not expected.money_left_behind.is_zero():
        assert f"Money left behind:* {expected.money_left_behind}" in shown
    for breach in expected.limits_breached:
        assert escape_mrkdwn(breach.limit) in shown
    for held in expected.held:
        assert escape_mrkdwn(held.item) in shown
    for commitment in (*expected.our_commitments, *expected.their_commitments):
        assert escape_mrkdwn(commitment.what) in shown
    assert ("/negotiate style" in shown) == (style is None)

    [debrief] = rows(parley, Debrief)
    assert debrief.outcome == form.outcome and debrief.reflection == form.reflection.strip()
    assert stored.status == {"agreed": "agreed", "paused": "paused", "no_deal": "no_deal"}[form.outcome]
    analysis = debrief.analysis
    assert analysis["conceded"] == {m.currency: m.amount_minor for m in expected.conceded}
    assert analysis["received"] == {m.currency: m.amount_minor for m in expected.received}
    assert analysis["money_left_behind"] == {m.currency: m.amount_minor for m in expected.money_left_behind}
    assert [g["item"] for g in analysis["giveaways"]] == [g.item for g in expected.giveaways]
    assert len(analysis["limits_breached"]) == len(expected.limits_breached)
    assert analysis["had_prep"] is True and analysis["form"]["conceded"] == form.conceded
    ledger = rows(parley, LedgerEntry)
    by_kind = {k: [e for e in ledger if e.kind == k] for k in ("offered", "conceded", "held")}
    assert len(by_kind["offered"]) == len(validation.debrief.offered)
    assert [e.item for e in by_kind["conceded"]] == [c.item for c in validation.debrief.conceded]
    assert len(by_kind["held"]) == len(validation.debrief.held)
    assert all(e.debrief_id == debrief.id for e in ledger)
    commitments = rows(parley, Commitment)
    assert len(commitments) == len(validation.debrief.commitments)
    assert all(c.source == "debrief" and c.status == "open" for c in commitments)
    assert [e.action for e in rows(parley, AuditEvent) if e.action.startswith("debrief.")] == [
        "debrief.logged"
    ]

    [updated] = plan_messages(parley)  # the plan's buttons give way to a note
    assert updated["ts"] == plan["ts"] and action_ids(updated) == []
    assert "Debrief logged" in message_text(updated)


def test_the_ledger_and_commitments_are_written_line_by_line(parley: Parley) -> None:
    view = open_from_button(parley, prep(parley))
    parley.submit(debrief_values(GOOD), view=view)
    ledger = rows(parley, LedgerEntry)
    conceded = [
        (e.item, e.value_minor, e.currency, e.received_item, e.received_value_minor)
        for e in ledger
        if e.kind == "conceded"
    ]
    assert conceded == [
        ("Extra onboarding workshop", 150000, "USD", "24-month term", 2000000),
        ("Discount above 10%", 1200000, "USD", None, None),
        ("Free support hours", 80000, "USD", "a case study", 30000),
    ]
    held = [(e.item, e.value_minor, e.position) for e in ledger if e.kind == "held"]
    assert held == [("Net 90 payment terms", None, 0), ("Price list", 200000, 1)]
    member_id = negotiation(parley).owner_id
    owners = [
        (c.owner_id, c.owner_label, c.owed_to_id, c.text, c.due.isoformat()) for c in rows(parley, Commitment)
    ]
    assert owners == [
        (None, "they", member_id, "sign the renewal", "2026-12-15"),
        (member_id, "", None, "send the contract", "2026-12-01"),
        (None, "Dana", member_id, "intro to procurement", "2026-12-05"),
    ]
    [debrief] = rows(parley, Debrief)
    analysis = debrief.analysis
    assert analysis["limits_breached"] == [
        {
            "item": "Discount above 10%",
            "limit": "Discount above 10%",
            "detail": "more than 10 % conceded (“Discount above 10%”) — your limit was discount ≤ 10 %",
        }
    ]
    assert analysis["giveaway_total"] == {"USD": 1200000}
    assert analysis["money_left_behind"] == {"USD": 1250000}  # the giveaway + 500 short on the support hours
    assert analysis["balance_ratio"] == {"USD": round(2030000 / 1430000, 4)}
    shown = message_text(analyses(parley)[-1])
    assert "more than 10 % conceded (“Discount above 10%”) — your limit was discount ≤ 10 %" in shown
    assert "Money left behind:* 12,500 USD" in shown
    assert "short by 500 USD" in shown


def test_a_return_in_another_currency_gets_its_own_received_line(parley: Parley) -> None:
    view = open_from_button(parley, prep(parley))
    form = dataclasses.replace(GOOD, conceded="Workshop – $1,500 -> case study worth 800 EUR", commitments="")
    parley.submit(debrief_values(form), view=view)
    lines = [
        (e.kind, e.item, e.value_minor, e.currency, e.received_item, e.received_value_minor)
        for e in rows(parley, LedgerEntry)
        if e.kind in ("conceded", "received")
    ]
    assert lines == [
        ("conceded", "Workshop", 150000, "USD", "case study", None),
        ("received", "case study", 80000, "EUR", None, None),
    ]


# ------------------------------------------------------------------------------------------ from the command


def test_debrief_command_offers_open_negotiations_and_logs_against_the_chosen_one(parley: Parley) -> None:
    prep(parley)
    the_one = negotiation(parley)
    parley.command("debrief")
    view = parley.open_view()
    options = blocks_of(view)[DebriefBlock.NEGOTIATION]["element"]["options"]
    assert [o["value"] for o in options] == [str(the_one.id), DebriefChoice.UNPREPPED]
    assert options[0]["text"]["text"].startswith(CUSTOMER.title)
    response = parley.submit(debrief_values(GOOD, **{DebriefBlock.NEGOTIATION: str(the_one.id)}), view=view)
    assert response_json(response) == {}
    [debrief] = rows(parley, Debrief)
    assert debrief.negotiation_id == the_one.id and negotiation(parley).status == "agreed"
    assert len(analyses(parley)) == 1


def test_a_negotiation_without_a_prep_needs_a_title_and_a_kind(parley: Parley) -> None:
    prep(parley)
    parley.command("debrief")
    view = parley.open_view()
    choice = {DebriefBlock.NEGOTIATION: DebriefChoice.UNPREPPED}
    errors = errors_of(parley.submit(debrief_values(GOOD, **choice), view=view))
    assert set(errors) == {DebriefBlock.TITLE, DebriefBlock.COUNTERPART_KIND}
    assert "Give the negotiation a title" in errors[DebriefBlock.TITLE]
    assert count(parley, Debrief) == 0 and count(parley, Negotiation) == 1

    form = dataclasses.replace(GOOD, outcome="no_deal")
    new = {**choice, DebriefBlock.TITLE: "Hallway pricing chat", DebriefBlock.COUNTERPART_KIND: "supplier"}
    assert response_json(parley.submit(debrief_values(form, **new), view=view)) == {}
    created = next(n for n in rows(parley, Negotiation) if n.title == "Hallway pricing chat")
    assert (created.counterpart_kind, created.status, created.date.isoformat()) == (
        "supplier",
        "no_deal",
        "2026-11-23",
    )
    [debrief] = rows(parley, Debrief)
    assert debrief.negotiation_id == created.id and debrief.analysis["had_prep"] is False
    shown = message_text(analyses(parley)[-1])
    assert "no prep to compare against" in shown


def test_nul_characters_are_dropped_before_a_title_is_trimmed(parley: Parley) -> None:
    parley.command("debrief", channel_id="C0GENERAL")
    view = parley.open_view()
    typed = {DebriefBlock.TITLE: "Talk \x00", DebriefBlock.COUNTERPART_KIND: "supplier"}
    form = dataclasses.replace(GOOD, conceded="\x00")
    assert response_json(parley.submit(debrief_values(form, **typed), view=view)) == {}
    [negotiation] = rows(parley, Negotiation)
    assert negotiation.title == "Talk"  # not "Talk " (trimmed first, NUL removed later)
    [debrief] = rows(parley, Debrief)
    assert debrief.analysis["form"]["conceded"] == ""


def test_with_nothing_open_the_modal_asks_which_negotiation_it_was(parley: Parley) -> None:
    parley.command("debrief", channel_id="C0GENERAL")
    view = parley.open_view()
    blocks = blocks_of(view)
    assert DebriefBlock.NEGOTIATION not in blocks
    assert blocks[DebriefBlock.TITLE].get("optional") is False
    errors = errors_of(parley.submit(debrief_values(GOOD), view=view))
    assert set(errors) == {DebriefBlock.TITLE, DebriefBlock.COUNTERPART_KIND}
    new = {DebriefBlock.TITLE: "Unplanned call", DebriefBlock.COUNTERPART_KIND: "management"}
    assert response_json(parley.submit(debrief_values(GOOD, **new), view=view)) == {}
    assert negotiation(parley).title == "Unplanned call" and count(parley, Debrief) == 1


def test_a_paused_debrief_leaves_nothing_open_to_debrief_again(parley: Parley) -> None:
    view = open_from_button(parley, prep(parley))
    parley.submit(debrief_values(dataclasses.replace(GOOD, outcome="paused")), view=view)
    assert negotiation(parley).status == "paused"
    parley.command("debrief")
    assert DebriefBlock.NEGOTIATION not in blocks_of(parley.open_view())


# ------------------------------------------------------------------------------------------ validation

VALIDATION_CASES = [
    ({"outcome": ""}, DebriefBlock.OUTCOME, "Choose how it ended: agreed, no deal or paused."),
    ({"offered": "Workshop – 12abc"}, DebriefBlock.OFFERED, "Line 1 “Workshop – 12abc”: value '12abc'"),
    ({"conceded": "Extra day – $2,000 -> nothing\n -> case study"}, DebriefBlock.CONCEDED, "Line 2"),
    ({"held": "h" * 3001}, DebriefBlock.HELD, "Keep this under 3,000 characters (it has 3,001)."),
    (
        {"commitments": "they: confirm all VPs"},
        DebriefBlock.COMMITMENTS,
        "no due date: end the line with 'by YYYY-MM-DD'",
    ),
    ({"commitments": "they: confirm by 2026-02-30"}, DebriefBlock.COMMITMENTS, "is not a real date"),
    (
        {"commitments": "they: confirm by 2026-11-01"},
        DebriefBlock.COMMITMENTS,
        "which has already passed; use today (Mon 23 Nov 2026) or later.",
    ),
    ({"reflection": "r" * 3001}, DebriefBlock.REFLECTION, "Keep this under 3,000 characters (it has 3,001)."),
]


def test_each_validation_error_shows_in_the_modal_and_stores_nothing(parley: Parley) -> None:
    view = open_from_button(parley, prep(parley))
    refused = 0
    for change, block, expected in VALIDATION_CASES:
        typed = debrief_values(dataclasses.replace(GOOD, **change))
        try:
            response = parley.submit(typed, view=view)
        except ClientRefused:  # over the field's max_length: Slack stops it at the field...
            refused += 1  # ...and the server refuses it too, should it arrive
            response = parley.submit(typed, view=without_length_limits(view))
        errors = errors_of(response)
        assert set(errors) == {block}, change
        assert expected in errors[block], (change, errors[block])
    assert refused == sum("Keep this under" in expected for _, _, expected in VALIDATION_CASES) > 0
    assert count(parley, Debrief) == count(parley, LedgerEntry) == count(parley, Commitment) == 0
    assert count(parley, IdempotencyKey) == 1  # the prep's own
    assert negotiation(parley).status == "planned" and analyses(parley) == []
    assert response_json(parley.submit(debrief_values(GOOD), view=view)) == {}  # fixed: it goes through
    assert count(parley, Debrief) == 1


# ------------------------------------------------------------------------------------------ one debrief each


def test_a_second_debrief_is_refused_plainly(parley: Parley) -> None:
    plan = prep(parley)
    first = open_from_button(parley, plan)
    second = open_from_button(parley, plan)  # two modals open at once (another tab, say)
    assert response_json(parley.submit(debrief_values(GOOD), view=first)) == {}
    errors = errors_of(
        parley.submit(debrief_values(dataclasses.replace(GOOD, outcome="no_deal")), view=second)
    )
    assert "already has a debrief" in errors[DebriefBlock.OUTCOME]
    assert count(parley, Debrief) == 1 and negotiation(parley).status == "agreed"
    ledger = count(parley, LedgerEntry)

    views = len(parley.slack.calls_to("views.open"))
    parley.click(NegotiationAction.LOG_DEBRIEF, message=plan)  # a stale copy of the plan's button
    assert len(parley.slack.calls_to("views.open")) == views
    assert "already has a debrief" in parley.slack.ephemerals(user=ALICE)[-1]["text"]
    parley.click(NegotiationAction.EDIT_PREP, message=plan)
    assert "already has a debrief" in parley.slack.ephemerals(user=ALICE)[-1]["text"]
    assert count(parley, LedgerEntry) == ledger


# ------------------------------------------------------------------------------------------ authorisation


def test_someone_elses_log_the_debrief_click_is_refused(parley: Parley) -> None:
    plan = prep(parley)
    views = len(parley.slack.calls_to("views.open"))
    parley.click(
        NegotiationAction.LOG_DEBRIEF, message=plan, user_id=BOB, channel_id=parley.slack.dm_channel(ALICE)
    )
    assert len(parley.slack.calls_to("views.open")) == views
    [notice] = parley.slack.ephemerals(user=BOB)
    assert "isn't yours" in notice["text"]
    assert count(parley, Debrief) == 0


def test_forged_submissions_for_someone_elses_negotiation_are_refused(parley: Parley) -> None:
    prep(parley)
    alices = negotiation(parley)
    parley.command("debrief", user_id=BOB, channel_id="C0GENERAL")
    view = parley.open_view(BOB)
    view["private_metadata"] = f'{{"channel_id":"C0GENERAL","negotiation_id":{alices.id}}}'
    errors = errors_of(parley.submit(debrief_values(GOOD), user_id=BOB, view=view))
    assert "isn't yours" in errors[DebriefBlock.OUTCOME]
    assert count(parley, Debrief) == 0 and negotiation(parley).status == "planned"


def test_a_forged_choice_of_someone_elses_negotiation_is_refused(parley: Parley) -> None:
    prep(parley, user_id=BOB)
    bobs = negotiation(parley)
    prep(parley, dataclasses.replace(CUSTOMER, title="Alice's own"))
    parley.command("debrief")
    view = parley.open_view()
    forged = {"text": {"type": "plain_text", "text": "x"}, "value": str(bobs.id)}
    errors = errors_of(parley.submit(debrief_values(GOOD, **{DebriefBlock.NEGOTIATION: forged}), view=view))
    assert "isn't yours" in errors[DebriefBlock.OUTCOME]
    assert count(parley, Debrief) == 0


# ------------------------------------------------------------------------------------------ robustness


def test_double_submission_stores_one_debrief(parley: Parley) -> None:
    view = open_from_button(parley, prep(parley))
    for _ in range(2):
        assert response_json(parley.submit(debrief_values(GOOD), view=view)) == {}
    assert count(parley, Debrief) == 1
    assert count(parley, LedgerEntry) == 2 + 3 + 2 and count(parley, Commitment) == 3
    assert len(analyses(parley)) == 1


def test_a_slack_failure_after_the_commit_keeps_the_debrief_and_tells_the_member(parley: Parley) -> None:
    prep(parley)
    parley.command("debrief", channel_id="C0GENERAL")
    view = parley.open_view()
    parley.slack.fail_next("chat.postMessage", error="channel_not_found")
    choice = {DebriefBlock.NEGOTIATION: str(negotiation(parley).id)}
    assert response_json(parley.submit(debrief_values(GOOD, **choice), view=view)) == {}
    assert analyses(parley) == []
    assert count(parley, Debrief) == 1 and count(parley, LedgerEntry) == 7
    [notice] = parley.slack.ephemerals(channel="C0GENERAL", user=ALICE)
    assert "Your debrief is saved" in notice["text"]


def test_a_short_rate_limit_is_retried(parley: Parley) -> None:
    view = open_from_button(parley, prep(parley))
    parley.slack.rate_limit("chat.postMessage", retry_after=0)
    parley.submit(debrief_values(GOOD), view=view)
    assert len(analyses(parley)) == 1 and parley.slack.ephemerals(user=ALICE) == []


def test_a_database_failure_answers_in_the_modal_and_writes_nothing(parley: Parley) -> None:
    view = open_from_button(parley, prep(parley))
    with parley.services.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE ledger_entries"))
    errors = errors_of(parley.submit(debrief_values(GOOD), view=view))
    assert "couldn't save this" in errors[DebriefBlock.OUTCOME]
    assert count(parley, Debrief) == count(parley, Commitment) == 0
    assert negotiation(parley).status == "planned" and analyses(parley) == []
    LedgerEntry.__table__.create(parley.services.db.engine)  # back again: the same modal goes through
    assert response_json(parley.submit(debrief_values(GOOD), view=view)) == {}
    assert count(parley, Debrief) == 1 and count(parley, LedgerEntry) == 7


def home_with_button(negotiation_id: int) -> dict[str, Any]:
    """A Home tab carrying *Log the debrief* (App Home and reminders use the same action and value)."""
    button = {
        "type": "button",
        "action_id": NegotiationAction.LOG_DEBRIEF.value,
        "text": {"type": "plain_text", "text": "Log the debrief"},
        "value": f'{{"negotiation_id":{negotiation_id}}}',
    }
    return {
        "id": "V0HOME",
        "type": "home",
        "blocks": [{"type": "actions", "block_id": "b", "elements": [button]}],
    }


def test_log_the_debrief_from_the_home_tab(parley: Parley) -> None:
    prep(parley)
    home = home_with_button(negotiation(parley).id)
    parley.click(NegotiationAction.LOG_DEBRIEF, view=home, user_id=BOB)  # no response_url on a Home tab
    [notice] = parley.slack.ephemerals(user=BOB)
    assert "isn't yours" in notice["text"] and notice["channel"] == parley.slack.dm_channel(BOB)
    parley.click(NegotiationAction.LOG_DEBRIEF, view=home)
    view = parley.open_view()
    assert response_json(parley.submit(debrief_values(GOOD), view=view)) == {}
    assert count(parley, Debrief) == 1
