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
    """Serve Slack's request URL over HTTP (POST /slack/events, GET /healthz)."""
    settings = settings_module.load()
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
