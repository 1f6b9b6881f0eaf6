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
from pathlib import Path

from slack_bolt.request import BoltRequest

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
            app = build_app(Services(settings=settings, db=db), listener_executor=InlineExecutor())
            makers = dict(scenarios(slack), submit=prep_submission(slack))
            for name in args.scenarios.split(","):
                make = makers[name]
                for n in range(50):  # warm-up: caches, connections, first contact
                    send(app, make(10_000 + n))
                requests = [make(n) for n in range(args.requests)]
                profile = cProfile.Profile()
                cpu, process_cpu, wall = time.thread_time(), time.process_time(), time.perf_counter()
                profile.enable()
                for request in requests:
                    send(app, request)
                profile.disable()
                mine = time.thread_time() - cpu
                everything = time.process_time() - process_cpu
                wall = time.perf_counter() - wall
                per = 1000 / args.requests
                print(
                    f"== {name}: {args.requests} requests on {db.engine.dialect.name}: Parley CPU "
                    f"{mine * per:.2f} ms/request, "
                    f"fake Slack CPU {(everything - mine) * per:.2f} ms/request, "
                    f"wall {wall * per:.2f} ms/request (profiler on)"
                )
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
                print(out.getvalue())
        finally:
            db.dispose()
            drop()


def send(app, request) -> None:  # type: ignore[no-untyped-def]
    response = app.dispatch(BoltRequest(body=request.body, headers=request.headers(SECRET)))
    assert response.status == 200, response.body


if __name__ == "__main__":
    main()
