"""Commitment details a Slack user notices (issue 15, items 5 and 6), through the app."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from templates.ids.commitments import CommitAction
from tests.scheduling.conftest import World, utc
from tests.scheduling.test_commit_actions import TODAY, card_of, record, team


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        e["action_id"]: e
        for block in message["blocks"]
        if block["type"] == "actions"
        for e in block.get("elements", [])
    }


def texts(message: dict[str, Any]) -> str:
    return str(message["blocks"])


def test_cancel_is_a_danger_button_with_slacks_confirm_dialog_and_done_the_primary(world: World) -> None:
    team(world)
    card = buttons(record(world))
    assert card[CommitAction.DONE]["style"] == "primary" and "confirm" not in card[CommitAction.DONE]
    cancel = card[CommitAction.CANCEL]
    assert cancel["style"] == "danger" and cancel["confirm"]["style"] == "danger"
    assert cancel["confirm"]["deny"]["text"] == "Keep it"


def test_done_after_the_due_date_is_not_nicely_kept(world: World) -> None:
    team(world)
    card = record(world, due=TODAY + timedelta(days=1))
    world.clock.set(utc(2026, 11, 26, 10))  # two days late
    world.parley.click(CommitAction.DONE, message=card)
    world.deliver()
    shown = texts(card_of(world))
    assert "Nicely kept" not in shown and "Marked done, after its due date." in shown


def test_done_on_time_is_nicely_kept(world: World) -> None:
    team(world)
    card = record(world)
    world.parley.click(CommitAction.DONE, message=card)
    world.deliver()
    assert "Marked done. Nicely kept." in texts(card_of(world))


def test_cancelling_a_commitment_without_conditions_does_not_speak_of_notice(world: World) -> None:
    team(world)
    card = record(world)
    world.parley.click(CommitAction.CANCEL, message=card)
    world.parley.submit({})
    world.deliver()
    shown = texts(card_of(world))
    assert "notice" not in shown and "Cancelled." in shown


def test_a_nudge_for_what_the_other_side_owes_is_worded_for_the_person_owed(world: World) -> None:
    ids = team(world)
    world.member("U0ALICE", style="game_changer")
    world.commitment(
        None, TODAY + timedelta(days=3), text="Sign the renewal", owner_label="Acme", owed_to_id=ids["alice"]
    )
    world.tick(utc(2026, 11, 25, 9))
    [nudge] = [m for m in world.parley.dms("U0ALICE") if m["text"].startswith("Coming up")]
    assert "Good ideas count" not in nudge["text"]
    assert "Acme owes you “Sign the renewal”" in nudge["text"]
    done = buttons(nudge)[CommitAction.DONE]
    assert done["text"]["text"] == "Received"


def test_a_nudge_prints_the_conditions_once(world: World) -> None:
    ids = team(world)
    world.commitment(
        ids["alice"], TODAY + timedelta(days=3), text="Confirm the venue", notice_days=14,
        chargeback_percent=50, chargeback_base_minor=400_000, charged_to="Ops",
    )  # fmt: skip
    world.tick(utc(2026, 11, 25, 9))
    [nudge] = [m for m in world.parley.dms("U0ALICE") if m["text"].startswith("Coming up")]
    everything = nudge["text"] + texts(nudge)
    assert everything.count("charged back to Ops") == 1


def home_of(world: World, user_id: str = "U0ALICE") -> dict[str, Any]:
    world.parley.open_home(user_id)
    home = world.slack.home(user_id)
    assert home is not None
    return home


def home_element(home: dict[str, Any], action_id: str) -> tuple[str, dict[str, Any]]:
    for block in home["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element.get("action_id") == action_id:
                return block["block_id"], element
    raise AssertionError(f"no {action_id} on Home")


def test_home_has_done_and_snooze_on_commitments_and_the_cards_follow(world: World) -> None:
    team(world)
    card = record(world, what="Call Northwind back")
    home = home_of(world)
    block_id, snooze = home_element(home, CommitAction.SNOOZE)
    monday = next(o["value"] for o in snooze["options"] if '"monday"' in o["value"])
    world.parley.click(CommitAction.SNOOZE, view=home, block_id=block_id, value=monday)
    assert world.get(1).snoozed_until == utc(2026, 11, 30, 9)
    block_id, done = home_element(home_of(world), CommitAction.DONE)
    world.parley.click(CommitAction.DONE, view=home_of(world), block_id=block_id, value=done["value"])
    assert world.get(1).status == "done"
    assert "Call Northwind back" not in str(home_of(world)["blocks"])  # Home republished
    world.deliver()
    [updated] = [m for m in world.parley.dms("U0ALICE") if m["ts"] == card["ts"]]
    assert "Marked done" in texts(updated) and not buttons(updated)  # the DM card followed


def test_home_offers_prep_a_negotiation(world: World) -> None:
    from templates.ids.digests import DigestAction
    from templates.ids.prep import PrepCallback

    team(world)
    home = home_of(world)
    block_id, prep = home_element(home, DigestAction.NEW_PREP)
    assert prep["text"]["text"] == "Prep a negotiation"
    world.parley.click(DigestAction.NEW_PREP, view=home, block_id=block_id, value=prep["value"])
    assert world.parley.open_view()["callback_id"] == PrepCallback.SUBMIT


def test_the_other_sides_promise_is_received_or_chased_never_snoozed_as_ones_own(world: World) -> None:
    """Item 2: for what Acme owes Alice, the nudge offers Received, "Remind me later…" (not Snooze of
    their promise) and "They called it off…"; Received closes it without praising Alice."""
    from bot.testkit.cards import assert_cards_current

    ids = team(world)
    world.commitment(
        None, TODAY + timedelta(days=3), text="Sign the renewal", owner_label="Acme", owed_to_id=ids["alice"]
    )
    world.tick(utc(2026, 11, 25, 9))
    [nudge] = [m for m in world.parley.dms("U0ALICE") if m["text"].startswith("Coming up")]
    shown = buttons(nudge)
    assert shown[CommitAction.DONE]["text"]["text"] == "Received"
    later = shown[CommitAction.SNOOZE]
    assert later["placeholder"]["text"] == "Remind me later…"
    assert [o["text"]["text"] for o in later["options"]] == ["Tomorrow", "On Monday", "In a week"]
    called_off = shown[CommitAction.CANCEL]
    assert called_off["text"]["text"] == "They called it off…"
    assert called_off["confirm"]["title"]["text"] == "Did they call it off?"
    assert "Snooze" not in str(nudge["blocks"]) and "Cancel…" not in str(nudge["blocks"])
    world.parley.click(CommitAction.DONE, message=nudge)
    world.deliver()
    assert_cards_current(world.services, world.slack, "commitment", 1, actions={"nudge": []})
    [updated] = [m for m in world.parley.dms("U0ALICE") if m["ts"] == nudge["ts"]]
    assert "Marked received, on time." in texts(updated) and "Nicely kept" not in texts(updated)


def test_ones_own_commitment_keeps_snooze_and_cancel(world: World) -> None:
    team(world)
    shown = buttons(record(world))
    assert shown[CommitAction.SNOOZE]["placeholder"]["text"] == "Snooze…"
    assert shown[CommitAction.CANCEL]["text"]["text"] == "Cancel…"
    assert shown[CommitAction.DONE]["text"]["text"] == "Done"
