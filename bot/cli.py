"""The `parley` command line (DESIGN §4).

Every configuration problem ends in one line on stderr and exit code 2 (:data:`EXIT_CONFIG`), never a
traceback; secrets never appear in what is printed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from bot import settings as settings_module

EXIT_CONFIG = 2
EXIT_FAILURE = 1

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_CONFIG) -> None:
    click.echo(f"parley: error: {message}", err=True)
    sys.exit(code)


def config_errors_are_one_line(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except settings_module.SettingsError as error:
            fail(str(error))

    return wrapper  # type: ignore[return-value]


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
@config_errors_are_one_line
def serve(host: str, port: int | None, workers: int | None) -> None:
    """Serve Slack's request URL over HTTP (POST /slack/events, GET /healthz, GET /metrics)."""
    settings = settings_module.load()
    from bot.metrics_dir import private_multiprocess_dir

    with private_multiprocess_dir():  # /metrics adds up every worker's counters (before any import of them)
        from bot.runtime import build_runtime
        from bot.server import ParleyServer

        runtime = _checked_runtime(lambda: build_runtime(settings=settings))
        runtime.services.db.dispose()  # each worker opens its own connections after the fork
        ParleyServer(host, port or runtime.services.settings.port, workers=workers).run()


@cli.command()
@config_errors_are_one_line
def socket() -> None:
    """Connect to Slack over Socket Mode (needs SLACK_APP_TOKEN): no public URL required."""
    settings = settings_module.load(require_app_token=True)
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.runtime import build_runtime

    runtime = _checked_runtime(lambda: build_runtime(settings=settings))
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

    services = build_services(settings_module.load(require_slack=False))
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


def _checked_runtime(build: Callable[[], Any]) -> Any:
    """Build the runtime, turning Slack's refusal of the token into one clear line."""
    from slack_bolt.error import BoltError

    try:
        return build()
    except BoltError as error:
        fail(f"Slack did not accept SLACK_BOT_TOKEN ({_describe(error)})")


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"[:300]


def main() -> None:
    cli(prog_name="parley")


if __name__ == "__main__":  # pragma: no cover
    main()
