"""Every scheduled behaviour reads the workspace's playbook in force: an uploaded version's nudge
cadence and working hours reach the next `parley tick` without a restart (and a rollback too)."""

from __future__ import annotations

from datetime import date, datetime

from storage.db import Database
from storage.queries import playbooks
from storage.queries.workspaces import ensure_workspace
from tests.scheduling.conftest import TEAM_ID, World, hours, utc

DUE = date(2026, 11, 26)  # a Thursday


def upload(db: Database, text: str, now: datetime, team_id: str = TEAM_ID) -> int:
    """Apply a playbook version as `/negotiate playbook`'s Apply does; its version number."""
    with db.session() as session:
        workspace = ensure_workspace(session, team_id)
        draft = playbooks.add_draft(
            session, workspace.id, text=text, name="Acme", source="acme.toml", summary="", created_by=None
        )
        return playbooks.apply_draft(session, draft, now)


SHORT_CADENCE = """
name = "Acme buying standard"

[policy]
nudge_cadence = ["due", "after-5"]
"""

EARLY_HOURS = """
name = "Acme early risers"

[policy]
working_hours = { start = "07:00", end = "15:00" }
"""


def test_an_uploaded_cadence_is_honoured_by_the_next_tick(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    world.commitment(world.member("U0ALICE"), DUE)
    for at in hours(utc(2026, 11, 24, 8), utc(2026, 11, 25, 12)):
        world.tick(at)
    assert [at for _, at in world.sent("nudge")] == [utc(2026, 11, 25, 9)]  # before-1, the default
    upload(world.db, SHORT_CADENCE, utc(2026, 11, 25, 12))  # no restart: the same services
    for at in hours(utc(2026, 11, 25, 13), utc(2026, 12, 4, 12)):
        world.tick(at)
    assert [(at, row.payload["key"]) for row, at in sent_rows(world)] == [
        (utc(2026, 11, 25, 9), "before-1"),
        (utc(2026, 11, 26, 9), "due"),
        (utc(2026, 12, 3, 9), "after-5"),  # not after-1 or after-3: the upload's cadence
    ]


def test_an_uploaded_working_day_moves_nudges_and_debrief_reminders(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    alice = world.member("U0ALICE")
    world.commitment(alice, DUE)
    world.negotiation(alice, date(2026, 11, 25))
    upload(world.db, EARLY_HOURS, utc(2026, 11, 20, 12))
    for at in hours(utc(2026, 11, 25, 6), utc(2026, 11, 26, 10)):
        world.tick(at)
    assert [at for _, at in world.sent("nudge")] == [utc(2026, 11, 25, 7), utc(2026, 11, 26, 7)]
    assert [at for _, at in world.sent("debrief_reminder")] == [utc(2026, 11, 26, 7)]


def test_a_rollback_to_the_default_is_honoured_too(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    world.commitment(world.member("U0ALICE"), DUE)
    upload(world.db, EARLY_HOURS, utc(2026, 11, 20, 12))
    world.tick(utc(2026, 11, 25, 7))
    assert [at for _, at in world.sent("nudge")] == [utc(2026, 11, 25, 7)]
    upload(world.db, 'name = "Back to standard"\n', utc(2026, 11, 25, 12))  # nothing overridden
    for at in hours(utc(2026, 11, 26, 6), utc(2026, 11, 26, 10)):
        world.tick(at)
    assert [at for _, at in world.sent("nudge")] == [utc(2026, 11, 25, 7), utc(2026, 11, 26, 9)]


def sent_rows(world: World) -> list[tuple[object, datetime]]:
    rows = [row for row in world.outbox("nudge") if row.status == "sent" and row.sent_at is not None]
    return [(row, row.sent_at) for row in sorted(rows, key=lambda r: r.sent_at)]  # type: ignore[misc]
