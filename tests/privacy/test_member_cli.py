"""`parley member export|erase`: the same semantics from the command line, one-line failures."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import select

from bot.cli import cli
from storage.models import AuditEvent, DataRequest
from storage.queries import privacy as queries
from tests.privacy.conftest import archive_of, jsonl, mentions, seed_member
from tests.scheduling.conftest import TEAM_ID, World


def _run(world: World, *args: str) -> Result:
    url = world.db.engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(cli, ["member", *args], env={"DATABASE_URL": url})


def test_export_writes_the_archive_and_is_audited(world: World, tmp_path: Path) -> None:
    seed_member(world, ledger_rows=5)
    out = tmp_path / "alice.zip"
    result = _run(world, "export", "--workspace", TEAM_ID, "--user", "U0ALICE", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.output
    files = archive_of(out.read_bytes())
    assert len(jsonl(files["ledger_entries.jsonl"])) == 5
    with world.db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "member.exported")).one()
        assert event.detail["via"] == "cli"


def test_erase_needs_yes_then_erases_once(world: World) -> None:
    seed_member(world)
    refused = _run(world, "erase", "--workspace", TEAM_ID, "--user", "U0ALICE")
    assert refused.exit_code == 2
    assert refused.output.strip().startswith("parley: error: erasing can't be undone")
    assert len(refused.output.strip().splitlines()) == 1
    assert mentions(world.db.engine, ["U0ALICE"]) != []  # nothing changed
    result = _run(world, "erase", "--workspace", TEAM_ID, "--user", "U0ALICE", "--yes")
    assert result.exit_code == 0, result.output
    assert "Erased U0ALICE" in result.output and "preps deleted 1" in result.output
    assert mentions(world.db.engine, ["U0ALICE", "Alice Example", "u0alice@example.test"]) == []
    again = _run(world, "erase", "--workspace", TEAM_ID, "--user", "U0ALICE", "--yes")
    assert again.exit_code == 0 and again.output.startswith("Nothing to erase")


def test_export_refuses_unknown_people_and_erasures_under_way(world: World, tmp_path: Path) -> None:
    seeded = seed_member(world)
    unknown = _run(
        world, "export", "--workspace", TEAM_ID, "--user", "U0NOBODY", "--output", str(tmp_path / "x")
    )
    assert unknown.exit_code == 1
    assert (
        unknown.output.strip()
        == f"parley: error: no member 'U0NOBODY' in {TEAM_ID}: Parley holds nothing about them"
    )
    no_workspace = _run(world, "export", "--workspace", "T0OTHER", "--user", "U0ALICE")
    assert no_workspace.exit_code == 1 and "no workspace 'T0OTHER'" in no_workspace.output
    with world.db.session() as session:
        queries.add_request(
            session, workspace_id=world.workspace_id(), member_id=seeded.member_id,
            requested_by_id=seeded.member_id, kind=queries.ERASE, deliver_to=None, at=world.clock(),
        )  # fmt: skip
    during = _run(
        world, "export", "--workspace", TEAM_ID, "--user", "U0ALICE", "--output", str(tmp_path / "y")
    )
    assert during.exit_code == 1
    assert (
        during.output.strip()
        == "parley: error: an erasure of U0ALICE is under way: there is nothing to export"
    )
    assert not (tmp_path / "y").exists()
    # The CLI's erasure also settles the one queued from Slack: the clock finds nothing left to do.
    assert _run(world, "erase", "--workspace", TEAM_ID, "--user", "U0ALICE", "--yes").exit_code == 0
    world.tick(world.clock() + timedelta(minutes=1))
    with world.db.session() as session:
        assert session.scalars(select(DataRequest.status)).all() == ["done"]
