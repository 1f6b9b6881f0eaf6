"""The `parley` command line (DESIGN §4).

Every configuration problem ends in one line on stderr and exit code 2 (:data:`EXIT_CONFIG`); a
database or Slack that cannot be reached ends in one line and exit code 1 (:data:`EXIT_FAILURE`) —
never a traceback; secrets never appear in what is printed. Commands that serve Slack wait for an
unreachable Slack at boot (retrying with backoff, ``--slack-wait`` seconds at most) before giving up.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click

from bot import settings as settings_module

EXIT_CONFIG = 2
EXIT_FAILURE = 1
DEFAULT_SLACK_WAIT = 60.0
SLACK_RETRY_FIRST = 1.0
SLACK_RETRY_MAX = 15.0
_sleep = time.sleep  # tests replace these two to retry without waiting
_monotonic = time.monotonic

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_CONFIG) -> None:
    click.echo(f"parley: error: {message}", err=True)
    sys.exit(code)


class SlackUnreachable(Exception):
    """Slack could not be reached (refused, timed out, no DNS): not a refusal by Slack itself."""


def config_errors_are_one_line(func: F) -> F:
    """Configuration, database and Slack-connection problems end in one line, not a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError

        try:
            return func(*args, **kwargs)
        except settings_module.SettingsError as error:
            fail(str(error))
        except DBAPIError as error:
            fail(_database_problem(error), EXIT_FAILURE)
        except SQLAlchemyError as error:
            fail(f"database problem at DATABASE_URL ({_describe(error)})", EXIT_FAILURE)
        except SlackUnreachable as error:
            fail(str(error), EXIT_FAILURE)
        except Exception as error:
            if _is_connection_error(error):
                fail(f"cannot reach Slack at SLACK_API_URL ({_describe(error)})", EXIT_FAILURE)
            raise

    return wrapper  # type: ignore[return-value]


def _database_problem(error: Any) -> str:
    from sqlalchemy.exc import InterfaceError, OperationalError

    reason = _describe(error.orig) if error.orig is not None else _describe(error)
    if isinstance(error, OperationalError | InterfaceError):
        return f"cannot reach the database at DATABASE_URL ({reason})"
    return f"the database at DATABASE_URL refused a query ({reason}); has `parley db upgrade` run?"


def _is_connection_error(error: BaseException) -> bool:
    """A failure to reach Slack (as opposed to Slack answering ``ok: false``)."""
    import urllib.error

    from slack_sdk.errors import SlackApiError, SlackClientError

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, SlackApiError):
            return False
        if isinstance(seen, urllib.error.URLError | ConnectionError | TimeoutError | SlackClientError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _ping_database(database_url: str) -> None:
    """Fail fast (one line, through the decorator) when the database cannot be reached at boot."""
    from storage.db import Database

    database = Database.from_url(database_url)
    try:
        database.ping()
    finally:
        database.dispose()


slack_wait_option = click.option(
    "--slack-wait",
    type=click.FloatRange(min=0),
    default=DEFAULT_SLACK_WAIT,
    show_default=True,
    help="Seconds to keep retrying (with backoff) when Slack cannot be reached at boot.",
)
"""`serve` and `socket` both wait for Slack at boot, with the same option."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parley", prog_name="parley")
def cli() -> None:
    """Parley: negotiation coaching in Slack."""


@cli.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=None, help="Port (default: $PORT or 3000).")
@click.option(
    "--workers", type=int, default=None, help="gunicorn worker processes (default: $WEB_CONCURRENCY or 2)."
)
@slack_wait_option
@config_errors_are_one_line
def serve(host: str, port: int | None, workers: int | None, slack_wait: float) -> None:
    """Serve Slack's request URL over HTTP (POST /slack/events, GET /healthz, GET /metrics)."""
    settings = settings_module.load()
    from bot.metrics_dir import private_multiprocess_dir

    _ping_database(settings.database_url)
    with private_multiprocess_dir():  # /metrics adds up every worker's counters (before any import of them)
        from bot.runtime import build_runtime
        from bot.server import ParleyServer

        runtime = _checked_runtime(lambda: build_runtime(settings=settings), slack_wait)
        runtime.services.db.dispose()  # each worker opens its own connections after the fork
        ParleyServer(host, port or runtime.services.settings.port, workers=workers).run()


@cli.command()
@slack_wait_option
@config_errors_are_one_line
def socket(slack_wait: float) -> None:
    """Connect to Slack over Socket Mode (needs SLACK_APP_TOKEN): no public URL required."""
    settings = settings_module.load(require_app_token=True)
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.runtime import build_runtime

    _ping_database(settings.database_url)
    runtime = _checked_runtime(lambda: build_runtime(settings=settings), slack_wait)
    app_token = runtime.services.settings.require_slack().app_token
    assert app_token is not None
    SocketModeHandler(runtime.app, app_token.reveal()).start()


@cli.command()
@config_errors_are_one_line
def scheduler() -> None:
    """Run the clock process: periodic jobs (nudges, reminders, digests) and outbox delivery."""
    settings = settings_module.load()
    settings_module.configure_logging(settings.log_level, settings.log_format)
    from bot.runtime import build_services
    from bot.scheduler.clock import run_clock

    _ping_database(settings.database_url)
    run_clock(build_services(settings))


@cli.command()
@click.option(
    "--at", "at_text", default=None, help="ISO-8601 instant, e.g. 2026-11-23T09:30:00Z (default: now)."
)
@config_errors_are_one_line
def tick(at_text: str | None) -> None:
    """Run every periodic job once as of an instant, then deliver what is due then."""
    from datetime import UTC, datetime

    at = datetime.now(UTC)
    if at_text is not None:
        try:
            at = datetime.fromisoformat(at_text.strip())
        except ValueError:
            fail(f"--at must be an ISO-8601 instant such as 2026-11-23T09:30:00Z (got {at_text[:60]!r})")
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)  # no offset: UTC
    settings = settings_module.load()
    settings_module.configure_logging(settings.log_level, settings.log_format)
    from dataclasses import replace

    from bot.delivery.gateway import SlackGateway
    from bot.runtime import build_services
    from bot.scheduler.tick import tick as run_tick

    _ping_database(settings.database_url)
    services = replace(build_services(settings), clock=lambda: at)
    try:
        report = run_tick(services, SlackGateway(settings, services.db.engine))
    finally:
        services.db.dispose()
    click.echo(report.summary())


@cli.command("export")
@click.option("--workspace", "team_id", required=True, help="The Slack team id (T…) to export.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only rows from this UTC date on.",
)
@click.option(
    "--output", type=click.Path(file_okay=False), default=None, help="Directory (default ./parley-export-T…)."
)
@config_errors_are_one_line
def export(team_id: str, fmt: str, since: Any, output: str | None) -> None:
    """Export a workspace's negotiations, ledger, trades and commitments (see docs/export.md)."""
    from datetime import UTC
    from pathlib import Path

    from bot.digests.export import Format, UnknownWorkspace, export_workspace
    from storage.db import Database

    settings = settings_module.load(require_slack=False)
    database = Database.from_url(settings.database_url)
    directory = Path(output or f"parley-export-{team_id}")
    try:
        report = export_workspace(
            database, team_id, directory, Format(fmt), since=since.replace(tzinfo=UTC) if since else None
        )
    except UnknownWorkspace:
        fail(f"no workspace {team_id!r} in the database at DATABASE_URL", EXIT_FAILURE)
    except OSError as error:
        fail(f"could not write {directory}: {error.strerror or error}", EXIT_FAILURE)
    finally:
        database.dispose()
    click.echo(report.summary())


@cli.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@config_errors_are_one_line
def db_upgrade() -> None:
    """Migrate the database to the newest schema (safe to run again)."""
    from storage import migrate
    from storage.db import make_engine

    settings = settings_module.load(require_slack=False)
    engine = make_engine(settings.database_url)
    try:
        before = migrate.current_revision(engine)
        migrate.upgrade(engine)
        after = migrate.current_revision(engine)
    except Exception as error:
        fail(f"could not migrate the database at DATABASE_URL: {_describe(error)}", EXIT_FAILURE)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"Database already at the newest schema ({after}).")
    else:
        click.echo(f"Database migrated from {before or 'empty'} to {after}.")


@cli.command()
@click.option(
    "--url", default=None, help="Public base URL, e.g. https://parley.example.com (omit for Socket Mode)."
)
def manifest(url: str | None) -> None:
    """Print the Slack app manifest (JSON) to paste into api.slack.com/apps → Create New App."""
    from bot.manifest import build_manifest

    if url is not None and not url.startswith("https://"):
        fail("--url must be an https:// URL: Slack only sends requests to HTTPS endpoints")
    click.echo(json.dumps(build_manifest(url), indent=2))


@cli.command()
@click.option("--port", type=int, default=3000, show_default=True, help="Port of the page on 127.0.0.1.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default="parley-demo.db",
    show_default=True,
    help="SQLite file for the demo (created, migrated and seeded the first time).",
)
@click.option("--reset", is_flag=True, help="Delete the demo database first: a fresh demo team.")
@config_errors_are_one_line
def demo(port: int, db_path: str, reset: bool) -> None:
    """The local playground: Parley with a fake Slack in your browser, no Slack account needed."""
    import os
    from pathlib import Path

    from bot.playground.demo import run_demo

    settings = settings_module.load(require_slack=False)
    level = settings.log_level if os.environ.get("LOG_LEVEL") else "WARNING"
    settings_module.configure_logging(level)
    try:
        run_demo(Path(db_path).resolve(), port=port, reset=reset, log_level=level, echo=click.echo)
    except OSError as error:
        fail(f"could not start the playground on port {port}: {error.strerror or error}", EXIT_FAILURE)


@cli.group()
def team() -> None:
    """Team structure: who approves whose concession trades."""


@team.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--workspace", "team_id", required=True, help="The Slack team id (T…) of the workspace.")
@config_errors_are_one_line
def team_import(file: str, team_id: str) -> None:
    """Set managers from a CSV file of `member,manager` lines.

    Each cell is a Slack user id (U…) or an email address; emails are matched against members Parley
    already knows (their Slack profile email, known once they have used Parley), so use ids for people
    who have not. An empty manager removes it. A header line, blank lines and # comments are allowed.
    Nothing is imported if any line has a problem; every problem is listed with its line number.
    """
    from pathlib import Path

    from bot.flows.team import TeamImportError, import_team_file
    from bot.runtime import build_services

    settings = settings_module.load(require_slack=False)
    _ping_database(settings.database_url)
    services = build_services(settings)
    try:
        result = import_team_file(services, team_id, Path(file))
    except TeamImportError as error:
        fail(str(error))
    finally:
        services.db.dispose()
    if not result.ok:
        count = len(result.problems)
        click.echo(f"parley: error: {count} problem{'s' if count != 1 else ''}, nothing imported:", err=True)
        for problem in result.problems:
            click.echo(str(problem), err=True)
        sys.exit(EXIT_FAILURE)
    click.echo(f"Team imported into {team_id}: {result.changed} changed, {result.unchanged} unchanged.")


@cli.group()
def member() -> None:
    """One member's data: an archive of it, or its erasure (docs/privacy.md)."""


@member.command("export")
@click.option("--workspace", "team_id", required=True, help="The Slack team id (T…) of the workspace.")
@click.option("--user", "user_id", required=True, help="The member's Slack user id (U…).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Zip file (default ./parley-member-U….zip).",
)
@config_errors_are_one_line
def member_export(team_id: str, user_id: str, output: str | None) -> None:
    """Write everything Parley holds about one member to a zip (JSON Lines and CSV), streamed."""
    from pathlib import Path

    from bot.flows.member_data import Refused, export_to_file
    from bot.runtime import build_services

    settings = settings_module.load(require_slack=False)
    _ping_database(settings.database_url)
    services = build_services(settings)
    path = Path(output or f"parley-member-{user_id}.zip")
    try:
        archive = export_to_file(services, team_id, user_id, path)
    except Refused as refusal:
        fail(str(refusal), EXIT_FAILURE)
    except OSError as error:
        fail(f"could not write {path}: {error.strerror or error}", EXIT_FAILURE)
    finally:
        services.db.dispose()
    click.echo(f"Exported {archive.total:,} records about {user_id} to {path}")


@member.command("erase")
@click.option("--workspace", "team_id", required=True, help="The Slack team id (T…) of the workspace.")
@click.option("--user", "user_id", required=True, help="The member's Slack user id (U…).")
@click.option("--yes", is_flag=True, help="Confirm: erasing can't be undone.")
@config_errors_are_one_line
def member_erase(team_id: str, user_id: str, yes: bool) -> None:
    """Erase one member: their own writing goes; what others' records need stays, anonymised."""
    from bot.flows.member_data import Refused, erase_by_ids
    from bot.runtime import build_services

    if not yes:
        fail("erasing can't be undone: add --yes to confirm (`parley member export` first for a copy)")
    settings = settings_module.load(require_slack=False)
    _ping_database(settings.database_url)
    services = build_services(settings)
    try:
        counts = erase_by_ids(services, team_id, user_id)
    except Refused as refusal:
        fail(str(refusal), EXIT_FAILURE)
    finally:
        services.db.dispose()
    if counts is None:
        click.echo(
            f"Nothing to erase: Parley holds no data about {user_id} in {team_id} "
            "(never met, or already erased)."
        )
        return
    detail = (
        ", ".join(f"{name.replace('_', ' ')} {count:,}" for name, count in counts.items()) or "profile only"
    )
    click.echo(f"Erased {user_id} in {team_id}: {detail}.")


@cli.group()
def keys() -> None:
    """Encryption keys for the Slack tokens stored in OAuth mode (PARLEY_ENCRYPTION_KEY)."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new key: put it first in PARLEY_ENCRYPTION_KEY (comma-separated, newest first)."""
    from storage.token_crypto import TokenCipher

    click.echo(TokenCipher.generate_key())


@keys.command("rotate")
@config_errors_are_one_line
def keys_rotate() -> None:
    """Re-encrypt every stored Slack token with the newest key (plaintext ones too), in one transaction."""
    from storage.db import make_engine
    from storage.token_crypto import EncryptionKeyError, TokenCipher, reencrypt_stored_tokens

    settings = settings_module.load(require_slack=False)
    if settings.encryption_key is None:
        fail("PARLEY_ENCRYPTION_KEY is not set: `parley keys generate` prints a key to put in it")
    assert settings.encryption_key is not None
    cipher = TokenCipher.from_setting(settings.encryption_key.reveal())
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as connection:
            changed = reencrypt_stored_tokens(connection, cipher)
    except EncryptionKeyError as error:
        fail(f"{error}; nothing was changed", EXIT_FAILURE)
    finally:
        engine.dispose()
    click.echo(f"Re-encrypted the Slack tokens of {changed} installation rows with the newest key.")


def _checked_runtime(build: Callable[[], Any], slack_wait: float = DEFAULT_SLACK_WAIT) -> Any:
    """Build the runtime: Slack's refusal of the token is one clear line at once; Slack out of reach is
    retried with exponential backoff (1 s, 2 s, 4 s … at most 15 s apart) for ``slack_wait`` seconds,
    then one clear line."""
    from slack_bolt.error import BoltError

    started, delay = _monotonic(), SLACK_RETRY_FIRST
    attempts = 0
    while True:
        attempts += 1
        try:
            with _quiet_slack_logs():  # each failed attempt is not news; the outcome is
                return build()
        except BoltError as error:
            if not _is_connection_error(error):
                fail(f"Slack did not accept SLACK_BOT_TOKEN ({_describe(error)})")
            last: Exception = error
        except Exception as error:
            if not _is_connection_error(error):
                raise
            last = error
        waited = _monotonic() - started
        if waited + delay > slack_wait:
            raise SlackUnreachable(
                f"cannot reach Slack at SLACK_API_URL after {attempts} attempts over {waited:.0f} s "
                f"({_describe(last)})"
            )
        _sleep(delay)
        delay = min(SLACK_RETRY_MAX, delay * 2)


@contextmanager
def _quiet_slack_logs() -> Iterator[None]:
    """Silence logging while booting: slack-sdk and Bolt log every failed attempt; the outcome is news."""
    import logging

    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"[:300]


def main() -> None:
    cli(prog_name="parley")


if __name__ == "__main__":  # pragma: no cover
    main()
