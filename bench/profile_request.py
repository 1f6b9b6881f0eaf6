"""Where a request's CPU goes: Parley's listeners in-process under cProfile, the fake Slack apart.

    .venv/bin/python -m bench.profile_request [--database-url postgresql+psycopg://…] [--requests 200]

Runs the real Bolt app (``bot.app.build_app``) with listeners inline on this thread — the ack and
everything after it (the plan DM, the Home tab) — against the strict fake Slack (its own thread) on a
fresh database, for ``/negotiate prep`` and for prep submissions. It prints, per request, the CPU
this thread used (Parley, including its HTTP client) and the CPU the rest of the process used (the
fake Slack's validation and serving), then the top functions by cumulative time inside Parley.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy import event

from bench.bare_app import TRIVIAL_MODAL
from bench.databases import fresh_database
from bench.request_path import USERS, prep_submission, scenarios
from bot.app import build_app
from bot.services import Services
from bot.settings import Secret, Settings, SlackMode, SlackSettings
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from storage import migrate
from storage.db import Database
from tests.app.conftest import InlineExecutor

SECRET = "profile-signing-secret"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--scenarios", default="prep,submit")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative or tottime")
    parser.add_argument(
        "--no-profile", action="store_true", help="CPU per request only, without cProfile's overhead"
    )
    parser.add_argument(
        "--statements", action="store_true", help="also print the SQL statements of one request per scenario"
    )
    args = parser.parse_args(argv)
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        url, drop = fresh_database(args.database_url, Path(tmp))
        db = Database.from_url(url)
        try:
            migrate.upgrade(db.engine)
            for user in USERS:
                slack.add_user(user, tz="Europe/London")
            settings = Settings(
                database_url=url,
                slack_api_url=slack.api_url,
                slack=SlackSettings(Secret(SECRET), SlackMode.SINGLE, bot_token=Secret(DEFAULT_BOT_TOKEN)),
            )
            parley = build_app(Services(settings=settings, db=db), listener_executor=InlineExecutor())
            makers = dict(scenarios(slack), submit=prep_submission(slack))
            floor_cpu = None
            for name in ["floor", *args.scenarios.split(",")]:
                make = makers[name]
                app = bare_app(slack) if name == "floor" else parley
                for n in range(50):  # warm-up: caches, connections, first contact
                    send(app, make(10_000 + n))
                if args.statements and name != "floor":
                    print_statements(db, lambda app=app, make=make: send(app, make(20_000)), name)
                profile = cProfile.Profile(time.thread_time)  # CPU of this thread, not waits
                mine = everything = wall = 0.0
                for n in range(args.requests):
                    request = make(n)  # just in time: a trigger id expires 3 s after it is issued
                    cpu, process_cpu, started = time.thread_time(), time.process_time(), time.perf_counter()
                    if not args.no_profile:
                        profile.enable()
                    send(app, request)
                    profile.disable()
                    mine += time.thread_time() - cpu
                    everything += time.process_time() - process_cpu
                    wall += time.perf_counter() - started
                per = 1000 / args.requests
                floor_cpu = floor_cpu or mine
                print(
                    f"== {name}: {args.requests} requests on {db.engine.dialect.name}: app CPU "
                    f"{mine * per:.2f} ms/request ({mine / floor_cpu:.2f} × the floor's), "
                    f"fake Slack CPU {(everything - mine) * per:.2f} ms/request, "
                    f"wall {wall * per:.2f} ms/request"
                    + ("" if args.no_profile else " (profiler on; the table is CPU)")
                )
                if args.no_profile or name == "floor":
                    continue
                stats = pstats.Stats(profile)
                print(phases(stats, mine, args.requests))
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
                print(out.getvalue())
        finally:
            db.dispose()
            drop()


PHASES = (
    ("negotiate.py", "handle", "/negotiate prep: the command listener"),
    ("prep_modal.py", "prep_view", "  the prep modal (cached render)"),
    ("replies.py", "open_modal", "  views.open"),
    ("prep.py", "submit_prep", "submission before the ack: validation, one transaction"),
    ("playbook.py", "playbook_in_force", "  the workspace's playbook (currency, version)"),
    ("counterparts.py", "resolve_counterpart", "  which counterpart (reads)"),
    ("prep.py", "enqueue_plan_delivery", "  the outbox row (1 INSERT)"),
    ("jobs.py", "run_now", "after the ack: the plan job, run in this process"),
    ("outbox.py", "claim_keys", "  claiming its row (1 UPDATE, commit)"),
    ("prep.py", "plan_now", "  building the plan from the stored prep"),
    ("prep.py", "build_prep_plan", "    of which the coaching"),
    ("counterparts.py", "recall", "    of which the counterpart memory"),
    ("render.py", "render_message", "  rendering the card and the full plan"),
    ("prep_notifier.py", "deliver_plan", "  posting them (2 chat.postMessage)"),
    ("home_notifier.py", "refresh_home", "  the Home tab (queries, render, views.publish)"),
    ("prep.py", "record_plan_in", "  recording where the plan is"),
    ("outbox.py", "mark_sent", "  marking the row sent"),
    ("members.py", "resolve_actor", "who is asking (1 SELECT)"),
)


def phases(stats: pstats.Stats, cpu: float, requests: int) -> str:
    """Cumulative profiled CPU time of the request's phases, per request and as a share of the whole."""
    table = stats.stats  # type: ignore[attr-defined]
    total = sum(v[3] for (file, _, name), v in table.items() if name == "dispatch" and "slack_bolt" in file)
    lines = [f"   phase (profiled CPU of this thread per request; all: {total / requests * 1000:.1f} ms)"]
    for file, name, label in PHASES:
        spent = sum(v[3] for (path, _, fn), v in table.items() if fn == name and path.endswith(file))
        if spent:
            lines.append(f"   {label:<62} {spent / requests * 1000:7.2f} ms  {spent / total:5.0%}")
    return "\n".join(lines)


def print_statements(db: Database, run: Callable[[], None], name: str) -> None:
    """The statements one request runs (first line of each), in order, with COMMITs."""
    seen: list[str] = []

    def statement(conn: Any, cursor: Any, text: str, *rest: Any) -> None:
        seen.append(" ".join(text.split())[:110])

    def commit(conn: Any) -> None:
        seen.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine, "commit", commit)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(db.engine, "commit", commit)
    print(f"== {name}: {sum(s != 'COMMIT' for s in seen)} statements, {seen.count('COMMIT')} commits")
    for line in seen:
        print(f"   {line}")


def bare_app(slack: FakeSlack) -> App:
    """``bench/bare_app.py``'s floor, in-process, its listener inline like Parley's here."""
    client = WebClient(token=DEFAULT_BOT_TOKEN, base_url=slack.api_url)
    app = App(signing_secret=SECRET, client=client, name="bare", listener_executor=InlineExecutor())

    @app.command("/negotiate")
    def negotiate(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=TRIVIAL_MODAL)

    return app


def send(app, request) -> None:  # type: ignore[no-untyped-def]
    response = app.dispatch(BoltRequest(body=request.body, headers=request.headers(SECRET)))
    assert response.status == 200, response.body


if __name__ == "__main__":
    main()
