"""Done / Snooze / Cancel, `/negotiate commitments`, nudge settings, *Add a commitment* — and who may.

Through the real app, on a clock the test moves.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.digests.export import Format, export_workspace
from storage.models import AuditEvent
from templates.ids.commitments import CommitAction, CommitBlock, CommitCallback
from tests.app.conftest import NOW, response_json
from tests.scheduling.conftest import TEAM_ID, World, utc

TODAY = NOW.date()  # Monday 2026-11-23


def card_of(world: World, user_id: str = "U0ALICE") -> dict[str, Any]:
    return [m for m in world.parley.dms(user_id) if m.get("text", "").startswith("Commitment:")][-1]


def record(world: World, **values: Any) -> dict[str, Any]:
    """Alice records a commitment through the modal; returns her card."""
    world.parley.command("commit")
    fields = {
        CommitBlock.WHAT.value: "Confirm all 10 VPs for the March course",
        CommitBlock.DUE.value: TODAY + timedelta(days=5),
    }
    fields.update({CommitBlock(f"commit_{key}").value: value for key, value in values.items()})
    assert response_json(world.parley.submit(fields)) == {}
    return card_of(world)


def team(world: World) -> dict[str, int]:
    """Alice (London) reports to Bob (New York); Carol (Tokyo) is who Alice's commitments are owed to."""
    world.slack.add_user("U0CAROL", name="carol", real_name="Carol Client", tz="Asia/Tokyo")
    bob = world.member("U0BOB")
    return {"bob": bob, "alice": world.member("U0ALICE", manager_id=bob), "carol": world.member("U0CAROL")}


def snooze_value(card: dict[str, Any], until: str) -> str:
    for block in card["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == CommitAction.SNOOZE:
                return next(
                    o["value"] for o in element["options"] if json.loads(o["value"])["until"] == until
                )
    raise AssertionError("no snooze menu")


def reports(world: World, user_id: str) -> list[str]:
    return [m["text"] for m in world.parley.dms(user_id) if m["text"].startswith("Commitment ")]


def test_done_closes_it_updates_the_card_and_tells_who_is_owed(world: World) -> None:
    ids = team(world)
    card = record(world, owed_to="U0CAROL")
    world.parley.click(CommitAction.DONE, message=card)
    commitment = world.get(1)
    assert (commitment.status, commitment.closed_at) == ("done", NOW)
    updated = card_of(world)
    assert updated["ts"] == card["ts"] and "Marked done" in str(updated["blocks"])
    assert not any(b["type"] == "actions" for b in updated["blocks"])
    assert reports(world, "U0CAROL") == []  # reports go out through the outbox
    world.tick(NOW + timedelta(minutes=1))
    assert reports(world, "U0CAROL") == ["Commitment done: Confirm all 10 VPs for the March course"]
    assert reports(world, "U0BOB") == []
    del ids


def test_cancel_inside_the_notice_window_shows_then_applies_the_consequence(world: World) -> None:
    team(world)
    card = record(world, owed_to="U0CAROL", value_base="4,000 USD", charged_to="Ops")
    world.parley.click(CommitAction.CANCEL, message=card)
    modal = world.parley.open_view()
    assert modal["callback_id"] == CommitCallback.CANCEL
    shown = str(modal["blocks"])
    assert "50 % of 4,000 USD = 2,000 USD charged back to Ops" in shown
    assert "5 days' notice" in shown and "the person it is owed to and your manager" in shown
    assert world.get(1).status == "open"  # nothing happens before confirming
    assert response_json(world.parley.submit({})) == {}
    commitment = world.get(1)
    assert commitment.status == "cancelled"
    assert commitment.consequence is not None
    assert (commitment.consequence["charge_minor"], commitment.consequence["currency"]) == (200000, "USD")
    assert "2,000 USD charged back to Ops" in str(card_of(world)["blocks"])
    world.tick(NOW + timedelta(minutes=1))
    expected = (
        "Commitment cancelled: Confirm all 10 VPs for the March course."
        " 50 % of 4,000 USD = 2,000 USD charged back to Ops"
    )
    assert reports(world, "U0CAROL") == [expected]
    assert reports(world, "U0BOB") == [expected]  # Alice's manager
    with world.db.session() as session:
        event = session.query(AuditEvent).filter_by(action="commitment.cancelled").one()
        assert event.detail["consequence"]["sentence"] == "50 % of 4,000 USD = 2,000 USD charged back to Ops"


def test_cancel_outside_the_notice_window_costs_nothing_and_the_manager_is_not_told(world: World) -> None:
    team(world)
    card = record(world, owed_to="U0CAROL", value_base="4,000 USD", charged_to="Ops", notice_days="3")
    world.parley.click(CommitAction.CANCEL, message=card)
    assert "no charge" in str(world.parley.open_view()["blocks"])
    world.parley.submit({})
    commitment = world.get(1)
    assert (commitment.status, commitment.consequence) == ("cancelled", None)
    world.tick(NOW + timedelta(minutes=1))
    assert reports(world, "U0CAROL") == ["Commitment cancelled: Confirm all 10 VPs for the March course"]
    [report] = [m for m in world.parley.dms("U0CAROL") if m["text"].startswith("Commitment cancelled")]
    assert "with enough notice: no charge" in str(report["blocks"])
    assert reports(world, "U0BOB") == []


def test_a_day_passing_between_showing_and_confirming_shows_the_new_consequence(world: World) -> None:
    team(world)
    card = record(world, value_base="4,000 USD", charged_to="Ops", notice_days="5")
    world.parley.click(CommitAction.CANCEL, message=card)
    assert "no charge" in str(world.parley.open_view()["blocks"])  # exactly 5 days' notice: on time
    world.clock.set(NOW + timedelta(days=1))
    body = response_json(world.parley.submit({}))
    assert body["response_action"] == "update"
    assert "2,000 USD charged back to Ops" in str(body["view"]["blocks"])
    assert world.get(1).status == "open"


def test_only_the_owner_may_cancel_or_snooze_and_strangers_may_not_even_mark_done(world: World) -> None:
    team(world)
    world.slack.add_user("U0MALLORY", tz="Europe/Paris")
    card = record(world, value_base="4,000 USD", charged_to="Ops")
    for action in (CommitAction.DONE, CommitAction.CANCEL):
        world.parley.click(
            action, message=card, user_id="U0MALLORY", channel_id=world.slack.dm_channel("U0ALICE")
        )
    world.parley.click(
        CommitAction.SNOOZE, message=card, user_id="U0MALLORY", channel_id=world.slack.dm_channel("U0ALICE"),
        value=snooze_value(card, "week"),
    )  # fmt: skip
    commitment = world.get(1)
    assert (commitment.status, commitment.snoozed_until) == ("open", None)
    assert world.slack.open_views("U0MALLORY") == []
    refusals = [e["text"] for e in world.slack.ephemerals(user="U0MALLORY")]
    assert len(refusals) == 3 and all("Nothing changed" in text for text in refusals)


def test_forged_button_values_change_nothing(world: World) -> None:
    team(world)
    card = record(world)
    for forged_value in ('{"commitment_id": "1; drop", "surface": "card"}', f'{{"commitment_id": {10**30}}}'):
        forged = json.loads(json.dumps(card))
        for block in forged["blocks"]:
            for element in block.get("elements", []):
                if element.get("action_id") in (CommitAction.DONE, CommitAction.CANCEL):
                    element["value"] = forged_value
        world.parley.click(CommitAction.DONE, message=forged)
        world.parley.click(CommitAction.CANCEL, message=forged)
    assert world.get(1).status == "open"
    assert all(view["callback_id"] != CommitCallback.CANCEL for view in world.slack.open_views("U0ALICE"))


def test_snooze_until_monday_moves_the_next_reminder(world: World) -> None:
    team(world)
    card = record(world)
    world.parley.click(CommitAction.SNOOZE, message=card, value=snooze_value(card, "monday"))
    assert world.get(1).snoozed_until == utc(2026, 11, 30, 9)  # next Monday 09:00 in London
    assert "Snoozed: the next reminder comes Mon 30 Nov 2026 at 09:00." in str(card_of(world)["blocks"])


def test_the_list_shows_mine_and_what_i_am_owed(world: World) -> None:
    ids = team(world)
    record(world, what="Mine to do")
    world.commitment(
        ids["bob"], TODAY + timedelta(days=2), text="Bob owes Alice this", owed_to_id=ids["alice"]
    )
    world.commitment(ids["bob"], TODAY + timedelta(days=2), text="Bob's own thing")
    world.parley.command("commitments")
    listing = world.slack.ephemerals(user="U0ALICE")[-1]
    text = str(listing["blocks"])
    assert "Mine to do" in text and "Bob owes Alice this" in text and "Bob's own thing" not in text
    owed_row = next(
        b for b in listing["blocks"] if b.get("accessory", {}).get("action_id") == CommitAction.DONE
    )
    assert "Bob owes Alice this" in owed_row["text"]["text"]
    world.parley.click(
        CommitAction.DONE,
        message=listing,
        channel_id=world.slack.dm_channel("U0ALICE"),
        block_id=owed_row["block_id"],
    )
    assert [c.status for c in (world.get(2), world.get(1))] == ["done", "open"]
    assert "Marked done" in str(world.slack.ephemerals(user="U0ALICE")[-1]["blocks"])


def test_nudge_settings_are_saved_and_bad_hours_are_refused(world: World) -> None:
    team(world)
    world.parley.command("commitments")
    listing = world.slack.ephemerals(user="U0ALICE")[-1]
    world.parley.click(CommitAction.SETTINGS, message=listing, channel_id=world.slack.dm_channel("U0ALICE"))
    assert world.parley.open_view()["callback_id"] == CommitCallback.SETTINGS
    body = response_json(
        world.parley.submit({CommitBlock.HOURS_START.value: "17:00", CommitBlock.HOURS_END.value: "08:00"})
    )
    assert body["errors"] == {CommitBlock.HOURS_END: "Your working day must end after it starts."}
    before = world.get_member(2).settings
    assert "nudges" not in before and "working_hours" not in before
    body = response_json(
        world.parley.submit(
            {
                CommitBlock.NUDGES.value: "fewer",
                CommitBlock.HOURS_START.value: "07:30",
                CommitBlock.HOURS_END.value: "15:30",
                CommitBlock.DAYS.value: ["mon", "tue", "wed", "thu"],
            }
        )
    )
    assert body == {}
    assert world.get_member(2).settings == {
        **before,  # other features' settings are kept
        "nudges": "fewer",
        "working_hours": {"start": "07:30", "end": "15:30", "days": ["mon", "tue", "wed", "thu"]},
    }


def test_done_on_a_nudge_replaces_the_nudge_with_the_closed_commitment(world: World) -> None:
    alice = world.member("U0ALICE")
    world.commitment(alice, TODAY + timedelta(days=3), text="Book the venue")
    world.tick(utc(2026, 11, 25, 9))  # the day before it is due, 09:00 in London
    [nudge] = [m for m in world.parley.dms("U0ALICE") if m["text"].startswith("Coming up")]
    world.parley.click(CommitAction.DONE, message=nudge)
    assert world.get(1).status == "done"
    [updated] = [m for m in world.parley.dms("U0ALICE") if m["ts"] == nudge["ts"]]
    assert updated["text"] == "Commitment: Book the venue (due Thu 26 Nov 2026)"
    assert "Marked done" in str(updated["blocks"])


def add_button(value: str) -> dict[str, Any]:
    """A message carrying *Add a commitment*, as the prep plan and the debrief analysis do."""
    button = {
        "type": "button",
        "action_id": CommitAction.ADD.value,
        "text": {"type": "plain_text", "text": "Add a commitment"},
        "value": value,
    }
    return {
        "ts": "1700000000.000100",
        "blocks": [{"type": "actions", "block_id": "plan_actions", "elements": [button]}],
    }


def test_add_a_commitment_from_a_plan_preselects_its_negotiation(world: World) -> None:
    ids = team(world)
    mine = world.negotiation(ids["alice"], TODAY, title="Leadership course length")
    world.parley.click(CommitAction.ADD, message=add_button(json.dumps({"negotiation_id": mine})))
    modal = world.parley.open_view()
    block = next(b for b in modal["blocks"] if b.get("block_id") == CommitBlock.NEGOTIATION)
    assert block["element"]["initial_option"]["value"] == str(mine)
    assert json.loads(modal["private_metadata"]) == {"negotiation_id": mine}
    assert (
        response_json(
            world.parley.submit({CommitBlock.WHAT.value: "Confirm the dates", CommitBlock.DUE.value: TODAY})
        )
        == {}
    )
    assert world.get(1).negotiation_id == mine


def test_add_a_commitment_never_preselects_someone_elses_negotiation(world: World) -> None:
    ids = team(world)
    bobs = world.negotiation(ids["bob"], TODAY, title="Bob's secret deal")
    world.parley.click(CommitAction.ADD, message=add_button(json.dumps({"negotiation_id": bobs})))
    modal = world.parley.open_view()
    assert "Bob's secret deal" not in json.dumps(modal)
    assert json.loads(modal["private_metadata"]) == {"negotiation_id": None}


# ------------------------------------------------------------------------------------------ units


def test_cancelling_3_of_12_seats_shows_the_charge_per_seat_first_then_keeps_9(world: World) -> None:
    team(world)
    card = record(world, owed_to="U0CAROL", value_base="12 seats × $1,800", charged_to="Ops")
    commitment = world.get(1)
    assert (commitment.units, commitment.unit, commitment.chargeback_base_minor) == (12, "seat", 180000)
    assert (
        "For 12 seats × 1,800 USD. Cancelling with less than 14 days' notice: 50 % of 1,800 USD per seat"
        in str(card["blocks"])
    )
    world.parley.click(CommitAction.CANCEL, message=card)
    modal = world.parley.open_view()
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert blocks[CommitBlock.CANCEL_UNITS]["element"]["initial_value"] == "12"
    assert "How many to cancel (of 12 seats)" in str(blocks[CommitBlock.CANCEL_UNITS]["label"])
    assert "12 × 50 % of 1,800 USD = 10,800 USD charged back to Ops" in str(modal["blocks"])

    body = response_json(world.parley.submit({CommitBlock.CANCEL_UNITS.value: "3"}, view=modal))
    assert body["response_action"] == "update"  # a different number: its charge is shown first
    shown = str(body["view"]["blocks"])
    assert "3 × 50 % of 1,800 USD = 2,700 USD charged back to Ops" in shown
    assert "The charge below is for 3 of 12 seats" in shown
    assert (world.get(1).status, world.get(1).units) == ("open", 12)  # nothing cancelled yet

    confirm = dict(body["view"], id=modal["id"]) if "id" in modal else body["view"]
    assert response_json(world.parley.submit({CommitBlock.CANCEL_UNITS.value: "3"}, view=confirm)) == {}
    commitment = world.get(1)
    assert (commitment.status, commitment.units) == ("open", 9)  # the other 9 stay committed
    assert commitment.consequence is not None
    assert (commitment.consequence["charge_minor"], commitment.consequence["units"]) == (270000, 3)
    updated = str(card_of(world)["blocks"])
    assert "Cancelled 3 of 12 seats. 3 × 50 % of 1,800 USD = 2,700 USD charged back to Ops." in updated
    assert "For 9 seats × 1,800 USD" in updated
    world.tick(NOW + timedelta(minutes=1))
    assert reports(world, "U0CAROL") == [
        "Commitment cancelled: Confirm all 10 VPs for the March course."
        " 3 × 50 % of 1,800 USD = 2,700 USD charged back to Ops"
    ]


def cancel_units(world: World, card: dict[str, Any], typed: str) -> None:
    """Cancel ``typed`` units from the card: type the number, see its charge, confirm."""
    world.parley.click(CommitAction.CANCEL, message=card)
    modal = world.parley.open_view()
    body = response_json(world.parley.submit({CommitBlock.CANCEL_UNITS.value: typed}, view=modal))
    assert body["response_action"] == "update"  # its charge is shown before anything happens
    confirm = dict(body["view"], id=modal["id"]) if "id" in modal else body["view"]
    assert response_json(world.parley.submit({CommitBlock.CANCEL_UNITS.value: typed}, view=confirm)) == {}


def test_two_partial_cancellations_add_up_and_each_is_kept(world: World, tmp_path: Path) -> None:
    card = record(world, value_base="12 seats × $1,800", charged_to="Ops")
    cancel_units(world, card, "3")
    cancel_units(world, card_of(world), "2")
    commitment = world.get(1)
    assert (commitment.status, commitment.units) == ("open", 7)
    assert commitment.consequence is not None
    stored = commitment.consequence
    assert (stored["units_cancelled"], stored["units"], stored["charge_minor"]) == (5, 5, 450000)
    assert [(c["units"], c["charge_minor"]) for c in stored["cancellations"]] == [(3, 270000), (2, 180000)]
    total = "In all, 5 seats cancelled: 5 × 50 % of 1,800 USD = 4,500 USD charged back to Ops"
    assert stored["sentence"] == total
    updated = str(card_of(world)["blocks"])
    assert total in updated and "For 7 seats × 1,800 USD" in updated
    world.parley.command("commitments")
    assert total in str(world.slack.ephemerals(user="U0ALICE")[-1]["blocks"])
    with world.db.session() as session:
        events = session.query(AuditEvent).filter_by(action="commitment.cancelled").order_by(AuditEvent.id)
        assert [(e.detail["units_cancelled"], e.detail["consequence"]["charge_minor"]) for e in events] == [
            (3, 270000),
            (2, 180000),
        ]
    export_workspace(world.db, TEAM_ID, tmp_path, Format.JSONL)  # `parley export` carries the units
    [row] = [json.loads(line) for line in (tmp_path / "commitments.jsonl").read_text().splitlines()]
    assert {k: row[k] for k in ("status", "units", "unit", "unit_value_minor", "units_cancelled")} == {
        "status": "open", "units": 12, "unit": "seat", "unit_value_minor": 180000, "units_cancelled": 5
    }  # fmt: skip
    assert (row["chargeback_minor"], row["currency"]) == (450000, "USD")


def test_an_on_time_partial_cancellation_is_counted_but_not_charged(world: World) -> None:
    card = record(world, value_base="12 seats × $1,800", charged_to="Ops", notice_days="3")
    cancel_units(world, card, "4")
    stored = world.get(1).consequence
    assert stored is not None
    assert (stored["units_cancelled"], stored["units"], stored["charge_minor"], stored["sentence"]) == (
        4, 0, None, ""
    )  # fmt: skip
    assert world.get(1).units == 8


def test_cancelling_all_units_closes_it_and_charges_each(world: World) -> None:
    card = record(world, value_base="4 VPs x 1,000", charged_to="Ops")
    world.parley.click(CommitAction.CANCEL, message=card)
    modal = world.parley.open_view()
    assert response_json(world.parley.submit({CommitBlock.CANCEL_UNITS.value: "4"}, view=modal)) == {}
    commitment = world.get(1)
    assert commitment.status == "cancelled" and commitment.units == 4
    assert commitment.consequence is not None and commitment.consequence["charge_minor"] == 200000


def test_a_bad_number_of_units_is_a_field_error_and_nothing_changes(world: World) -> None:
    card = record(world, value_base="12 seats × $1,800", charged_to="Ops")
    world.parley.click(CommitAction.CANCEL, message=card)
    modal = world.parley.open_view()
    for typed, message in [
        ("0", "Cancel from 1 to 12"),
        ("13", "Cancel from 1 to 12 (there are 12 in this commitment)."),
        ("three", "Type how many to cancel: a whole number, like 3."),
        ("", "Type how many to cancel"),
        ("2.5", "Type how many to cancel"),
    ]:
        body = response_json(world.parley.submit({CommitBlock.CANCEL_UNITS.value: typed}, view=modal))
        assert body["response_action"] == "errors", (typed, body)
        assert body["errors"][CommitBlock.CANCEL_UNITS].startswith(message), (typed, body)
    commitment = world.get(1)
    assert (commitment.status, commitment.units, commitment.consequence) == ("open", 12, None)
    with world.db.session() as session:
        assert session.query(AuditEvent).filter_by(action="commitment.cancelled").count() == 0


def test_a_value_with_units_that_cannot_be_read_is_a_field_error(world: World) -> None:
    world.parley.command("commit")
    fields = {
        CommitBlock.WHAT.value: "Seats",
        CommitBlock.DUE.value: TODAY + timedelta(days=5),
        CommitBlock.VALUE_BASE.value: "12 seats × lots",
        CommitBlock.CHARGED_TO.value: "Ops",
    }
    body = response_json(world.parley.submit(fields))
    assert body["response_action"] == "errors"
    assert body["errors"][CommitBlock.VALUE_BASE] == (
        "'lots' is not an amount: write it like 4,000 USD, €2,500 or 12 seats × $1,800."
    )
    with world.db.session() as session:
        assert session.query(AuditEvent).filter_by(action="commitment.created").count() == 0
