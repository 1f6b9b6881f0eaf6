"""Settings read once from the environment (DESIGN §4).

Every problem becomes a :class:`SettingsError` whose message is one line naming the variable, so
the CLI can print it and exit 2 instead of showing a traceback. Secrets are held in
:class:`Secret`, whose ``repr``/``str`` never reveal the value, so they cannot leak into logs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_FILE = "parley.db"
DEFAULT_PORT = 3000

LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
LOG_FORMATS = ("text", "json")
DEFAULT_METRICS_HOST = "127.0.0.1"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is meant for the operator as is."""


class Secret:
    """A string that refuses to show itself in logs, reprs and tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class SlackMode(StrEnum):
    SINGLE = "single-workspace"
    OAUTH = "oauth"


@dataclass(frozen=True)
class SlackSettings:
    signing_secret: Secret
    mode: SlackMode
    bot_token: Secret | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    state_secret: Secret | None = None
    app_token: Secret | None = None


@dataclass(frozen=True)
class Settings:
    database_url: str
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = DEFAULT_PORT
    playbook_path: Path | None = None
    log_level: str = "INFO"
    slack: SlackSettings | None = field(default=None)
    encryption_key: Secret | None = None  # PARLEY_ENCRYPTION_KEY: Fernet keys for stored Slack tokens
    # Operations (docs/operations.md): log line format, the clock's /metrics listener, /metrics' token.
    log_format: str = "text"
    metrics_port: int | None = None
    metrics_host: str = DEFAULT_METRICS_HOST
    metrics_token: Secret | None = None

    def require_slack(self) -> SlackSettings:
        if self.slack is None:  # pragma: no cover - load(require_slack=True) prevents it
            raise SettingsError("Slack settings are missing")
        return self.slack


def default_database_url(cwd: Path | None = None) -> str:
    return f"sqlite:///{(cwd or Path.cwd()) / DEFAULT_DATABASE_FILE}"


def load(
    environ: Mapping[str, str] | None = None,
    *,
    require_slack: bool = True,
    require_app_token: bool = False,
) -> Settings:
    """Read and validate the environment.

    ``require_slack`` is off for commands that never talk to Slack (``db upgrade``, ``tick`` with
    nothing to send is still Slack work, so it keeps it on).
    """
    env = os.environ if environ is None else environ
    slack = _slack(env, require_app_token) if require_slack else None
    encryption_key = _encryption_key(env)
    if slack is not None and slack.mode is SlackMode.OAUTH and encryption_key is None:
        raise SettingsError(
            "PARLEY_ENCRYPTION_KEY is not set: OAuth installs store every workspace's Slack tokens, which "
            "Parley keeps encrypted; `parley keys generate` prints a key (see the README, Security)"
        )
    return Settings(
        database_url=_database_url(env),
        slack_api_url=_slack_api_url(env),
        port=_port(env),
        playbook_path=_playbook_path(env),
        log_level=_log_level(env),
        slack=slack,
        encryption_key=encryption_key,
        log_format=_log_format(env),
        metrics_port=_metrics_port(env),
        metrics_host=_get(env, "PARLEY_METRICS_HOST") or DEFAULT_METRICS_HOST,
        metrics_token=_secret(env, "PARLEY_METRICS_TOKEN"),
    )


def _encryption_key(env: Mapping[str, str]) -> Secret | None:
    from storage.token_crypto import EncryptionKeyError, TokenCipher

    raw = _get(env, "PARLEY_ENCRYPTION_KEY")
    if raw is None:
        return None
    try:
        TokenCipher.from_setting(raw)
    except EncryptionKeyError as error:
        raise SettingsError(str(error)) from None  # never the value: it is a secret
    return Secret(raw)


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def _database_url(env: Mapping[str, str]) -> str:
    url = _get(env, "DATABASE_URL")
    if url is None:
        return default_database_url()
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme in ("postgres", "postgresql"):
        # Heroku-style URLs: use psycopg 3, the driver we ship.
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if scheme.startswith(("sqlite", "postgresql+")):
        return url
    raise SettingsError(
        "DATABASE_URL must start with sqlite://, postgres:// or postgresql:// "
        f"(got a value starting with {scheme or 'no scheme'!r})"
    )


def _slack_api_url(env: Mapping[str, str]) -> str:
    url = _get(env, "SLACK_API_URL")
    if url is None:
        return DEFAULT_SLACK_API_URL
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError("SLACK_API_URL must be an http(s) URL such as https://slack.com/api/")
    return url if url.endswith("/") else url + "/"


def _port(env: Mapping[str, str]) -> int:
    raw = _get(env, "PORT")
    if raw is None:
        return DEFAULT_PORT
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"PORT must be a number from 1 to 65535 (got {raw!r})")
    return int(raw)


def _playbook_path(env: Mapping[str, str]) -> Path | None:
    raw = _get(env, "PARLEY_PLAYBOOK")
    if raw is None:
        return None
    path = Path(raw)
    if not path.is_file():
        raise SettingsError(f"PARLEY_PLAYBOOK points at {raw!r}, which is not a readable file")
    return path


def _log_level(env: Mapping[str, str]) -> str:
    raw = (_get(env, "LOG_LEVEL") or "INFO").upper()
    if raw not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {raw!r})")
    return raw


def _log_format(env: Mapping[str, str]) -> str:
    raw = (_get(env, "LOG_FORMAT") or "text").lower()
    if raw not in LOG_FORMATS:
        raise SettingsError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)} (got {raw[:20]!r})")
    return raw


def _metrics_port(env: Mapping[str, str]) -> int | None:
    raw = _get(env, "PARLEY_METRICS_PORT")
    if raw is None:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"PARLEY_METRICS_PORT must be a number from 1 to 65535 (got {raw[:20]!r})")
    return int(raw)


def _secret(env: Mapping[str, str], name: str, prefix: str | None = None) -> Secret | None:
    value = _get(env, name)
    if value is None:
        return None
    if prefix and not value.startswith(prefix):
        # Never echo the value: it may be a real secret pasted into the wrong variable.
        raise SettingsError(f"{name} must start with {prefix!r}")
    return Secret(value)


def _slack(env: Mapping[str, str], require_app_token: bool) -> SlackSettings:
    signing_secret = _secret(env, "SLACK_SIGNING_SECRET")
    if signing_secret is None:
        raise SettingsError(
            "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information page "
            '(see the README, section "Create the Slack app"; `parley demo` runs Parley without Slack)'
        )
    app_token = _secret(env, "SLACK_APP_TOKEN", "xapp-")
    if require_app_token and app_token is None:
        raise SettingsError("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-…)")
    bot_token = _secret(env, "SLACK_BOT_TOKEN", "xoxb-")
    oauth_names = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET")
    oauth_given = [name for name in oauth_names if _get(env, name) is not None]
    if bot_token is not None and oauth_given:
        raise SettingsError(
            f"SLACK_BOT_TOKEN and {oauth_given[0]} are both set: use a bot token for one workspace "
            "or the OAuth settings for many, not both"
        )
    if bot_token is not None:
        return SlackSettings(signing_secret, SlackMode.SINGLE, bot_token=bot_token, app_token=app_token)
    if not oauth_given:
        raise SettingsError(
            "SLACK_BOT_TOKEN is not set: give a bot token (xoxb-…) for one workspace, or "
            "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth installs"
        )
    for name in oauth_names:
        if _get(env, name) is None:
            raise SettingsError(f"{name} is not set: OAuth installs need {', '.join(oauth_names)}")
    return SlackSettings(
        signing_secret,
        SlackMode.OAUTH,
        client_id=_get(env, "SLACK_CLIENT_ID"),
        client_secret=_secret(env, "SLACK_CLIENT_SECRET"),
        state_secret=_secret(env, "SLACK_STATE_SECRET"),
        app_token=app_token,
    )


def configure_logging(level: str, log_format: str = "text") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_format == "json":
        from bot.logjson import use_json_lines

        use_json_lines()
    quiet_slack_sdk_debug(level)


# slack-sdk decides whether to build its debug lines from its logger's *own* level, and an unset level
# (0) passes that check: every call would format the whole request and response (a modal is ~6 KB)
# into strings nobody logs. Its loggers get an explicit level so the check sees the real one.
SLACK_SDK_LOGGERS = ("slack_sdk.web.base_client", "slack_sdk.webhook.client")


def quiet_slack_sdk_debug(level: str | int) -> None:
    for name in SLACK_SDK_LOGGERS:
        logging.getLogger(name).setLevel(level)
