"""CLI honesty: a database or Slack out of reach ends every command in one line and a non-zero exit."""

from __future__ import annotations

import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import cli as cli_module
from bot.cli import EXIT_CONFIG, EXIT_FAILURE, SlackUnreachable, cli
from bot.testkit.fake_slack import FakeSlack

SLACK = {"SLACK_SIGNING_SECRET": "s3cret", "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_APP_TOKEN": "xapp-1"}
UNREACHABLE_SLACK = "http://127.0.0.1:9/api/"  # nothing listens on the discard port


@pytest.fixture(params=["sqlite", "postgresql"])
def unreachable_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/no/such/directory/parley.db"
    return "postgresql://parley:parley@127.0.0.1:9/parley"


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Retries sleep on a fake clock: the test records the backoff instead of waiting it out."""
    slept: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(cli_module, "_sleep", sleep)
    monkeypatch.setattr(cli_module, "_monotonic", lambda: now[0])
    yield slept


def run(args: list[str], env: dict[str, str]) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, args, env=env)
    lines = [line for line in result.output.splitlines() if line.strip()]
    return result.exit_code, lines


@pytest.mark.parametrize(
    "args",
    [
        ["tick"],
        ["db", "upgrade"],
        ["export", "--workspace", "T0EXAMPLE"],
        ["team", "import", __file__, "--workspace", "T0EXAMPLE"],
        ["keys", "rotate"],
        ["scheduler"],
        ["serve"],
        ["socket"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_database_out_of_reach_is_one_line_and_exit_1(
    args: list[str], unreachable_database: str, tmp_path: Path
) -> None:
    env = {**SLACK, "DATABASE_URL": unreachable_database, "PARLEY_ENCRYPTION_KEY": ""}
    if args == ["keys", "rotate"]:
        env["PARLEY_ENCRYPTION_KEY"] = "yWn5yJk7Xq0Lr6Jt2c9W8s1Zb4Vd3Fh5Gk7Lm9Np0Qs="
    code, lines = run([*args, *(["--output", str(tmp_path / "out")] if args[0] == "export" else [])], env)
    assert code == EXIT_FAILURE, lines
    assert len(lines) == 1 and lines[0].startswith("parley: error:"), lines
    assert "database" in lines[0] and "Traceback" not in lines[0]
    assert "parley:parley@" not in lines[0]  # never the credentials


@pytest.mark.parametrize("command", ["serve", "socket"])
def test_slack_out_of_reach_at_boot_is_retried_with_backoff_then_one_line(
    command: str, migrated_sqlite_template: Path, no_waiting: list[float]
) -> None:
    env = {
        **SLACK,
        "DATABASE_URL": f"sqlite:///{migrated_sqlite_template}",
        "SLACK_API_URL": UNREACHABLE_SLACK,
    }
    code, lines = run([command, "--slack-wait", "20"], env)
    assert code == EXIT_FAILURE, lines
    assert len(lines) == 1 and lines[0].startswith("parley: error: cannot reach Slack at SLACK_API_URL after")
    assert no_waiting == [1.0, 2.0, 4.0, 8.0]  # 15 s of backoff; one more doubling would pass 20 s


def test_slack_refusing_the_token_is_one_line_at_once(
    migrated_sqlite_template: Path, no_waiting: list[float]
) -> None:
    with FakeSlack() as slack:
        env = {
            **SLACK,
            "SLACK_BOT_TOKEN": "xoxb-not-a-token-slack-knows",
            "DATABASE_URL": f"sqlite:///{migrated_sqlite_template}",
            "SLACK_API_URL": slack.api_url,
        }
        code, lines = run(["serve"], env)
    assert code == EXIT_CONFIG
    assert len(lines) == 1 and lines[0].startswith("parley: error: Slack did not accept SLACK_BOT_TOKEN")
    assert "invalid_auth" in lines[0]
    assert no_waiting == []  # a refusal is not retried


def test_slack_reachable_after_a_while_boots(no_waiting: list[float]) -> None:
    attempts = []

    def build() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))
        return "runtime"

    assert cli_module._checked_runtime(build, 60) == "runtime"
    assert no_waiting == [1.0, 2.0]


def test_the_wait_is_bounded_even_at_zero(no_waiting: list[float]) -> None:
    def build() -> str:
        raise urllib.error.URLError(TimeoutError("timed out"))

    with pytest.raises(SlackUnreachable, match="after 1 attempts"):
        cli_module._checked_runtime(build, 0)
    assert no_waiting == []


def test_other_errors_are_not_mistaken_for_slack_being_down(no_waiting: list[float]) -> None:
    def build() -> str:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        cli_module._checked_runtime(build, 60)
    assert no_waiting == []
