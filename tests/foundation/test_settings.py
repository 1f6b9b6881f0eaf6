"""Settings: documented defaults, and one clear line naming the variable for every bad value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import DEFAULT_SLACK_API_URL, Secret, SettingsError, SlackMode, load

SINGLE = {"SLACK_SIGNING_SECRET": "s3cret-signing", "SLACK_BOT_TOKEN": "xoxb-123-abc"}
OAUTH = {
    "SLACK_SIGNING_SECRET": "s3cret-signing",
    "SLACK_CLIENT_ID": "111.222",
    "SLACK_CLIENT_SECRET": "client-s3cret",
    "SLACK_STATE_SECRET": "state-s3cret",
    "PARLEY_ENCRYPTION_KEY": "yWn5yJk7Xq0Lr6Jt2c9W8s1Zb4Vd3Fh5Gk7Lm9Np0Qs=",
}


def test_defaults_without_slack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load({}, require_slack=False)
    assert settings.database_url == f"sqlite:///{tmp_path / 'parley.db'}"
    assert settings.slack_api_url == DEFAULT_SLACK_API_URL
    assert settings.port == 3000
    assert settings.log_level == "INFO"
    assert settings.playbook_path is None
    assert settings.slack is None


def test_single_workspace_mode() -> None:
    settings = load(
        {**SINGLE, "PORT": "8080", "SLACK_API_URL": "http://127.0.0.1:9/api", "LOG_LEVEL": "debug"}
    )
    assert settings.slack is not None
    assert settings.slack.mode is SlackMode.SINGLE
    assert settings.slack.bot_token == Secret("xoxb-123-abc")
    assert settings.port == 8080
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.log_level == "DEBUG"


def test_oauth_mode() -> None:
    settings = load(OAUTH)
    assert settings.slack is not None
    assert settings.slack.mode is SlackMode.OAUTH
    assert settings.slack.client_id == "111.222"


def test_oauth_mode_without_an_encryption_key_refuses_in_one_line() -> None:
    without = {name: value for name, value in OAUTH.items() if name != "PARLEY_ENCRYPTION_KEY"}
    with pytest.raises(SettingsError) as raised:
        load(without)
    assert str(raised.value).startswith("PARLEY_ENCRYPTION_KEY is not set") and "\n" not in str(raised.value)


def test_token_mode_needs_no_encryption_key() -> None:
    assert load(SINGLE).encryption_key is None


@pytest.mark.parametrize("key", ["not-a-key", "yWn5yJk7Xq0Lr6Jt2c9W8s1Zb4Vd3Fh5Gk7Lm9Np0Qs=,short"])
def test_a_malformed_encryption_key_is_named_but_never_echoed(key: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load({**OAUTH, "PARLEY_ENCRYPTION_KEY": key})
    assert "PARLEY_ENCRYPTION_KEY must be Fernet keys" in str(raised.value)
    assert "short" not in str(raised.value) and "not-a-key" not in str(raised.value)


def test_several_keys_are_accepted_newest_first() -> None:
    keys = "yWn5yJk7Xq0Lr6Jt2c9W8s1Zb4Vd3Fh5Gk7Lm9Np0Qs=, 0Qs9Np7Lm5Gk3Fh1Vd4Zb8s2W6c0Jt9Lr7Xq5Jk3yWn="
    settings = load({**OAUTH, "PARLEY_ENCRYPTION_KEY": keys})
    assert settings.encryption_key is not None and "," in settings.encryption_key.reveal()


def test_heroku_style_postgres_url_uses_psycopg() -> None:
    settings = load({"DATABASE_URL": "postgres://u:p@db:5432/parley"}, require_slack=False)
    assert settings.database_url == "postgresql+psycopg://u:p@db:5432/parley"


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "x"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "x", "SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
        ({**OAUTH, "SLACK_CLIENT_SECRET": ""}, "SLACK_CLIENT_SECRET"),
        ({**OAUTH, "SLACK_STATE_SECRET": " "}, "SLACK_STATE_SECRET"),
        ({**SINGLE, "SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_ID"),
        ({**SINGLE, "PORT": "http"}, "PORT"),
        ({**SINGLE, "PORT": "70000"}, "PORT"),
        ({**SINGLE, "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({**SINGLE, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({**SINGLE, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({**SINGLE, "PARLEY_PLAYBOOK": "/nonexistent/playbook.toml"}, "PARLEY_PLAYBOOK"),
        ({**SINGLE, "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN"),
    ],
)
def test_each_bad_setting_names_its_variable(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load(environ)
    message = str(raised.value)
    assert variable in message
    assert "\n" not in message


def test_socket_mode_requires_app_token() -> None:
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        load(SINGLE, require_app_token=True)
    assert load({**SINGLE, "SLACK_APP_TOKEN": "xapp-1"}, require_app_token=True).slack is not None


def test_secrets_never_show_in_reprs_or_errors() -> None:
    settings = load({**OAUTH, "SLACK_APP_TOKEN": "xapp-very-secret"})
    shown = repr(settings) + str(settings)
    for secret in ("s3cret-signing", "client-s3cret", "state-s3cret", "xapp-very-secret"):
        assert secret not in shown
    with pytest.raises(SettingsError) as raised:
        load({"SLACK_SIGNING_SECRET": "x", "SLACK_BOT_TOKEN": "xoxp-leaked-user-token"})
    assert "leaked" not in str(raised.value)


def _run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "x"}, "SLACK_BOT_TOKEN"),
        (
            {"SLACK_SIGNING_SECRET": "x", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "y"},
            "SLACK_STATE_SECRET",
        ),
        ({**SINGLE, "PORT": "nope"}, "PORT"),
    ],
)
def test_serve_stops_with_one_clear_line_and_exit_2(
    environ: dict[str, str], variable: str, tmp_path: Path
) -> None:
    result = _run_cli("serve", env=environ, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("parley: error: ")
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_db_upgrade_with_bad_database_url_is_one_line(tmp_path: Path) -> None:
    result = _run_cli("db", "upgrade", env={"DATABASE_URL": "oracle://x"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "parley: error: DATABASE_URL must start with sqlite://, postgres:// or postgresql:// "
        "(got a value starting with 'oracle')"
    ]


def test_socket_without_app_token_is_one_line(tmp_path: Path) -> None:
    result = _run_cli("socket", env=SINGLE, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "SLACK_APP_TOKEN" in line


def test_slack_sdk_does_not_build_debug_lines_nobody_logs() -> None:
    """slack-sdk checks its logger's own level (unset passes) before formatting whole payloads."""
    import logging

    from bot.settings import SLACK_SDK_LOGGERS, quiet_slack_sdk_debug

    try:
        quiet_slack_sdk_debug("WARNING")
        for name in SLACK_SDK_LOGGERS:
            assert not logging.getLogger(name).level <= logging.DEBUG
        quiet_slack_sdk_debug("DEBUG")  # asked for: then they are built and logged
        assert all(logging.getLogger(name).level == logging.DEBUG for name in SLACK_SDK_LOGGERS)
    finally:
        for name in SLACK_SDK_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
