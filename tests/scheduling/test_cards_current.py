"""Every card tells the truth (issue 15, item 1), for commitments, the prep plan, the debrief reminder
and `/negotiate commitments`: after each transition every message recorded with the entity shows its
current state (``bot.testkit.cards``), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from bot.testkit.cards import assert_cards_current
from templates.ids.commitments import CommitAction, CommitBlock
from templates.ids.negotiation import NegotiationAction
from tests.app.test_debrief import GOOD, debrief_values, open_from_button
from tests.app.test_prep import prep
from tests.scheduling.conftest import World, utc
from tests.scheduling.test_commit_actions import TODAY, card_of, record, snooze_value, team

LIVE = [CommitAction.DONE, CommitAction.SNOOZE, CommitAction.CANCEL]


def check(
    world: World, entity: str, entity_id: int, actions: dict[str, list[str]] | None = None, **views: list[str]
) -> None:
    world.deliver()  # the updates the transition enqueued
    assert_cards_current(world.services, world.slack, entity, entity_id, actions={**views, **(actions or {})})


def nudge_of(world: World, user_id: str = "U0ALICE") -> dict[str, Any]:
    return [m for m in world.parley.dms(user_id) if m.get("text", "").startswith("Coming up")][-1]


def test_done_on_a_nudge_closes_the_recorded_card_too(world: World) -> None:
    team(world)
    card = record(world, due=TODAY + timedelta(days=3))
    world.tick(utc(2026, 11, 25, 9))  # the nudge the day before it is due
    nudge = nudge_of(world)
    check(world, "commitment", 1, card=LIVE, nudge=[*LIVE, CommitAction.SETTINGS])
    world.parley.click(CommitAction.DONE, message=nudge)
    assert world.get(1).status == "done"
    check(world, "commitment", 1, card=[], nudge=[])
    [updated] = [m for m in world.parley.dms("U0ALICE") if m["ts"] == card["ts"]]
    assert "Marked done" in str(updated["blocks"])


def test_snooze_keeps_the_buttons_and_says_so_on_every_copy(world: World) -> None:
    team(world)
    card = record(world)
    world.parley.click(CommitAction.SNOOZE, message=card, value=snooze_value(card, "monday"))
    check(world, "commitment", 1, card=LIVE)
    assert "Snoozed: the next reminder comes Mon 30 Nov 2026 at 09:00." in str(card_of(world)["blocks"])


def test_cancel_closes_the_card_of_the_owner_and_of_whoever_recorded_it(world: World) -> None:
    team(world)
    world.parley.command("commit")
    fields = {
        CommitBlock.WHAT.value: "Send the signed order form",
        CommitBlock.DUE.value: TODAY + timedelta(days=5),
        CommitBlock.OWNER.value: "U0BOB",
    }
    world.parley.submit(fields)
    check(world, "commitment", 1, {"card:U0ALICE": [CommitAction.DONE], "card:U0BOB": LIVE})
    bob_card = card_of(world, "U0BOB")
    world.parley.click(CommitAction.CANCEL, message=bob_card, user_id="U0BOB")
    world.parley.submit({}, user_id="U0BOB")
    assert world.get(1).status == "cancelled"
    check(world, "commitment", 1, card=[])


def test_a_lapse_by_the_clock_updates_the_cards(world: World) -> None:
    team(world)
    record(world, due=TODAY + timedelta(days=1))
    world.tick(utc(2026, 11, 25, 9))  # the due day is over in London
    assert world.get(1).status == "lapsed"
    check(world, "commitment", 1)
    assert "Lapsed" in str(card_of(world)["blocks"])


def test_the_prep_plan_and_the_debrief_reminder_drop_log_the_debrief_once_it_is_logged(world: World) -> None:
    world.member("U0ALICE")
    plan = prep(world.parley)
    negotiation_id = 1
    meeting = utc(2026, 12, 2, 9)  # the reminder: the working day after the meeting, 09:00 London
    world.tick(meeting)
    [reminder] = [m for m in world.parley.dms("U0ALICE") if m["text"].startswith("How did")]
    cards = assert_cards_current(world.services, world.slack, "negotiation", negotiation_id)
    assert {card.view for card in cards} == {"plan", "debrief_reminder"}
    assert NegotiationAction.LOG_DEBRIEF in next(c for c in cards if c.view == "debrief_reminder").actions
    open_from_button(world.parley, reminder)
    response = world.parley.submit(debrief_values(dataclasses.replace(GOOD, commitments="")))
    assert response.status == 200 and not response.body, response.body
    world.deliver()
    cards = assert_cards_current(world.services, world.slack, "negotiation", negotiation_id)
    for card in cards:
        assert NegotiationAction.LOG_DEBRIEF not in card.actions, card.view
    assert plan["ts"] in {card.ts for card in cards}


def test_the_commitments_list_is_replaced_after_a_cancel_not_posted_again(world: World) -> None:
    team(world)
    record(world, what="Mine to cancel")
    world.parley.command("commitments")
    [listing] = world.slack.ephemerals(user="U0ALICE")
    row = next(
        b
        for b in listing["blocks"]
        if any(e.get("action_id") == CommitAction.CANCEL for e in b.get("elements", []))
    )
    world.parley.click(
        CommitAction.CANCEL,
        message=listing,
        channel_id=world.slack.dm_channel("U0ALICE"),
        block_id=row["block_id"],
    )
    world.parley.submit({})
    assert world.get(1).status == "cancelled"
    [replaced] = world.slack.ephemerals(user="U0ALICE")  # the same list, replaced: not a second one
    assert replaced["ts"] == listing["ts"] and "Mine to cancel" not in str(replaced["blocks"])
    check(world, "commitment", 1, card=[])
