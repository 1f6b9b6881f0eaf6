"""Details a Slack user notices on trade cards and modals (issue 15, items 5 and 6), through the app."""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

from coaching.dates import DateStyle, day_words
from storage.models import Member
from templates.ids.trades import TradeAction, TradeBlock
from tests.app.conftest import response_json
from tests.app.test_trade_kit import TERMS, Desk, desk, team, text_of  # noqa: F401


def element(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        e
        for block in message["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
        if e["action_id"] == action_id
    )


def styles(message: dict[str, Any]) -> dict[str, str]:
    return {
        e["action_id"]: e.get("style", "")
        for block in message["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
    }


def test_destructive_buttons_are_danger_with_slacks_confirm_dialog_and_primary_is_the_safe_one(
    team: Desk,
) -> None:
    team.propose()
    bob, alice = team.copy("U0BOB"), team.copy("U0ALICE")
    assert styles(bob) == {
        TradeAction.APPROVE: "primary",
        TradeAction.REJECT: "danger",
        TradeAction.COUNTER: "",
    }
    assert styles(alice) == {TradeAction.WITHDRAW: "danger"}
    for button in (element(bob, TradeAction.REJECT), element(alice, TradeAction.WITHDRAW)):
        confirm = button["confirm"]  # Block Kit's confirmation dialog object (the fake validates it)
        assert confirm["style"] == "danger"
        assert {key: confirm[key]["type"] for key in ("title", "text", "confirm", "deny")} == dict.fromkeys(
            ("title", "text", "confirm", "deny"), "plain_text"
        )
    assert element(bob, TradeAction.APPROVE).get("confirm") is None  # the safe action asks nothing


def test_the_counter_modal_does_not_prefill_why_with_the_other_sides_reason(team: Desk) -> None:
    team.propose()
    team.click(TradeAction.COUNTER, "U0BOB", team.copy("U0BOB"))
    modal = team.parley.open_view("U0BOB")
    reason = next(b for b in modal["blocks"] if b.get("block_id") == TradeBlock.REASON)
    assert not reason["element"].get("initial_value")
    assert "They asked twice" in str(modal["blocks"])  # the proposer's reason is still shown, as theirs


def test_a_countered_card_says_who_countered_not_that_the_proposer_proposes_it(team: Desk) -> None:
    team.propose()
    team.click(TradeAction.COUNTER, "U0BOB", team.copy("U0BOB"))
    team.parley.submit(
        {TradeBlock.GIVE: "one coaching session", TradeBlock.GIVE_COST: "$750", TradeBlock.REASON: "Halfway"},
        user_id="U0BOB",
    )
    bob, alice = text_of(team.copy("U0BOB")), text_of(team.copy("U0ALICE"))
    assert "<@U0ALICE> proposes" not in bob and "You countered (round 1) with:" in bob
    assert "<@U0BOB> countered (round 1) with:" in alice and "You proposed" not in alice


def test_an_over_maximum_note_says_what_the_approver_can_do_here(team: Desk) -> None:
    team.propose(**{TradeBlock.GIVE_COST: "$6,000", TradeBlock.GET_VALUE: "$20,000"})
    bob = text_of(team.copy("U0BOB"))
    assert "maximum for one concession" in bob
    assert "escalate it" not in bob and "counter with less, or approve it knowingly" in bob


def test_a_trade_worth_well_under_its_cost_warns_the_proposer_before_it_reaches_the_approver(
    team: Desk,
) -> None:
    team.parley.command("trade")
    low = {TradeBlock.GET_VALUE: "$600", TradeBlock.GIVE_COST: "$1,500"}  # 0.4×
    first = response_json(team.parley.submit({**TERMS, **low}))
    assert "0.4× what it costs us" in first["errors"][TradeBlock.GET_VALUE]
    assert team.trades() == [] and team.parley.dms("U0BOB") == []  # nothing sent, nothing stored
    changed = response_json(team.parley.submit({**TERMS, **low, TradeBlock.GET_VALUE: "$700"}))
    assert TradeBlock.GET_VALUE in changed["errors"]  # new terms, still low: warned again
    assert response_json(team.parley.submit({**TERMS, **low, TradeBlock.GET_VALUE: "$700"})) == {}
    assert team.trade().get_value_minor == 70_000  # the proposer chose to send it as it is
    assert "Trade for your approval" in text_of(team.copy("U0BOB"))


def test_a_balanced_trade_is_sent_at_once(team: Desk) -> None:
    team.propose()
    assert len(team.trades()) == 1


def test_the_debrief_prefills_the_negotiations_approved_trades(team: Desk) -> None:
    from templates.ids.debrief import DebriefBlock
    from templates.ids.negotiation import NegotiationAction

    negotiation = team.negotiation()
    team.propose(**{TradeBlock.NEGOTIATION: str(negotiation)})
    team.click(TradeAction.APPROVE, "U0BOB", team.copy("U0BOB"))
    team.propose(**{TradeBlock.NEGOTIATION: str(negotiation), TradeBlock.GIVE: "a rejected idea"})
    rejected = team.copy("U0BOB")
    team.click(TradeAction.REJECT, "U0BOB", rejected)
    team.parley.submit({TradeBlock.REJECT_REASON: "No."}, user_id="U0BOB")
    button = {
        "type": "button",
        "action_id": NegotiationAction.LOG_DEBRIEF.value,
        "text": {"type": "plain_text", "text": "Log the debrief"},
        "value": f'{{"negotiation_id":{negotiation}}}',
    }
    plan = {"ts": "1700000000.000100", "blocks": [{"type": "actions", "block_id": "b", "elements": [button]}]}
    team.parley.click(NegotiationAction.LOG_DEBRIEF, message=plan)
    modal = team.parley.open_view()
    conceded = next(b for b in modal["blocks"] if b.get("block_id") == DebriefBlock.CONCEDED)
    assert conceded["element"]["initial_value"] == (
        "two extra coaching sessions – 1,500 USD -> Acme extends the contract to 24 months worth 10,000 USD"
    )  # the approved trade only, in the debrief's own format (the rejected one was never conceded)
    offered = next(b for b in modal["blocks"] if b.get("block_id") == DebriefBlock.OFFERED)
    assert "initial_value" not in offered["element"]
    kept = {DebriefBlock.OUTCOME: "agreed", DebriefBlock.CONCEDED: conceded["element"]["initial_value"]}
    assert response_json(team.parley.submit(kept)) == {}  # the pre-filled line reads as typed


def test_the_trade_modal_offers_the_plans_suggested_trades(team: Desk) -> None:
    from bot.flows.prep_modal import BLOCK_FOR
    from coaching.prep import PrepField
    from tests.app.test_trade_kit import buttons

    team.parley.command("prep Acme renewal")
    prepped = team.parley.submit(
        {
            BLOCK_FOR[PrepField.TITLE]: "Acme renewal",
            BLOCK_FOR[PrepField.COUNTERPART_KIND]: "customer",
            BLOCK_FOR[PrepField.COUNTERPART_NAME]: "Acme",
            BLOCK_FOR[PrepField.DATE]: "2026-12-01",
            BLOCK_FOR[PrepField.OBJECTIVES]: "Renew for 24 months",
            BLOCK_FOR[PrepField.LIMITS]: "Discount above 10%",
            BLOCK_FOR[PrepField.TRADEABLES]: "Extra workshop – $1,500 – worth $4,000",
            BLOCK_FOR[PrepField.WANTS]: "24-month term – worth $20,000",
        }
    )
    assert response_json(prepped) == {}, prepped.body
    plan = next(m for m in team.parley.dms("U0ALICE") if TradeAction.PROPOSE in buttons(m))
    team.parley.click(TradeAction.PROPOSE, message=plan)
    modal = team.parley.open_view()
    menu = next(b for b in modal["blocks"] if b.get("block_id") == TradeBlock.SUGGESTIONS)["accessory"]
    [option] = menu["options"]
    assert option["text"]["text"] == "Extra workshop for 24-month term"
    team.parley.click(
        TradeAction.FROM_PLAN, view=modal, block_id=TradeBlock.SUGGESTIONS, value=option["value"]
    )
    filled = team.parley.open_view()
    initial = {
        b["block_id"]: b["element"].get("initial_value") for b in filled["blocks"] if b["type"] == "input"
    }
    assert initial[TradeBlock.GIVE] == "Extra workshop" and initial[TradeBlock.GIVE_COST] == "1,500 USD"
    assert initial[TradeBlock.GET] == "24-month term" and initial[TradeBlock.GET_VALUE] == "20,000 USD"
    assert response_json(team.parley.submit({}, view=filled)) == {}  # sent as the plan suggested
    assert team.trade().give_item == "Extra workshop"


def test_each_copy_of_a_decided_request_writes_dates_its_readers_way(team: Desk) -> None:
    """Bob decides in his own request, yet Alice's copy keeps her dates and Bob's is in his language."""
    with team.db.session() as session:
        bob = session.query(Member).filter_by(slack_user_id="U0BOB").one()
        bob.settings = {**(bob.settings or {}), "date_language": "fr-FR"}
        alice = session.query(Member).filter_by(slack_user_id="U0ALICE").one()
        alice.settings = {**(alice.settings or {}), "date_style": "iso"}
    team.propose()
    team.click(TradeAction.APPROVE, "U0BOB", team.copy("U0BOB"))
    today = team.clock().date()
    bobs, alices = text_of(team.copy("U0BOB")), text_of(team.copy("U0ALICE"))
    assert day_words(today, style=DateStyle.SHORT, language="fr-FR") in bobs, bobs
    assert today.isoformat() in alices and "Approved" in alices, alices
