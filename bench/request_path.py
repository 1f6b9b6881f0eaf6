"""Request-path cost: Parley against a bare Bolt app, side by side, on the Procfile's gunicorn stack.

    .venv/bin/python -m bench.request_path [--requests 400] [--rounds 3] [--clients 20]

Starts the fake Slack in this process, then two gunicorn servers (the bare app from
``bench/bare_app.py`` — the floor — and ``parley serve`` on a fresh SQLite database, or on PostgreSQL in
a schema of its own with ``--database-url``), and drives each scenario with N concurrent keep-alive
clients:

  (a) floor   the bare app: ack + views.open of a trivial modal
  (b) prep    Parley's ``/negotiate prep``: ack, member lookup, views.open of the prep modal
  (c) submit  Parley's prep-modal submission: validation, database write, DM with the plan, Home tab

(b) and (c) are measured in phases of their own, each in rounds alternating with (a). It prints p50/p99
latency (time to Slack's ack, what the 3-second limit applies to), throughput, errors, the ratios
(b)/(a) and (c)/(a), and how many plan DMs the submissions produced. Targets: (b)/(a) <= 1.5 at p50,
every ack well under 3 s, no errors. No timing is asserted anywhere in the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.databases import fresh_database
from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parents[1]
SIGNING_SECRET = "bench-signing-secret"
SLACK_ACK_LIMIT = 3.0
USERS = [f"U0BENCH{n:03d}" for n in range(40)]
WARM_UP = 200  # requests per scenario before measuring

RequestFactory = Callable[[int], slack_requests.SlackRequest]


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0

    rounds: list[Result] = field(default_factory=list)

    def add(self, round_result: Result) -> None:
        self.latencies += round_result.latencies
        self.errors += round_result.errors
        self.wall += round_result.wall
        self.rounds.append(round_result)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")

    @property
    def slowest(self) -> float:
        return max(self.latencies, default=0.0)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    log = open(Path(tempfile.gettempdir()) / f"bench-server-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError as error:
            if process.poll() is not None:
                raise SystemExit(f"server exited, see {log.name}") from error
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"server on port {port} did not start")


def drive(name: str, port: int, make: RequestFactory, total: int, clients: int) -> Result:
    """Send ``total`` requests from ``clients`` keep-alive connections in a separate process.

    The clients live in their own process so that their timing does not share a GIL with the fake
    Slack (this process), which validates every modal the servers open. This process only feeds
    them freshly signed requests (trigger ids expire after 3 s, so they are made just in time).
    """
    context = multiprocessing.get_context("spawn")
    requests: multiprocessing.Queue[tuple[bytes, dict[str, str]] | None] = context.Queue(maxsize=clients * 2)
    results: multiprocessing.Queue[tuple[list[float], list[str], float]] = context.Queue()
    process = context.Process(target=_clients, args=(port, clients, requests, results))
    process.start()
    for n in range(total):
        request = make(n)
        requests.put((request.body.encode(), request.headers(SIGNING_SECRET)))
    for _ in range(clients):
        requests.put(None)
    latencies, errors, wall = results.get(timeout=600)
    process.join(timeout=60)
    return Result(name, latencies, errors, wall)


def _clients(port: int, clients: int, requests: Any, results: Any) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while (item := requests.get()) is not None:
            body, headers = item
            started = time.perf_counter()
            try:
                connection.request("POST", "/slack/events", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                with lock:
                    errors.append(type(error).__name__)
                continue
            with lock:
                latencies.append(elapsed)
                if response.status != 200 or b'"response_action": "errors"' in payload:
                    errors.append(f"HTTP {response.status}: {payload[:120]!r}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((latencies, errors, time.perf_counter() - started))


def scenarios(slack: FakeSlack) -> dict[str, RequestFactory]:
    def command(text: str) -> RequestFactory:
        def make(n: int) -> slack_requests.SlackRequest:
            user = USERS[n % len(USERS)]
            return slack_requests.slash_command(
                user_id=user,
                channel_id=slack.dm_channel(user),
                text=text,
                trigger_id=slack.issue_trigger_id(user),
                response_url=slack.issue_response_url(slack.dm_channel(user), user),
            )

        return make

    return {"floor": command("prep"), "prep": command("prep Q3 renewal"), "submit": prep_submission(slack)}


def prep_submission(slack: FakeSlack) -> RequestFactory:
    """A valid prep-modal submission per request, each from its own view id (so none is a duplicate)."""
    import dataclasses

    from bot.flows.prep import prep_modal_context
    from bot.flows.prep_modal import PrepModalMeta
    from coaching.prep import PrepForm
    from templates import render_view
    from templates.ids.prep import PrepBlock

    date = (datetime.now(UTC) + timedelta(days=14)).date().isoformat()
    context = prep_modal_context(
        PrepForm(**{name: "" for name in PrepForm.__dataclass_fields__}),
        style=None,
        editing=False,
        metadata=dataclasses.asdict(PrepModalMeta()),
        currency="USD",
    )
    view = render_view("views/prep", **context)

    views = itertools.count()  # unique across warm-up and rounds: a repeated view id is a duplicate

    def make(n: int) -> slack_requests.SlackRequest:
        user = USERS[n % len(USERS)]
        unique = next(views)
        opened = dict(view, id=f"VBENCH{unique:06d}", hash=f"{unique}.bench")
        values = {
            PrepBlock.TITLE: f"Q3 renewal {unique}",
            PrepBlock.COUNTERPART_KIND: "customer",
            PrepBlock.COUNTERPART_NAME: "Acme",
            PrepBlock.DATE: date,
            PrepBlock.OBJECTIVES: "Renew for 24 months\nKeep the discount under 5%",
            PrepBlock.LIMITS: "Discount above 10%",
            PrepBlock.WALK_AWAY: "Renewal below $100,000 a year",
            PrepBlock.TRADEABLES: "Business review – $500 (worth 2k to them)\nExtra workshop – $1,500",
            PrepBlock.WANTS: "24-month term (worth 20k)\nPayment up front (worth 3k)",
        }
        return slack_requests.view_submission(opened, values, user_id=user)

    return make


def settle(slack: FakeSlack, quiet: float = 0.5, patience: float = 30.0) -> None:
    """Wait until the servers have stopped calling Slack (their post-ack work is done)."""
    deadline = time.monotonic() + patience
    calls = len(slack.calls)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = len(slack.calls)
        if now == calls:
            return
        calls = now


def plans_posted(slack: FakeSlack, expected: int, patience: float = 60.0) -> int:
    """Plan DMs posted so far, waiting (up to ``patience`` s) for work still running after the acks."""
    deadline = time.monotonic() + patience
    while True:
        posted = sum(
            1
            for call in slack.calls_to("chat.postMessage")
            if call.ok and str(call.args.get("text", "")).startswith("Prep plan:")
        )
        if posted >= expected or time.monotonic() > deadline:
            return posted
        time.sleep(0.2)


def report(results: dict[str, Result]) -> None:
    columns = ("requests", "errors", "p50 ms", "p99 ms", "max ms", "req/s")
    print(f"{'scenario':<14} " + " ".join(f"{c:>8}" for c in columns))
    for name, result in results.items():
        p50, p99 = result.percentile(0.5) * 1000, result.percentile(0.99) * 1000
        print(
            f"{name:<14} {len(result.latencies):>8} {len(result.errors):>6} {p50:>8.1f} {p99:>8.1f} "
            f"{result.slowest * 1000:>8.1f} {result.throughput:>8.1f}"
        )
    for name in ("prep", "submit"):
        if name in results:
            r, floor = results[name], results[f"floor@{name}"]
            by_round = "  ".join(
                f"{mine.percentile(0.5) / theirs.percentile(0.5):.2f}"
                for mine, theirs in zip(r.rounds, floor.rounds, strict=False)
            )
            print(
                f"ratio {name}/floor: p50 {r.percentile(0.5) / floor.percentile(0.5):.2f}  "
                f"p99 {r.percentile(0.99) / floor.percentile(0.99):.2f}  "
                f"throughput {r.throughput / floor.throughput:.2f}   (p50 by round: {by_round})"
            )
    for name, result in results.items():
        rounds = "  ".join(
            "/".join(
                f"{ms:.0f}" for ms in (r.percentile(0.5) * 1000, r.percentile(0.99) * 1000, r.slowest * 1000)
            )
            for r in result.rounds
        )
        print(f"{name:<14} p50/p99/max ms by round: {rounds}")
    slowest = max(r.slowest for r in results.values())
    print(f"slowest ack of all: {slowest * 1000:.0f} ms (Slack's limit: {SLACK_ACK_LIMIT * 1000:.0f} ms)")
    for name, result in results.items():
        for error in sorted(set(result.errors))[:3]:
            print(f"  {name} error: {error}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per phase, alternating with the floor")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server to run Parley on, in a schema of its own (default: a fresh SQLite file)",
    )
    parser.add_argument("--scenarios", default="prep,submit", help="Parley's scenarios to measure")
    args = parser.parse_args(argv)

    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        database_url, drop_schema = fresh_database(args.database_url, Path(tmp))
        for user in USERS:
            slack.add_user(user, tz="Europe/London")
        env = {
            **os.environ,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, cwd=ROOT, check=True)
        bare_port, parley_port = free_port(), free_port()
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "--worker-class",
            "gthread",
            "--threads",
            "8",
            "--workers",
            "2",
        ]
        bare = start_server(
            [*gunicorn, "--bind", f"127.0.0.1:{bare_port}", "bench.bare_app:wsgi()"], env, bare_port
        )
        parley = start_server(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(parley_port)],
            env,
            parley_port,
        )
        try:
            ports = {"floor": bare_port, "prep": parley_port, "submit": parley_port}
            makers = scenarios(slack)
            measured = [name for name in ("prep", "submit") if name in args.scenarios.split(",")]
            # Each Parley scenario is measured in its own phase, in rounds alternating with the floor,
            # so noise on this shared machine hits both sides alike and the database work a phase of
            # submissions sets off (autovacuum, checkpoints) does not land on the prep commands.
            results: dict[str, Result] = {}
            for name in measured:
                # Warm-up: every server thread has built its caches and opened its connections.
                for scenario in ("floor", name):
                    settle(slack)
                    drive(scenario, ports[scenario], makers[scenario], total=WARM_UP, clients=args.clients)
                floor = results[f"floor@{name}"] = Result(f"floor@{name}")
                mine = results[name] = Result(name)
                for _ in range(args.rounds):
                    for result, scenario in ((floor, "floor"), (mine, name)):
                        settle(slack)  # work still running after the last acks must not slow this one
                        result.add(
                            drive(
                                scenario,
                                ports[scenario],
                                makers[scenario],
                                total=args.requests,
                                clients=args.clients,
                            )
                        )
            urllib.request.urlopen(f"http://127.0.0.1:{parley_port}/healthz", timeout=5).close()
            if "submit" in measured:  # every submission was a new prep, so each must have had its plan DM
                submitted = WARM_UP + args.rounds * args.requests
                print(f"prep plans in DMs: {plans_posted(slack, submitted)} of {submitted} submissions")
            failed_calls = [call for call in slack.calls if not call.ok]
            print(
                f"gunicorn gthread, 2 workers x 8 threads each; {args.clients} clients; {os.cpu_count()} CPUs"
            )
            report(results)
            print(f"fake Slack calls: {len(slack.calls)}, failed: {len(failed_calls)}", end="")
            print(f" ({', '.join(sorted({str(c.error) for c in failed_calls}))})" if failed_calls else "")
        finally:
            for process in (bare, parley):
                process.terminate()
                process.wait(timeout=15)
            drop_schema()


if __name__ == "__main__":
    main()
