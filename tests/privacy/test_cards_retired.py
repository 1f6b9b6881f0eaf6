"""Erasure and retention reach the cards already posted in Slack (issue 15, item 1): every recorded
message of what went (prep plan and its full plan, debrief reminder, commitment card, both copies of a
trade) is overwritten through the outbox to say why, with no buttons and none of the text it showed,
and its record goes; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.testkit.cards import Place, assert_cards_current, assert_cards_retired, places_of
from storage.models import Commitment, MessageRef, TradeProposal, Workspace
from tests.app.test_prep import prep
from tests.app.test_trade_kit import TERMS
from tests.scheduling.conftest import World, utc
from tests.scheduling.test_commit_actions import TODAY, record, team

ERASED = "was erased with its owner's data"
RETAINED = "was removed under the workspace's retention policy"
WHAT = "Confirm all 10 VPs for the March course"
REASON = str(TERMS[next(k for k in TERMS if k.value.endswith("reason"))])
PERSONAL = [WHAT, REASON, "Keep the discount under 5%", "Renewal below $100,000 a year", "Northwind"]


def _alice_posts_everything(world: World) -> dict[str, list[int]]:
    """Alice (reporting to Bob) preps, records a commitment and proposes a trade for Bob to approve,
    all through the app; the commitment and trade are then filed under the negotiation."""
    team(world)
    prep(world.parley)
    record(world, what=WHAT, due=TODAY + timedelta(days=5))
    world.parley.command("trade")
    response = world.parley.submit(dict(TERMS))
    assert response.status == 200, response.body
    world.deliver()
    with world.db.session() as session:
        trade_ids = list(session.scalars(select(TradeProposal.id)))
        session.execute(update(Commitment).values(negotiation_id=1))
        session.execute(update(TradeProposal).values(negotiation_id=1))
    assert len(trade_ids) == 1
    return {"negotiation": [1], "commitment": [1], "trade": trade_ids}


def _places(world: World, held: dict[str, list[int]]) -> list[Place]:
    found = [place for entity, ids in held.items() for place in places_of(world.services, entity, ids)]
    assert {p.view for p in found} >= {"plan", "card", "approver", "proposer"}, found
    return found


def _settings(world: World, **values: object) -> None:
    with world.db.session() as session:
        workspace = session.get(Workspace, world.workspace_id())
        assert workspace is not None
        workspace.settings = {**workspace.settings, **values}


def _full_plan_text(world: World, plan_ts: str) -> str:
    [reply] = world.slack.thread(world.slack.dm_channel("U0ALICE"), plan_ts)
    return str(reply)


def test_erasing_a_member_overwrites_every_card_of_theirs(world: World) -> None:
    held = _alice_posts_everything(world)
    places = _places(world, held)
    plan_ts = next(p.ts for p in places if p.view == "plan")
    assert "Keep the discount under 5%" in _full_plan_text(world, plan_ts)
    world.parley.command("my-data")
    view = world.parley.open_view("U0ALICE")
    world.parley.click("my_data_erase", view=view)
    world.parley.submit({}, view=world.parley.open_view("U0ALICE"))
    world.tick(world.clock() + timedelta(minutes=1))  # the erasure, then the overwrites
    assert_cards_retired(world.services, world.slack, places, says=ERASED, gone=PERSONAL)
    full_plan = _full_plan_text(world, plan_ts)
    assert "Keep the discount under 5%" not in full_plan and ERASED in full_plan
    bob_copy = next(p for p in places if p.view == "approver")
    [message] = [m for m in world.slack.messages(bob_copy.channel) if m["ts"] == bob_copy.ts]
    assert message["text"] == "This trade request was erased with its owner's data."
    with world.db.session() as session:
        assert session.scalars(select(TradeProposal.status)).one() == "withdrawn"  # nobody can decide it
        assert session.scalars(select(MessageRef)).all() == []


def test_retention_overwrites_the_cards_of_the_negotiations_it_deletes(world: World) -> None:
    held = _alice_posts_everything(world)
    places = _places(world, held)
    _settings(world, retention_all_months=1)
    world.tick(utc(2027, 1, 10, 12))  # more than a month after the meeting
    with world.db.session() as session:
        assert session.scalars(select(TradeProposal)).all() == []
    assert_cards_retired(world.services, world.slack, places, says=RETAINED, gone=PERSONAL)


def test_text_retention_overwrites_the_plan_and_brings_the_trade_up_to_date(world: World) -> None:
    held = _alice_posts_everything(world)
    plans = places_of(world.services, "negotiation", held["negotiation"])
    plan = [p for p in plans if p.view == "plan"]
    _settings(world, retention_text_months=1)
    world.tick(utc(2027, 1, 10, 12))
    assert_cards_retired(world.services, world.slack, plan, says=RETAINED, gone=PERSONAL)
    assert RETAINED in _full_plan_text(world, plan[0].ts)
    cards = assert_cards_current(world.services, world.slack, "trade", held["trade"][0])
    for card in cards:  # the trade stays (amounts, items), its reason is gone
        assert REASON not in str(card.message) and "24 months" in str(card.message)


def test_erasure_of_an_approver_keeps_the_proposers_card_true(world: World) -> None:
    """Bob's part of Alice's trade is anonymised; her card is brought up to date, not retired."""
    held = _alice_posts_everything(world)
    with world.db.session() as session:
        bob = session.scalars(select(TradeProposal.approver_id)).one()
    from bot.flows.member_data import erase_now

    erase_now(world.services, world.workspace_id(), bob, actor_id=None, via="test")
    world.deliver()
    cards = assert_cards_current(world.services, world.slack, "trade", held["trade"][0])
    proposer = [c.message for c in cards if c.view == "proposer"]
    assert proposer and "U0BOB" not in str(proposer)
