"""`/negotiate my-data` through the Slack app: the modal, the archive (built by the clock), erasure."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from storage.models import (
    AuditEvent,
    Commitment,
    DataRequest,
    LedgerEntry,
    Member,
    OutboxMessage,
    PrepPlan,
    TradeProposal,
)
from tests.privacy.conftest import archive_of, jsonl, mentions, seed_member
from tests.scheduling.conftest import World

ARCHIVE_FILES = {
    f"{name}.{suffix}"
    for name in ("profile", "assessments", "negotiations", "preps", "debriefs", "ledger_entries", "trades",
                 "commitments", "activity")
    for suffix in ("jsonl", "csv")
} | {"README.txt"}  # fmt: skip


def _open_my_data(world: World, user_id: str = "U0ALICE") -> dict[str, Any]:
    response = world.parley.command("my-data", user_id=user_id)
    assert response.status == 200
    return world.parley.open_view(user_id)


def _text(view: dict[str, Any]) -> str:
    return " ".join(
        str(block.get("text", {}).get("text", "")) for block in view["blocks"] if block["type"] == "section"
    )


def _archive_in_dm(world: World, user_id: str) -> dict[str, str]:
    dm = world.slack.dm_channel(user_id)
    shared = [f for f in world.slack.files() if dm in f["channels"]]
    assert len(shared) == 1, world.slack.files()
    assert shared[0]["filename"].endswith(".zip")
    messages = [m for m in world.slack.messages(dm) if m.get("files")]
    assert messages and "records" in messages[-1]["text"]
    return archive_of(shared[0]["content"])


def test_my_data_shows_what_is_held_and_sends_a_complete_archive(world: World) -> None:
    seeded = seed_member(world, ledger_rows=4)
    view = _open_my_data(world)
    text = _text(view)
    assert (
        "*4* concession ledger line(s)" in text
        and "*1* prep(s)" in text
        and "*2* concession trade(s)" in text
    )
    world.parley.click("my_data_export", view=view)
    assert "preparing the copy" in _text(world.parley.open_view())
    assert world.slack.files() == []  # built off the request path: nothing until the clock runs
    world.tick(world.clock() + timedelta(minutes=1))
    files = _archive_in_dm(world, "U0ALICE")
    assert set(files) == ARCHIVE_FILES
    assert [row["item"] for row in jsonl(files["ledger_entries.jsonl"])] == [
        f"Discount {i}" for i in range(4)
    ]
    assert jsonl(files["preps.jsonl"])[0]["objectives"] == "Keep the price at 40k"
    assert jsonl(files["debriefs.jsonl"])[0]["reflection"] == "I conceded too early"
    assert jsonl(files["assessments.jsonl"])[0]["answers"] == {"q1": "a"}
    assert {row["role"] for row in jsonl(files["trades.jsonl"])} == {"proposer", "approver"}
    assert {row["role"] for row in jsonl(files["commitments.jsonl"])} == {"owner", "owed_to"}
    profile = jsonl(files["profile.jsonl"])[0]
    assert profile["slack_user_id"] == "U0ALICE" and profile["email"] == "u0alice@example.test"
    rows = list(csv.reader(io.StringIO(files["ledger_entries.csv"])))
    assert rows[0][:4] == ["id", "negotiation_id", "kind", "item"] and len(rows) == 5
    with world.db.session() as session:
        request = session.scalars(select(DataRequest)).one()
        assert (request.status, request.detail["rows"]["ledger_entries"]) == ("done", 4)
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"member.export_requested", "member.exported"} <= actions
    assert seeded.member_id


def test_a_member_with_no_data_gets_an_archive_that_says_so(world: World) -> None:
    world.member("U0ALICE")
    view = _open_my_data(world)
    assert "*0* negotiation(s)" in _text(view)
    world.parley.click("my_data_export", view=view)
    world.tick(world.clock() + timedelta(minutes=1))
    files = _archive_in_dm(world, "U0ALICE")
    assert set(files) == ARCHIVE_FILES
    assert len(jsonl(files["profile.jsonl"])) == 1
    for name in ("negotiations", "preps", "ledger_entries", "trades", "commitments"):
        assert files[f"{name}.jsonl"] == ""
        assert files[f"{name}.csv"].count("\n") == 1  # the header only


def test_asking_twice_for_a_copy_queues_one(world: World) -> None:
    world.member("U0ALICE")
    view = _open_my_data(world)
    world.parley.click("my_data_export", view=view)
    world.parley.click("my_data_export", view=world.parley.open_view())
    assert "already being prepared" in _text(world.parley.open_view())
    with world.db.session() as session:
        assert session.scalar(select(func.count()).select_from(DataRequest)) == 1


def _erase_self(world: World, user_id: str = "U0ALICE") -> dict[str, Any]:
    view = _open_my_data(world, user_id)
    world.parley.click("my_data_erase", view=view, user_id=user_id)
    confirm = world.parley.open_view(user_id)
    assert confirm["callback_id"] == "my_data_erase_confirm"
    return confirm


def test_the_confirmation_says_what_goes_and_what_stays(world: World) -> None:
    seed_member(world)
    text = _text(_erase_self(world))
    for goes in ("every prep and plan", "debrief", "style assessment", "commitment you own", "ledger lines"):
        assert goes in text
    for stays in (
        "ledger amounts and outcomes, without any text",
        "decided by or for other people",
        "a former member",
    ):
        assert stays in text


def test_self_erasure_leaves_no_row_naming_the_member(world: World) -> None:
    seeded = seed_member(world)
    confirm = _erase_self(world)
    world.parley.submit({}, view=confirm)
    with world.db.session() as session:  # queued, not yet done
        assert session.scalars(select(DataRequest.status)).one() == "pending"
    world.tick(world.clock() + timedelta(minutes=1))
    needles = ["U0ALICE", "Alice Example", "u0alice@example.test"]
    assert mentions(world.db.engine, needles) == []
    notes = [m["text"] for m in world.slack.messages(world.slack.dm_channel("U0ALICE"))]
    assert any("Your data is erased" in text for text in notes)
    with world.db.session() as session:
        tombstone = session.get(Member, seeded.member_id)
        assert tombstone is not None and tombstone.display_name == "a former member"
        # Others' records and the totals stay true.
        assert session.scalar(select(func.sum(LedgerEntry.value_minor))) == seeded.ledger_total_minor
        assert set(session.scalars(select(LedgerEntry.item))) == {""}
        assert session.scalar(select(func.count()).select_from(PrepPlan)) == 0
        trades = {t.id: t for t in session.scalars(select(TradeProposal))}
        assert set(trades) == set(seeded.trades)
        assert trades[seeded.trades[1]].give_item == "Extra seat"  # Bob's trade, decided by Alice
        assert trades[seeded.trades[1]].decided_by_id == seeded.member_id  # now the tombstone
        owned = session.scalars(select(Commitment.owner_id)).all()
        assert owned == [seeded.other_id]  # hers went; the one owed to her stays
        outbox = (
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind != "playbook_review")
        )
        assert session.scalar(outbox) == 1  # Bob's, scrubbed (the admins' monthly review is not hers)
        erased = session.scalars(select(AuditEvent).where(AuditEvent.action == "member.erased")).one()
        assert erased.detail["counts"]["preps_deleted"] == 1


def test_erasing_twice_keeps_one_erasure(world: World) -> None:
    seed_member(world)
    confirm = _erase_self(world)
    world.parley.submit({}, view=confirm)
    # A second confirmation (a double click, or one left open in another window) changes nothing.
    response = world.parley.submit({}, view=confirm)
    assert "already under way" in response.body
    with world.db.session() as session:
        assert session.scalar(select(func.count()).select_from(DataRequest)) == 1
    world.tick(world.clock() + timedelta(minutes=1))
    world.tick(world.clock() + timedelta(minutes=2))  # a second run finds nothing to do
    with world.db.session() as session:
        assert session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "member.erased")
        ).all() == ["member.erased"]


def test_exporting_during_an_erasure_is_refused(world: World) -> None:
    seed_member(world)
    world.parley.submit({}, view=_erase_self(world))
    view = _open_my_data(world)
    assert "An erasure is under way" in _text(view)  # no buttons while it runs
    assert not [b for b in view["blocks"] if b["type"] == "actions"]
    # A stale modal's button still cannot start one.
    stale = {**view, "blocks": [*view["blocks"], _export_button("U0ALICE")]}
    world.parley.click("my_data_export", view=stale)
    with world.db.session() as session:
        assert session.scalars(select(DataRequest.kind)).all() == ["erase"]


def _export_button(user_id: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": "stale",
        "elements": [
            {
                "type": "button",
                "action_id": "my_data_export",
                "value": user_id,
                "text": {"type": "plain_text", "text": "x"},
            }
        ],
    }


def test_a_member_cannot_act_on_someone_elses_data(world: World) -> None:
    seed_member(world)
    world.member("U0BOB")
    view = _open_my_data(world, "U0BOB")
    forged = {**view, "private_metadata": '{"admin":true,"slack_user_id":"U0ALICE"}'}
    world.parley.click("my_data_export", view=forged, user_id="U0BOB")
    world.parley.click("my_data_erase", view=forged, user_id="U0BOB")
    with world.db.session() as session:
        assert session.scalar(select(func.count()).select_from(DataRequest)) == 0
    notes = [m["text"] for m in world.slack.ephemerals(user="U0BOB")]
    assert any("Only an admin" in text for text in notes)


def _members_button() -> dict[str, Any]:
    """The button h17's admin settings view carries (a Home-tab view here)."""
    return {
        "id": "VADMIN",
        "type": "home",
        "blocks": [
            {
                "type": "actions",
                "block_id": "admin",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "admin_members_open",
                        "text": {"type": "plain_text", "text": "Members"},
                    }
                ],
            }
        ],
    }


def test_an_admin_exports_and_erases_a_member_from_the_members_screen(world: World) -> None:
    seeded = seed_member(world)
    world.member("U0BOB", role="admin")
    world.parley.click("admin_members_open", view=_members_button(), user_id="U0BOB")
    screen = world.parley.open_view("U0BOB")
    assert screen["callback_id"] == "admin_members"
    world.parley.click("admin_members_pick", view=screen, user_id="U0BOB", value="U0ALICE")
    screen = world.parley.open_view("U0BOB")
    assert "What Parley holds about <@U0ALICE>" in _text(screen)
    world.parley.click("my_data_export", view=screen, user_id="U0BOB")
    world.tick(world.clock() + timedelta(minutes=1))
    files = _archive_in_dm(world, "U0BOB")  # to the admin who asked
    assert jsonl(files["profile.jsonl"])[0]["slack_user_id"] == "U0ALICE"
    world.parley.click("my_data_erase", view=world.parley.open_view("U0BOB"), user_id="U0BOB")
    confirm = world.parley.open_view("U0BOB")
    assert "for <@U0ALICE>" in _text(confirm)
    world.parley.submit({}, view=confirm, user_id="U0BOB")
    world.tick(world.clock() + timedelta(minutes=2))
    assert mentions(world.db.engine, ["U0ALICE", "Alice Example", "u0alice@example.test"]) == []
    with world.db.session() as session:
        erased = session.scalars(select(AuditEvent).where(AuditEvent.action == "member.erased")).one()
        assert erased.actor_id == seeded.other_id  # the admin, recorded
    assert any("Erasure done" in m["text"] for m in world.slack.messages(world.slack.dm_channel("U0BOB")))


def test_the_members_screen_is_for_admins_only(world: World) -> None:
    seed_member(world)
    world.parley.click("admin_members_open", view=_members_button(), user_id="U0BOB")
    assert world.slack.open_views("U0BOB") == []
    notes = [m["text"] for m in world.slack.ephemerals(user="U0BOB")]
    assert any("Only admins" in text for text in notes)
