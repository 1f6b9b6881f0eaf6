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
    [nudge] = [m for m in world.parley.dms("U0ALICE") if m["text"].startswith("Coming up:")]
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
    [nudge] = [m for m in world.parley.dms("U0ALICE") if m["text"].startswith("Coming up:")]
    everything = nudge["text"] + texts(nudge)
    assert everything.count("charged back to Ops") == 1
