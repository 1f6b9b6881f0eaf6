"""A member with 100,000 concession ledger lines: the archive is complete (streamed; its memory is
measured by bench/member_export.py) and the erasure anonymises every line in one go."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select

from bot.flows.member_data import erase_now  # the same function the clock and the CLI run
from storage.models import LedgerEntry
from tests.privacy.conftest import archive_of, seed_member
from tests.scheduling.conftest import World

ROWS = 100_000


def _many_lines(world: World, negotiation_id: int) -> None:
    ws = world.workspace_id()
    for start in range(0, ROWS, 20_000):
        with world.db.session() as session:
            session.execute(
                insert(LedgerEntry),
                [
                    {"workspace_id": ws, "negotiation_id": negotiation_id, "kind": "held",
                     "item": f"Line {start + i}", "value_minor": 1, "currency": "USD", "position": start + i,
                     "recorded_at": world.clock()}
                    for i in range(20_000)
                ],
            )  # fmt: skip


def test_a_member_with_100000_ledger_lines_exports_completely_and_erases(world: World) -> None:
    seeded = seed_member(world, ledger_rows=0)
    _many_lines(world, seeded.negotiation_id)
    world.parley.command("my-data")
    view = world.parley.open_view()
    assert "*100000* concession ledger line(s)" in str(view["blocks"])
    world.parley.click("my_data_export", view=view)
    world.tick(world.clock() + timedelta(minutes=1))
    (shared,) = [f for f in world.slack.files() if f["channels"]]
    files = archive_of(shared["content"])
    lines = files["ledger_entries.jsonl"].splitlines()
    assert len(lines) == ROWS and '"item": "Line 99999"' in lines[-1]
    assert files["ledger_entries.csv"].count("\n") == ROWS + 1
    counts = erase_now(world.services, world.workspace_id(), seeded.member_id, actor_id=None, via="test")
    assert counts["ledger_entries_anonymised"] == ROWS
    with world.db.session() as session:
        assert (
            session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.item != "")) == 0
        )
        assert session.scalar(select(func.sum(LedgerEntry.value_minor))) == ROWS
