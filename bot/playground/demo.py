"""``parley demo``: the whole product in one process, with a fake Slack and a page to use it in.

:class:`Playground` wires, in this order: the movable clock; the strict fake Slack Web API (its wall
clock is that clock); a migrated SQLite database, seeded the first time; the real Bolt app from
:func:`bot.app.build_app` — the production factory, with only settings pointing it at the fake —
served over HTTP by the production WSGI app on its own loopback port; the ticker running
``parley tick`` as of the clock; and the page's web server. Every interaction from the page reaches the
app as a signed HTTP request (:mod:`bot.playground.slack_side`).
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import secrets
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Final
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from bot.app import build_app
from bot.playground.clock import DEFAULT_TICK_SECONDS, DemoClock, Ticker, TimeTravelError, resolve_travel
from bot.playground.demo_team import ROSTER, DemoPerson
from bot.playground.seed import SeedReport, add_to_slack, seed_demo
from bot.playground.server import BadRequest, PlaygroundServer
from bot.playground.slack_side import Container, InteractionError, Outcome, SlackSide
from bot.services import Services
from bot.settings import Secret, Settings, SlackMode, SlackSettings
from bot.subcommands import SUBCOMMANDS
from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from bot.testkit.requests import DEFAULT_TEAM_ID
from bot.web import ParleyWSGI
from coaching.dates import moment_words
from storage import migrate
from storage.db import Database
from storage.models import Workspace

logger = logging.getLogger(__name__)

DEFAULT_DB: Final = "parley-demo.db"
CLOCK_KEY: Final = "playground_clock_at"  # Workspace.settings: the demo clock when last stopped
MAX_VALUE_LENGTH: Final = 3000
MAX_LIST_LENGTH: Final = 100


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietWSGIHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("app: " + format, *args)


@dataclass(frozen=True)
class Started:
    """What ``parley demo`` prints."""

    url: str
    seeded: SeedReport | None
    db_path: Path


class Playground:
    """Start with :meth:`start`, stop with :meth:`stop` (or use it as a context manager)."""

    def __init__(
        self,
        db_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 3000,
        reset: bool = False,
        tick_every: float = DEFAULT_TICK_SECONDS,
        clock: DemoClock | None = None,
        log_level: str = "INFO",
    ) -> None:
        self.db_path = db_path
        self._host, self._port, self._reset = host, port, reset
        self._tick_every = tick_every
        self._log_level = log_level
        self.clock = clock or DemoClock()
        self.roster: tuple[DemoPerson, ...] = ROSTER
        self._people = {person.user_id: person for person in ROSTER}
        self._stopping: list[Any] = []
        self._started: Started | None = None

    # ------------------------------------------------------------------------------------------ lifecycle

    def start(self) -> Started:
        if self._started is not None:
            return self._started
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> Started:
        _check_port(self._host, self._port)  # fail in a moment, not after seeding
        if self._reset:
            remove_database(self.db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.slack = FakeSlack(wall_clock=self.clock.timestamp).start()
        self._stopping.append(self.slack.stop)
        add_to_slack(self.slack)

        self.db = Database.from_url(f"sqlite:///{self.db_path}")
        # A demo database: in WAL mode, NORMAL is safe against crashes (not power loss) and much faster.
        event.listen(self.db.engine, "connect", _relaxed_sync)
        self._stopping.append(self.db.dispose)
        migrate.upgrade(self.db.engine)
        self._resume_clock()
        self._stopping.append(self._save_clock)

        signing_secret = secrets.token_hex(16)
        self.settings = Settings(
            database_url=f"sqlite:///{self.db_path}",
            slack_api_url=self.slack.api_url,
            port=self._port,
            log_level=self._log_level,
            slack=SlackSettings(
                signing_secret=Secret(signing_secret),
                mode=SlackMode.SINGLE,
                bot_token=Secret(DEFAULT_BOT_TOKEN),
            ),
        )
        self.services = Services(settings=self.settings, db=self.db, clock=self.clock.now)
        seeded = seed_demo(self.services, self.clock, self.slack)

        self.app = build_app(self.services)
        wsgi = ParleyWSGI(self.app, self.db)
        bolt = make_server(
            "127.0.0.1", 0, wsgi, server_class=_ThreadingWSGIServer, handler_class=_QuietWSGIHandler
        )
        bolt_thread = threading.Thread(
            target=bolt.serve_forever, kwargs={"poll_interval": 0.2}, name="playground-app", daemon=True
        )
        bolt_thread.start()
        self._stopping.append(partial(_stop_server, bolt, bolt_thread))
        self.request_url = f"http://127.0.0.1:{bolt.server_address[1]}/slack/events"
        self.side = SlackSide(self.slack, self.request_url, signing_secret, DEFAULT_BOT_TOKEN)

        self.ticker = Ticker(self.clock, self._tick, every=self._tick_every)
        self._stopping.append(self.ticker.stop)
        self.web = PlaygroundServer(self, self._host, self._port)
        self._stopping.append(self.web.close)
        self.ticker.start()
        self._started = Started(self.web.url, seeded, self.db_path)
        return self._started

    def stop(self) -> None:
        """Stop everything started, newest first; safe to call twice."""
        while self._stopping:
            step = self._stopping.pop()
            try:
                step()
            except Exception:  # keep stopping the rest
                logger.exception("stopping the playground")
        self._started = None

    def __enter__(self) -> Playground:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return self.web.url

    # ------------------------------------------------------------------------------------------ clock

    def _tick(self) -> str:
        from bot.delivery.gateway import SlackGateway
        from bot.delivery.pacing import Pacer
        from bot.scheduler.tick import in_words, tick

        services = replace(self.services, clock=self.clock.now)
        gateway = getattr(self, "_gateway", None)
        if gateway is None:
            # The fake Slack has no rate limits to respect; production's pace would make a time jump
            # with thirty digests take half a minute.
            pacer = Pacer(workspace_per_minute=60_000, channel_per_second=1_000, workspace_burst=1_000)
            gateway = self._gateway = SlackGateway(self.settings, self.db.engine, pacer=pacer)
        return in_words(tick(services, gateway))

    def _resume_clock(self) -> None:
        """A restarted demo goes on from where its clock was (time travel included), never back."""
        with self.db.session() as session:
            workspace = session.scalar(select(Workspace).where(Workspace.team_id == DEFAULT_TEAM_ID))
            saved = (workspace.settings or {}).get(CLOCK_KEY) if workspace is not None else None
        if isinstance(saved, str):
            with contextlib.suppress(ValueError, TimeTravelError):
                instant = datetime.fromisoformat(saved)
                if instant > self.clock.now():
                    self.clock.travel_to(instant)

    def _save_clock(self) -> None:
        with self.db.session() as session:
            workspace = session.scalar(select(Workspace).where(Workspace.team_id == DEFAULT_TEAM_ID))
            if workspace is not None:
                workspace.settings = {**(workspace.settings or {}), CLOCK_KEY: self.clock.now().isoformat()}

    def travel(self, user_id: str, to: str) -> dict[str, Any]:
        """Move the clock as ``user_id`` reads ``to`` (their time zone) and tick there."""
        person = self.person(user_id)
        instant = resolve_travel(to, self.clock.now(), person.tz)
        result = self.ticker.travel(instant)
        self._save_clock()
        local = self.clock.now().astimezone(ZoneInfo(person.tz))
        return {
            "now": self.clock.now().isoformat(),
            "at": result.at.isoformat(),
            "summary": f"It is now {moment_words(local)}, {person.name.split()[0]}'s time: {result.summary}",
            "error": result.error,
        }

    # ------------------------------------------------------------------------------------------ interactions

    def person(self, user_id: str) -> DemoPerson:
        person = self._people.get(user_id)
        if person is None:
            raise InteractionError(f"unknown user {user_id!r}")
        return person

    def click(self, user_id: str, body: Mapping[str, Any]) -> Outcome:
        container = body.get("container")
        action_id = body.get("action_id")
        if not isinstance(container, dict) or not isinstance(action_id, str):
            raise BadRequest("a click needs a container and an action_id")
        block_id = body.get("block_id")
        value = body.get("value", slack_requests.UNSET)
        return self.side.click(
            user_id,
            Container.parse(container),
            action_id,
            block_id=block_id if isinstance(block_id, str) and block_id else None,
            value=_value(value) if value is not slack_requests.UNSET else value,
            state_values=self.values(body),
        )

    @staticmethod
    def values(body: Mapping[str, Any]) -> dict[str, Any]:
        """The page's ``{block_id: value}`` (a string, a list of strings, or null), checked."""
        raw = body.get("values") or {}
        if not isinstance(raw, dict) or len(raw) > MAX_LIST_LENGTH:
            raise BadRequest("values must be an object of block_id → value")
        return {str(block_id): _value(value) for block_id, value in raw.items()}

    # ------------------------------------------------------------------------------------------ state

    def state(self, user_id: str, *, since: str | None = None, wait: float = 0.0) -> dict[str, Any]:
        """The workspace as ``user_id`` sees it (the newcomer if none is given); with ``since``, waits
        (up to ``wait`` s) for news."""
        person = self.person(user_id) if user_id else self.roster[0]
        if since is not None and wait > 0:
            self.slack.wait_for(lambda: self._version() != since, timeout=wait)
        snapshot = self.slack.snapshot()
        version = f"{snapshot['version']}.{int(self.clock.offset.total_seconds())}"
        dm = self.slack.dm_channel(person.user_id)
        visible = [dm] + [
            channel_id
            for channel_id, channel in snapshot["channels"].items()
            if not channel["is_im"]
            and not channel["is_mpim"]
            and (channel["members"] is None or person.user_id in channel["members"])
        ]
        ephemerals: dict[str, list[dict[str, Any]]] = {channel_id: [] for channel_id in visible}
        for ephemeral in snapshot["ephemerals"]:
            if ephemeral.get("recipient") == person.user_id and ephemeral.get("channel") in ephemerals:
                ephemerals[ephemeral["channel"]].append(ephemeral)
        now = self.clock.now()
        last = self.ticker.last
        return {
            "version": version,
            "now": now.isoformat(),
            "now_label": now.astimezone(ZoneInfo(person.tz)).strftime("%a %d %b, %H:%M"),
            "me": person.as_json(),
            "people": [p.as_json() for p in self.roster],
            "users": {
                user_id: {
                    "id": user_id,
                    "name": user.get("display_name") or user.get("real_name") or user.get("name"),
                    "is_bot": user.get("is_bot", False),
                }
                for user_id, user in snapshot["users"].items()
            },
            "channels": [
                {
                    "id": channel_id,
                    "name": "Parley" if channel_id == dm else snapshot["channels"][channel_id]["name"],
                    "kind": "app" if channel_id == dm else "channel",
                }
                for channel_id in visible
            ],
            "dm": dm,
            "messages": {channel_id: snapshot["messages"].get(channel_id, []) for channel_id in visible},
            "ephemerals": ephemerals,
            "modals": snapshot["modals"].get(person.user_id, []),
            "home": snapshot["homes"].get(person.user_id),
            "files": {
                file_id: {
                    "name": file["filename"],
                    "title": file.get("title") or file["filename"],
                    "mimetype": mimetypes.guess_type(file["filename"])[0] or "application/octet-stream",
                    "alt": file.get("alt_txt") or "",
                }
                for file_id, file in snapshot["files"].items()
                if file.get("completed")
            },
            "commands": [
                {"name": sub.name, "args": sub.args, "description": sub.description} for sub in SUBCOMMANDS
            ],
            "tick": None
            if last is None
            else {"at": last.at.isoformat(), "summary": last.summary, "error": last.error},
        }

    def _version(self) -> str:
        return f"{self.slack.version}.{int(self.clock.offset.total_seconds())}"

    def file(self, file_id: str) -> tuple[bytes, str] | None:
        for file in self.slack.files():
            if file["id"] == file_id and file.get("content") is not None and file.get("completed"):
                mimetype = mimetypes.guess_type(file["filename"])[0] or "application/octet-stream"
                return bytes(file["content"]), mimetype
        return None


def _check_port(host: str, port: int) -> None:
    """Raise ``OSError`` (address in use) if the page's port cannot be had."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def _stop_server(server: WSGIServer, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _relaxed_sync(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) > MAX_VALUE_LENGTH:
            raise BadRequest(f"a value is longer than {MAX_VALUE_LENGTH} characters")
        return value
    if isinstance(value, list) and len(value) <= MAX_LIST_LENGTH and all(isinstance(v, str) for v in value):
        return [_value(v) for v in value]
    raise BadRequest("each value is a string, a list of strings or null")


def remove_database(path: Path) -> None:
    """Delete the SQLite file and its WAL companions (``--reset``)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_demo(db_path: Path, *, port: int, reset: bool, log_level: str = "INFO", echo: Any = print) -> None:
    """Run until Ctrl-C (SIGINT) or SIGTERM, then stop everything cleanly."""
    import signal

    stop = threading.Event()
    playground = Playground(db_path, port=port, reset=reset, log_level=log_level)
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        started = playground.start()
        for line in banner(started, playground):
            echo(line)
        stop.wait()
        echo("Stopping the playground…")
    finally:
        playground.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def banner(started: Started, playground: Playground) -> list[str]:
    newcomer = next(p for p in playground.roster if p.role == "new")
    manager = next(p for p in playground.roster if p.role == "manager")
    lines = [
        "",
        f"Parley playground: {started.url}",
        f"  database: {started.db_path} (delete it or pass --reset to start over)",
        f"  clock: {playground.clock.now().astimezone(UTC):%a %d %b %Y %H:%M} UTC — "
        "time travel is in the page's top bar",
    ]
    if started.seeded is not None:
        lines.append(f"  seeded the demo team: {started.seeded.summary()}")
        lines.extend(f"  ! {problem}" for problem in started.seeded.problems[:5])
    lines += [
        "",
        "Try first:",
        f"  1. You are {newcomer.name}, new here: type /negotiate style in the Parley DM and answer it.",
        "  2. /negotiate prep — plan a negotiation; the plan arrives in the DM.",
        f"  3. Propose a trade from the plan, switch to {manager.name} (top right) and approve it.",
        "  4. Open the Home tab; jump to “next Monday 09:00” to read the weekly digests.",
        "",
        "Ctrl-C stops everything.",
    ]
    return lines


def default_db_path() -> Path:
    return Path.cwd() / DEFAULT_DB


__all__ = ["Playground", "Started", "TimeTravelError", "banner", "default_db_path", "run_demo"]
