"""`parley team import FILE --workspace T`: Slack user ids or known emails → manager; every bad line
reported with its number; nothing imported unless every line is good."""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import cli
from bot.flows.team import import_team
from storage.db import Database
from storage.models import Member
from tests.app.test_trade_kit import Desk, desk  # noqa: F401


def run(db: Database, *args: str) -> tuple[int, str]:
    url = db.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["team", "import", *args], env={"DATABASE_URL": url})
    return result.exit_code, result.output


def managers(desk: Desk) -> dict[str, str | None]:
    with desk.db.session() as session:
        members = session.query(Member).all()
        by_id = {m.id: m.slack_user_id for m in members}
        return {m.slack_user_id: by_id.get(m.manager_id) if m.manager_id else None for m in members}


def test_a_good_file_sets_every_manager_and_audits_it(desk: Desk, tmp_path: Path) -> None:
    desk.meet("U0ALICE", "U0BOB")  # their emails are known: alice@example.example, bob@…
    path = tmp_path / "team.csv"
    path.write_text(
        "member,manager\n# the sales team\n"
        "alice@example.example, bob@example.example\nU0CAROL,U0BOB\n\nU0BOB,\n",
        encoding="utf-8",
    )
    code, output = run(desk.db, str(path), "--workspace", "T0EXAMPLE")
    assert code == 0, output
    assert "2 changed, 1 unchanged" in output
    found = managers(desk)
    assert (found["U0ALICE"], found["U0CAROL"], found["U0BOB"]) == ("U0BOB", "U0BOB", None)
    events = [e for e in desk.audit() if e.action == "team.manager_set"]
    assert [(e.detail["member"], e.detail["via"], e.detail["line"]) for e in events] == [
        ("U0ALICE", "csv", 3),
        ("U0CAROL", "csv", 4),
    ]
    code, output = run(desk.db, str(path), "--workspace", "T0EXAMPLE")  # again: nothing to change
    assert code == 0 and "0 changed, 3 unchanged" in output


def test_bad_lines_are_all_reported_and_nothing_is_imported(desk: Desk, tmp_path: Path) -> None:
    desk.meet("U0ALICE", "U0BOB")
    path = tmp_path / "team.csv"
    path.write_text(
        "U0ALICE,U0BOB\n"
        "nobody@example.example,U0BOB\n"
        "U0CAROL,U0CAROL\n"
        "not-an-id,U0BOB\n"
        "U0ALICE,U0CAROL\n"
        "U0DANA,U0BOB,U0ERIN\n",
        encoding="utf-8",
    )
    code, output = run(desk.db, str(path), "--workspace", "T0EXAMPLE")
    assert code == 1
    lines = output.strip().splitlines()
    assert "5 problems, nothing imported" in lines[0]
    assert any(
        line.startswith("line 2:") and "no member with the email nobody@example.example" in line
        for line in lines
    )
    assert any(line.startswith("line 3:") and "own manager" in line for line in lines)
    assert any(line.startswith("line 4:") and "neither a Slack user id" in line for line in lines)
    assert any(line.startswith("line 5:") and "already given a manager on line 1" in line for line in lines)
    assert any(line.startswith("line 6:") and "two columns" in line for line in lines)
    assert managers(desk)["U0ALICE"] is None
    assert [e for e in desk.audit() if e.action == "team.manager_set"] == []


def test_a_loop_across_lines_is_refused(desk: Desk) -> None:
    desk.meet("U0ALICE")
    result = import_team(desk.parley.services, "T0EXAMPLE", "U0ALICE,U0BOB\nU0BOB,U0CAROL\nU0CAROL,U0ALICE\n")
    assert not result.ok
    assert {problem.line for problem in result.problems} == {1, 2, 3}
    assert "manager loop" in str(result.problems[0])
    assert managers(desk)["U0ALICE"] is None


def test_an_unknown_workspace_or_file_is_one_line_and_exit_2(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text("U0ALICE,U0BOB\n", encoding="utf-8")
    code, output = run(desk.db, str(path), "--workspace", "T0NOWHERE")
    assert code == 2 and output.count("\n") == 1 and "no workspace with team id 'T0NOWHERE'" in output
    code, output = run(desk.db, str(tmp_path / "missing.csv"), "--workspace", "T0EXAMPLE")
    assert code == 2


def test_the_help_says_emails_must_be_known_to_parley() -> None:
    result = CliRunner().invoke(cli, ["team", "import", "--help"])
    assert result.exit_code == 0
    assert "emails are matched against members Parley already knows" in " ".join(result.output.split())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_is_either_imported_or_reported_never_a_crash(desk: Desk, text: str) -> None:
    desk.meet("U0ALICE")
    before = managers(desk)
    result = import_team(desk.parley.services, "T0EXAMPLE", text)
    if not result.ok:
        assert managers(desk) == before
        assert all(problem.line >= 1 for problem in result.problems)
