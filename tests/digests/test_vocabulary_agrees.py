"""The same commitments through Home, the commitment card, nudges, the digests and ``parley export``:
every screen says the same thing about them (``coaching.vocabulary``).

The seeded week (tests/digests/seeding.py) has, for Alice (Europe/London, reports to Bob): "Share the
deck" open and due Mon 16 Nov, "Book the room" lapsed (due Fri 20 Nov, not done), "Send the agenda"
kept and "Confirm the VPs" due Wed 25 Nov. Seen on Monday 23 Nov.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.digests.build import DigestKind, build_workspace_digests, render_digest
from bot.digests.export import Format, export_workspace
from bot.flows.commitments_items import item_for
from bot.flows.home import home_context
from coaching.commitments import nudge_line
from coaching.items import Commitment as CommitmentValue
from coaching.items import Side
from coaching.playbook import load_default
from coaching.vocabulary import is_overdue, working_days_late
from storage.models import Commitment, Workspace
from templates.escape import GUARD
from tests.digests.seeding import NOW, Seeded

PLAYBOOK = load_default()
AFTERNOON = NOW + timedelta(hours=5)


def _overdue_in_the_store(world: Any, seeded: Seeded) -> set[str]:
    today = AFTERNOON.date()
    with world.db.session() as session:
        rows = session.scalars(select(Commitment).where(Commitment.owner_id == seeded.alice))
        return {c.text for c in rows if is_overdue(c.status, c.due, today)}


def test_home_cards_nudges_digests_and_export_agree_on_what_is_overdue(
    world: Any, seeded: Seeded, tmp_path: Path
) -> None:
    world.clock.set(AFTERNOON)
    overdue = _overdue_in_the_store(world, seeded)
    assert overdue == {"Share the deck", "Book the room"}  # lapsed and not done is still overdue

    # Home: Bob's team section counts them, Alice's own list flags them
    bob = home_context(world.services, seeded.workspace_id, "U0BOB")
    assert bob is not None
    team = next(s for s in bob["sections"] if s["key"] == "team")
    assert f"{len(overdue)} overdue commitments" in team["summary"]
    alice = home_context(world.services, seeded.workspace_id, "U0ALICE")
    assert alice is not None
    mine = next(s for s in alice["sections"] if s["key"] == "commitments")
    assert {row["text"] for row in mine["rows"] if row["overdue"]} == overdue

    # the commitment card
    with world.db.session() as session:
        rows = list(session.scalars(select(Commitment).where(Commitment.owner_id == seeded.alice)))
        cards = {c.text: item_for(session, c, seeded.alice, AFTERNOON, "Europe/London") for c in rows}
    assert {text for text, card in cards.items() if card.overdue} == overdue

    # the manager's digest: the overdue list and the count beside the lapsed one
    with world.db.session() as session:
        workspace = session.get(Workspace, seeded.workspace_id)
        assert workspace is not None
        built = build_workspace_digests(session, workspace, now=AFTERNOON, playbook=PLAYBOOK)
    manager = next(p for p in built if p.recipient.kind is DigestKind.MANAGER)
    text = json.dumps(render_digest(manager).blocks, ensure_ascii=False).replace(GUARD, "")
    assert f"{len(overdue)} overdue now" in text
    for item in overdue:
        assert f"{item} — due" in text

    # parley export
    export_workspace(world.db, "T0EXAMPLE", tmp_path, Format.JSONL, now=AFTERNOON)
    exported = [json.loads(line) for line in (tmp_path / "commitments.jsonl").read_text().splitlines()]
    assert {row["text"] for row in exported if row["standing"] == "overdue"} == overdue

    # nudges: how late, in working days on the day it is sent, the same count everywhere
    share = next(c for c in rows if c.text == "Share the deck")
    line = nudge_line(
        CommitmentValue("Alice", share.text, share.due, Side.OURS),
        None,
        key="after-3",
        today=AFTERNOON.date(),
    )
    late = working_days_late(share.due, AFTERNOON.date())
    assert late == 5 and line.startswith("Overdue by 5 working days:")


def test_the_digest_lists_as_coming_up_what_a_coming_up_nudge_is_about(world: Any, seeded: Seeded) -> None:
    """A nudge "Coming up, due in N days" and the digest's "Coming up" list cover the same window."""
    with world.db.session() as session:
        workspace = session.get(Workspace, seeded.workspace_id)
        assert workspace is not None
        built = build_workspace_digests(session, workspace, now=AFTERNOON, playbook=PLAYBOOK)
    learner = next(
        p for p in built if p.recipient.kind is DigestKind.LEARNER and p.recipient.target == "U0ALICE"
    )
    text = json.dumps(render_digest(learner).blocks, ensure_ascii=False).replace(GUARD, "")
    assert "Confirm the VPs — Wed 25 Nov 2026" in text
    assert "nothing due in the next 7 days" not in text


def test_a_late_done_is_lapsed_everywhere_never_kept(world: Any, seeded: Seeded, tmp_path: Path) -> None:
    """Item 3: "Print the badges", due Tue 17 Nov and marked done on Thu 19 Nov, is *done late*: the
    learner's, the manager's and the organisation's digests count it lapsed (in the week it lapsed),
    never kept; its card says so, and ``parley export`` calls it "done late"."""
    from bot.flows.commitments_cards import state_note
    from coaching.vocabulary import Standing
    from tests.digests.seeding import commitment, utc

    late = commitment(
        world.db, seeded.workspace_id, seeded.alice, "Print the badges", date(2026, 11, 17), "done",
        closed_at=utc(2026, 11, 19, 12),
    )  # fmt: skip
    with world.db.session() as session:
        workspace = session.get(Workspace, seeded.workspace_id)
        assert workspace is not None
        built = build_workspace_digests(session, workspace, now=AFTERNOON, playbook=PLAYBOOK)
        row = session.get(Commitment, late)
        assert row is not None
        note = state_note(
            row, item_for(session, row, seeded.alice, AFTERNOON, "Europe/London"), "Europe/London"
        )
    assert note == "Marked done, after its due date."
    shown = {
        (p.recipient.kind, p.recipient.target): json.dumps(
            render_digest(p).blocks, ensure_ascii=False
        ).replace(GUARD, "")
        for p in built
    }
    learner = shown[(DigestKind.LEARNER, "U0ALICE")]
    assert "*Commitments:* 1 kept, 2 lapsed" in learner, learner
    [manager] = [text for (kind, _), text in shown.items() if kind is DigestKind.MANAGER]
    assert "*Commitments:* 1 kept, 2 lapsed" in manager, manager
    orgs = [text for (kind, _), text in shown.items() if kind is DigestKind.ORGANISATION]
    assert orgs
    for org in orgs:
        assert "Commitments: 1 kept, 2 lapsed" in org, org

    export_workspace(world.db, "T0EXAMPLE", tmp_path, Format.JSONL, now=AFTERNOON)
    exported = {
        row["text"]: row["standing"]
        for row in (json.loads(line) for line in (tmp_path / "commitments.jsonl").read_text().splitlines())
    }
    assert exported["Print the badges"] == Standing.DONE_LATE.value
    assert exported["Send the agenda"] == Standing.KEPT.value
