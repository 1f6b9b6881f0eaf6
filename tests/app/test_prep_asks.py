"""Their asks through the Slack app: the prep field, its storage, and both branches in the plan.

Runs on SQLite and PostgreSQL (the ``parley`` fixture), through the real Bolt app and the strict fake
Slack. Limits typed as numbers are checked by number: the plan's held-back list and the counters
quote the constraint ("discount ≤ 7 %") and their number.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import select

from bot.flows.prep_modal import BLOCK_FOR
from bot.members import resolve_actor
from bot.testkit.requests_interactivity import ClientRefused, without_length_limits
from coaching.prep import PrepField, PrepForm
from coaching.styles import Style
from storage.models import Member, PrepPlan
from templates.ids.negotiation import NegotiationAction
from templates.ids.prep import PrepBlock
from tests.app.conftest import Parley, response_json
from tests.app.test_prep import message_text

ALICE = "U0ALICE"
RENEWAL = PrepForm(
    title="Northwind renewal",
    counterpart_kind="customer",
    counterpart_name="Northwind Ltd",
    date="2026-12-01",
    objectives="Renew for 24 months",
    limits="No more than 7% off\nMinimum term 12 months",
    tradeables="Onboarding day $900 worth $2,500\n12% discount – $14,000",
    wants="24-month term – worth $20,000\nCase study – worth $3,000",
    asks="12% discount\n5% discount\nShorter term: 6 months",
)


def values(form: PrepForm) -> dict[str, Any]:
    selects = (PrepField.COUNTERPART_KIND, PrepField.COUNTERPART_STYLE, PrepField.DATE)
    return {
        BLOCK_FOR[field]: (getattr(form, field.value) or None)
        if field in selects
        else getattr(form, field.value)
        for field in PrepField
    }


def plan_shown(parley: Parley, card: dict[str, Any]) -> str:
    """The card and the full plan in its thread, as the member reads them."""
    [reply] = parley.slack.thread(parley.slack.dm_channel(ALICE), card["ts"])
    return message_text(card) + "\n" + message_text(reply)


def submit(parley: Parley, form: PrepForm) -> dict[str, Any]:
    assert parley.command("prep", user_id=ALICE, channel_id="D0ALICE").status == 200
    view = parley.open_view(ALICE)
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks[PrepBlock.ASKS]["label"]["text"] == "What they will ask for"
    assert blocks[PrepBlock.ASKS]["optional"] is True
    response = parley.submit(values(form), user_id=ALICE, view=view)
    assert response.status == 200 and response_json(response) == {}, response.body
    return [m for m in parley.dms(ALICE) if m["text"].startswith("Prep plan:")][-1]


def test_asks_are_stored_and_each_gets_its_branch(parley: Parley) -> None:
    plan = submit(parley, RENEWAL)
    with parley.services.db.session() as session:
        [stored] = session.scalars(select(PrepPlan)).all()
        assert stored.asks == RENEWAL.asks
    shown = plan_shown(parley, plan)
    assert "Their asks, and your answer to each" in shown
    # Branch 1: breaks the limit, so a counter built from that limit and their number.
    assert "“12% discount”* — breaks your limit discount ≤ 7 %" in shown
    assert "12 % off works only on a 36-month term" in shown and "At 7 % we keep the terms" in shown
    assert "A term of 6 months would mean list price" in shown and "At 12 months" in shown
    # Branch 2: within the limits, so a trade with our most valuable want.
    assert "“5% discount”* — within your limits" in shown
    assert "If you agree to “24-month term”, then we can agree to “5% discount”." in shown
    # The tradeable past the limit is held back by number; "Onboarding day $900" kept its price.
    assert "12 % offered (“12% discount”) — your limit was discount ≤ 7 %" in shown
    assert "we can agree to “12% discount”" not in shown
    assert "we’ll agree to “Onboarding day”." in shown and "Costs us 900 USD" in shown


def test_edit_prep_prefills_the_asks(parley: Parley) -> None:
    plan = submit(parley, RENEWAL)
    assert parley.click(NegotiationAction.EDIT_PREP, message=plan).status == 200
    view = parley.open_view()
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks[PrepBlock.ASKS]["element"]["initial_value"] == RENEWAL.asks
    response = parley.submit({PrepBlock.ASKS: "3% discount"}, view=view)
    assert response_json(response) == {}
    with parley.services.db.session() as session:
        [stored] = session.scalars(select(PrepPlan)).all()
        assert stored.asks == "3% discount"


def test_a_learner_is_asked_first_never_countered(parley: Parley) -> None:
    form = dataclasses.replace(
        RENEWAL,
        counterpart_kind="learner",
        limits="Missing more than 2 hours of the course",
        tradeables="",
        wants="30 minutes with the instructor before day 3",
        asks="Skip the Friday afternoon: 4 hours",
    )
    shown = plan_shown(parley, submit(parley, form))
    assert "ask first, trade after" in shown
    assert "Ask first: what's behind it, and can any part of it move?" in shown
    assert "then we can agree to “Skip the Friday afternoon: 4 hours”" in shown
    assert "terms they'll refuse" not in shown


def test_an_over_long_asks_field_is_refused_and_nothing_is_stored(parley: Parley) -> None:
    assert parley.command("prep", user_id=ALICE, channel_id="D0ALICE").status == 200
    view = parley.open_view(ALICE)
    typed = values(dataclasses.replace(RENEWAL, asks="x" * 3_001))
    with pytest.raises(ClientRefused):  # Slack stops it at the field (max_length)...
        parley.submit(typed, user_id=ALICE, view=view)
    response = parley.submit(typed, user_id=ALICE, view=without_length_limits(view))  # ...and so does Parley
    errors = response_json(response)["errors"]
    assert errors == {PrepBlock.ASKS: "Keep this under 3,000 characters (it has 3,001)."}
    with parley.services.db.session() as session:
        assert session.scalars(select(PrepPlan)).all() == []


# ------------------------------------------------------------------------------------------ direction


def test_an_item_on_both_sides_is_a_field_error_and_nothing_is_stored(parley: Parley) -> None:
    assert parley.command("prep", user_id=ALICE, channel_id="D0ALICE").status == 200
    view = parley.open_view(ALICE)
    form = dataclasses.replace(RENEWAL, tradeables="Case study – $500", wants="Case study – worth $3,000")
    errors = response_json(parley.submit(values(form), user_id=ALICE, view=view))["errors"]
    assert errors == {
        PrepBlock.TRADEABLES: "“Case study” is also in what you want: keep each item on one side — "
        "something you give, or something you want in return."
    }
    with parley.services.db.session() as session:
        assert session.scalars(select(PrepPlan)).all() == []


def test_an_item_on_the_wrong_side_is_kept_out_of_the_trades_with_the_fix(parley: Parley) -> None:
    form = dataclasses.replace(RENEWAL, tradeables="Payment up front – $0\nOnboarding day $900 worth $2,500")
    shown = plan_shown(parley, submit(parley, form))
    assert "“Payment up front” is usually something a customer gives you: move it to what you want" in shown
    assert "we’ll agree to “Payment up front”" not in shown
    assert "we’ll agree to “Onboarding day”" in shown


def test_no_want_means_no_trade_with_a_blank_to_fill(parley: Parley) -> None:
    form = dataclasses.replace(RENEWAL, wants="", asks="")
    shown = plan_shown(parley, submit(parley, form))
    assert "[what you want in return" not in shown and "Trades to propose" not in shown
    assert "Decide what you want in return, so every concession has a price." in shown


# ------------------------------------------------------------------------------------------ three moves


@pytest.mark.parametrize("style", [None, *Style])
def test_the_plan_opens_with_three_moves_within_the_card_size(parley: Parley, style: Style | None) -> None:
    if style is not None:
        actor = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", ALICE)
        with parley.services.db.session() as session:
            member = session.get(Member, actor.member_id)
            assert member is not None
            member.style = style.value
    plan = submit(parley, RENEWAL)
    sections = [b for b in plan["blocks"] if b["type"] == "section"]
    first = sections[0] if sections[0]["text"]["text"].startswith("*:three:") else sections[1]
    card = first["text"]["text"]
    assert card.startswith("*:three: Your three moves*")
    assert len(card) <= 1_500
    assert card.count("\n*") == 3  # exactly three numbered moves
    assert card.count("12 % off works only on a 36-month term") == 1  # the counter is said once
