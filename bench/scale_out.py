"""Scale-out: 2 web nodes (``parley serve``, 2 workers each) and 2 clocks on one PostgreSQL.

    .venv/bin/python -m bench.scale_out --database-url postgresql+psycopg://… [--members 24] [--preps 6]

One run does two things.

1. **Correctness under failure** (also what ``tests/scheduling/test_scale_out.py`` runs, smaller):
   members, each with a commitment due on Tuesday 2026-11-24 (London), are seeded; two clock
   processes start on Monday 2026-11-23 10:00 (``bench/scale_clock.py``: ``parley scheduler``'s
   code with its clock moved there), so their catch-up enqueues each commitment's "before-1" nudge
   and the week's digest and both race to deliver them. Meanwhile mixed traffic goes through both
   web nodes — ``/negotiate prep`` commands, prep submissions (a share sent twice, to each node, as
   Slack's retries would be), and *Edit prep* clicks on the plans — and two ``parley tick`` processes
   at once travel to Tuesday 10:00 (each commitment's "due" nudge) and to Monday 2026-11-30 09:30
   (next week's digests). One clock is killed with ``kill -9`` while it delivers and restarted; one web
   node is taken out of rotation, killed with ``kill -9`` and restarted while the other serves.
   Then it checks: every submission stored once with one plan DM, every command and click opened
   one modal, every nudge and digest due (named in advance) sent exactly once and nothing else
   pending, and no request answered slower than Slack's 3 s.

2. **Throughput by web-node count** (bench only): closed-loop clients (own process) send a mix of
   ``/negotiate prep`` commands and submissions to 1 web node, then spread over 2, and it prints
   requests per second, p50/p99 ack and the CPU the web nodes used per request (from ``/proc``).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, Call, FakeSlack
from storage.db import Database
from storage.models import Negotiation, OutboxMessage
from storage.queries import commitments as commitment_queries
from storage.queries.members import Profile, save_profile
from storage.queries.workspaces import ensure_workspace

ROOT = Path(__file__).resolve().parents[1]
SIGNING_SECRET = "scale-out-signing-secret"
SLACK_ACK_LIMIT = 3.0
CLOCK_START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday; London is on UTC in November
DUE = date(2026, 11, 24)
TICKS = (datetime(2026, 11, 24, 10, 0, tzinfo=UTC), datetime(2026, 11, 30, 9, 30, tzinfo=UTC))
EXPECTED_NUDGES = ("before-1", "due")  # the clocks' catch-up on Monday, the tick on Tuesday
EXPECTED_WEEKS = ("2026-W48", "2026-W49")  # the clocks' catch-up, the tick on Monday 30
LEASE_SECONDS = 2.0
DRAIN_GRACE = 3.0
"""A web node out of rotation is killed this long after its last ack: some work after an ack
(``views.open`` for a click) is not in the outbox, so a node killed in that moment loses it; the
prep plan DM is (an outbox job the clocks run if the node died first; see bench/README.md)."""
STARTUP_SECONDS = 60.0
PLAN_PREFIX = "Prep plan:"
TEAM_ID = slack_requests.DEFAULT_TEAM_ID


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------------------------ processes


@dataclass
class Node:
    """One process group: a web node (gunicorn master + workers) or a clock."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    port: int | None = None
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if self.port is not None:
            self.wait_serving()

    def wait_serving(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2).close()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{self.name} did not start:\n{self.log.read_text()[-3000:]}"
                    ) from error
                time.sleep(0.1)

    def kill9(self) -> None:
        """``kill -9`` of the whole group (a web node's master and workers go together, as on a crash)."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def restart(self) -> None:
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def cpu_seconds(self) -> float:
        """User + system CPU of every live process in the group, from ``/proc`` (0 once it has gone)."""
        if self.process is None:
            return 0.0
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # pgrp
                total += (int(fields[11]) + int(fields[12])) / tick
        return total


class Cluster:
    """``webs`` web nodes and ``clocks`` clock processes against one database and the fake Slack."""

    def __init__(self, slack: FakeSlack, database_url: str, workdir: Path, *, webs: int = 2, clocks: int = 2,
                 workers: int = 2, clock_at: datetime = CLOCK_START) -> None:  # fmt: skip
        self.slack = slack
        self.database_url = database_url
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
            "TMPDIR": str(workdir),
        }
        python = sys.executable
        self.webs = []
        for n in range(webs):
            port = free_port()
            command = [python, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                       "--workers", str(workers), "--slack-wait", "5"]  # fmt: skip
            self.webs.append(Node(f"web{n + 1}", command, self.env, workdir / f"web{n + 1}.log", port))
        clock_command = [python, "-m", "bench.scale_clock", "--at", clock_at.isoformat(),
                         "--lease-seconds", str(LEASE_SECONDS)]  # fmt: skip
        self.clocks = [Node(f"clock{n + 1}", clock_command, self.env, workdir / f"clock{n + 1}.log")
                       for n in range(clocks)]  # fmt: skip
        self.workdir = workdir

    def migrate(self) -> None:
        subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=self.env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip

    def start_webs(self) -> None:
        threads = [threading.Thread(target=node.start) for node in self.webs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for node in self.webs:
            node.wait_serving()  # a failed start raised in its thread: say so here

    def start_clocks(self) -> None:
        for node in self.clocks:
            node.start()

    def tick(self, at: datetime) -> subprocess.Popen[bytes]:
        """``parley tick --at``: a time-travelled run of every job, then delivery of what is due then."""
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "tick", "--at", at.isoformat()],
            env=self.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def stop(self) -> None:
        for node in [*self.webs, *self.clocks]:
            node.stop()


# ------------------------------------------------------------------------------------------ traffic


@dataclass
class Sent:
    """A request as the driver sent it: what, to which node first, latency and status of the answer."""

    kind: str
    latency: float = 0.0
    status: int = 0
    body: bytes = b""
    attempts: int = 0


class Router:
    """Round-robin over the web nodes in rotation, like a load balancer: a node taken out (``drain``)
    gets no new requests; a request whose connection fails is re-sent, unchanged, to the next node
    (as Slack retries a request it got no answer to)."""

    def __init__(self, ports: Sequence[int]) -> None:
        self.ports = list(ports)
        self.out: set[int] = set()
        self._next = itertools.count()
        self._lock = threading.Lock()
        self._local = threading.local()
        self.in_flight: Counter[int] = Counter()

    def pick(self) -> int:
        with self._lock:
            live = [p for p in self.ports if p not in self.out] or self.ports
            return live[next(self._next) % len(live)]

    def drain(self, port: int, patience: float = 10.0, grace: float = DRAIN_GRACE) -> None:
        """Out of rotation; back once its requests are answered and ``grace`` has let the work each
        does after its ack (``views.open``, the plan DM) finish, as a rolling deploy waits."""
        with self._lock:
            self.out.add(port)
        deadline = time.monotonic() + patience
        while self.in_flight[port] and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(grace)

    def restore(self, port: int) -> None:
        with self._lock:
            self.out.discard(port)

    def _connection(self, port: int) -> http.client.HTTPConnection:
        connections: dict[int, http.client.HTTPConnection] = self._local.__dict__.setdefault("c", {})
        if port not in connections:
            connections[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        return connections[port]

    def send(self, kind: str, request: slack_requests.SlackRequest, port: int | None = None) -> Sent:
        sent = Sent(kind)
        body, headers = request.body.encode(), request.headers(SIGNING_SECRET)
        for _ in range(6):
            target = port if port is not None and sent.attempts == 0 else self.pick()
            sent.attempts += 1
            connection = self._connection(target)
            with self._lock:
                self.in_flight[target] += 1
            started = time.perf_counter()
            try:
                connection.request("POST", "/slack/events", body=body, headers=headers)
                response = connection.getresponse()
                sent.body = response.read()
                sent.latency = time.perf_counter() - started
                sent.status = response.status
                return sent
            except (OSError, http.client.HTTPException):
                connection.close()
                self._local.c.pop(target, None)
                time.sleep(0.05)
            finally:
                with self._lock:
                    self.in_flight[target] -= 1
        return sent


def seed(db: Database, slack: FakeSlack, members: Sequence[str]) -> None:
    """Each member (London), with one commitment due on :data:`DUE`, as first contact would record them."""
    for user in members:
        slack.add_user(user, tz="Europe/London")
    with db.session() as session:
        workspace = ensure_workspace(session, TEAM_ID)
        for user in members:
            member, _ = save_profile(
                session, workspace.id, user, Profile(display_name=user, tz="Europe/London"), CLOCK_START
            )
            commitment_queries.create_commitment(
                session,
                workspace.id,
                commitment_queries.NewCommitment(
                    text=f"Send the signed order form to {user}", due=DUE, currency="USD", owner_id=member.id
                ),
            )


def prep_submission(view: dict[str, Any], user: str, title: str) -> slack_requests.SlackRequest:
    from templates.ids.prep import PrepBlock

    when = (datetime.now(UTC) + timedelta(days=21)).date().isoformat()
    values = {
        PrepBlock.TITLE: title,
        PrepBlock.COUNTERPART_KIND: "customer",
        PrepBlock.COUNTERPART_NAME: "Acme",
        PrepBlock.DATE: when,
        PrepBlock.OBJECTIVES: "Renew for 24 months\nKeep the discount under 5%",
        PrepBlock.LIMITS: "Discount above 10%",
        PrepBlock.WALK_AWAY: "Renewal below $100,000 a year",
        PrepBlock.TRADEABLES: "Business review – $500 (worth 2k to them)\nExtra workshop – $1,500",
        PrepBlock.WANTS: "24-month term (worth 20k)\nPayment up front (worth 3k)",
    }
    return slack_requests.view_submission(view, values, user_id=user)


def prep_command(slack: FakeSlack, user: str, text: str) -> slack_requests.SlackRequest:
    channel = slack.dm_channel(user)
    return slack_requests.slash_command(
        user_id=user, channel_id=channel, text=text, trigger_id=slack.issue_trigger_id(user),
        response_url=slack.issue_response_url(channel, user),
    )  # fmt: skip


def opened_views(slack: FakeSlack) -> list[Call]:
    return [call for call in slack.calls_to("views.open") if call.ok]


@dataclass
class Run:
    """What the correctness run sent and saw."""

    sent: list[Sent] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    commands: int = 0
    clicks: int = 0
    duplicates: int = 0
    ticks: list[str] = field(default_factory=list)
    killed: list[str] = field(default_factory=list)


def member_traffic(slack: FakeSlack, router: Router, run: Run, lock: threading.Lock, user: str,
                   preps: int, rng: random.Random) -> None:  # fmt: skip
    """One member: for each prep, the command (which opens the modal), the submission (sometimes
    twice, to two nodes), then a click on *Edit prep* of the plan it produced."""
    for n in range(preps):
        title = f"Renewal {user} #{n}"
        command = router.send("command", prep_command(slack, user, f"prep {title}"))
        view = _opened_for(slack, user, title, command)
        request = prep_submission(view, user, title)
        submission = router.send("submission", request)
        twice = rng.random() < 0.3
        again = router.send("submission", request) if twice else None
        click = _click_edit(slack, router, user, title)
        with lock:
            run.sent += [s for s in (command, submission, again, click) if s is not None]
            run.titles.append(title)
            run.commands += 1
            run.duplicates += twice
            run.clicks += click is not None


def _opened_for(
    slack: FakeSlack, user: str, title: str, command: Sent, patience: float = 10.0
) -> dict[str, Any]:
    """The prep modal the command opened, as Slack answered ``views.open`` (the view with its id and
    hash), once it is there (Parley opens it just after the ack)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        for call in reversed(slack.calls_to("views.open")):
            view = call.response.get("view") if call.ok else None
            if view and f'"initial_value": {json.dumps(title)}' in json.dumps(view.get("blocks", [])):
                return dict(view)
        time.sleep(0.02)
    tried = [
        (c.ok, c.response.get("error"))
        for c in slack.calls_to("views.open")
        if title in json.dumps(c.args.get("view", ""))
    ]
    raise AssertionError(f"the prep modal for {title!r} never opened: {command}, views.open: {tried}")


def _click_edit(
    slack: FakeSlack, router: Router, user: str, title: str, patience: float = 15.0
) -> Sent | None:
    """Click *Edit prep* on the plan DM of ``title`` (waiting for the plan, posted after the ack)."""
    from templates.ids.negotiation import NegotiationAction

    channel = slack.dm_channel(user)
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        for message in slack.messages(channel):
            if str(message.get("text", "")).startswith(PLAN_PREFIX) and title in message.get("text", ""):
                request = slack_requests.block_actions(
                    user_id=user, trigger_id=slack.issue_trigger_id(user),
                    action_id=NegotiationAction.EDIT_PREP,
                    message=message, channel_id=channel,
                    response_url=slack.issue_response_url(channel, user, message_ts=message.get("ts")),
                )  # fmt: skip
                return router.send("click", request)
        time.sleep(0.05)
    return None


def correctness_run(slack: FakeSlack, db: Database, cluster: Cluster, *, members: int, preps: int,
                    seed_value: int = 20261207, report: Callable[[str], None] = print) -> Run:  # fmt: skip
    """The scenario of part 1 of the module docstring; returns what was sent (see :func:`check`)."""
    rng = random.Random(seed_value)
    users = [f"U0SCALE{n:03d}" for n in range(members)]
    seed(db, slack, users)
    run = Run()
    lock = threading.Lock()
    router = Router([node.port for node in cluster.webs if node.port is not None])
    cluster.start_webs()

    clock_killed = threading.Event()
    delivered = itertools.count(1)
    kill_at = rng.randint(3, max(4, members // 2))

    def kill_clock_mid_delivery(call: Call) -> None:
        if (
            call.method == "chat.postMessage"
            and call.ok
            and not str(call.args.get("text", "")).startswith(PLAN_PREFIX)
            and next(delivered) == kill_at
            and not clock_killed.is_set()
        ):
            clock_killed.set()  # killed while this post is answered: if it was clock1's, it never hears
            cluster.clocks[0].kill9()
            run.killed.append(f"clock1 after outbox post #{kill_at}")

    unsubscribe = slack.subscribe(kill_clock_mid_delivery)
    try:
        cluster.start_clocks()
        threads = [
            threading.Thread(
                target=member_traffic,
                args=(slack, router, run, lock, user, preps, random.Random(rng.random())),
            )
            for user in users
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        ticks = [cluster.tick(TICKS[0]), cluster.tick(TICKS[0])]  # two nodes travel to Tuesday at once
        time.sleep(1.0)
        web = cluster.webs[0]
        assert web.port is not None
        router.drain(web.port)  # out of rotation, then a crash: the other node serves meanwhile
        web.kill9()
        run.killed.append("web1 (drained, kill -9)")
        web.restart()
        router.restore(web.port)
        if clock_killed.wait(timeout=60):
            cluster.clocks[0].restart()
        for process in ticks:
            out, _ = process.communicate(timeout=300)
            run.ticks.append(out.decode().strip().splitlines()[-1] if out else f"exit {process.returncode}")
            assert process.returncode == 0, out.decode()[-2000:]
        ticks = [cluster.tick(TICKS[1]), cluster.tick(TICKS[1])]  # and to Monday, next week's digests
        for thread in threads:
            thread.join(timeout=600)
        for process in ticks:
            out, _ = process.communicate(timeout=300)
            run.ticks.append(out.decode().strip().splitlines()[-1] if out else f"exit {process.returncode}")
            assert process.returncode == 0, out.decode()[-2000:]
        wait_for_outbox(db, slack)
    finally:
        unsubscribe()
    report(f"killed: {', '.join(run.killed)}; ticks: {' | '.join(run.ticks)}")
    return run


def wait_for_outbox(db: Database, slack: FakeSlack, patience: float = 120.0) -> None:
    """Until no row is pending or being sent and Slack has been quiet for a second."""
    deadline = time.monotonic() + patience
    calls = -1
    while time.monotonic() < deadline:
        with db.session() as session:
            busy = session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.status.in_(("pending", "sending"))).limit(1)
            ).first()
        now = len(slack.calls)
        if busy is None and now == calls:
            return
        calls = now
        time.sleep(1.0)
    raise AssertionError("the outbox never drained")


# ------------------------------------------------------------------------------------------ checks


def check(slack: FakeSlack, db: Database, run: Run, members: int) -> list[str]:
    """Every problem found (empty: every effect exactly once and every ack inside Slack's 3 s)."""
    problems: list[str] = []
    failed = [s for s in run.sent if s.status != 200 or b'"response_action": "errors"' in s.body]
    if failed:
        problems.append(
            f"{len(failed)} requests not answered 200 OK: "
            f"{[(s.kind, s.status, s.body[:80]) for s in failed[:3]]}"
        )
    slow = [s for s in run.sent if s.latency >= SLACK_ACK_LIMIT]
    if slow:
        problems.append(
            f"{len(slow)} acks over {SLACK_ACK_LIMIT} s (slowest {max(s.latency for s in slow):.2f} s)"
        )
    posts = [call for call in slack.calls_to("chat.postMessage") if call.ok]
    plans = Counter(
        title for call in posts if str(call.args.get("text", "")).startswith(PLAN_PREFIX)
        for title in run.titles if f"{title}" in str(call.args["text"])
    )  # fmt: skip
    wrong_plans = {t: plans[t] for t in run.titles if plans[t] != 1}
    if wrong_plans:
        problems.append(f"plan DMs not exactly one per submission: {dict(list(wrong_plans.items())[:5])}")
    with db.session() as session:
        stored = Counter(session.scalars(select(Negotiation.title)))
        rows = session.scalars(select(OutboxMessage)).all()
        outbox = [(r.kind, r.dedupe_key, r.status, r.target, r.slack_ts, r.last_error) for r in rows]
    wrong_rows = {t: stored[t] for t in run.titles if stored[t] != 1}
    if wrong_rows or len(stored) != len(run.titles):
        problems.append(
            f"negotiations stored not exactly once each: {dict(list(wrong_rows.items())[:5])}, "
            f"{len(stored)} rows"
        )
    views = len(opened_views(slack))
    if views != run.commands + run.clicks:
        problems.append(f"{views} modals opened for {run.commands} commands and {run.clicks} clicks")
    sent_keys = {key for _kind, key, status, *_ in outbox if status == "sent"}

    # Ticks to two different days run at once, so a "before" nudge may only be delivered once the
    # commitment's "due" nudge is already due: the worker then sends the later one instead, by design.
    def _later(key: str, error: str | None) -> str:
        return f"{key.rsplit(':', 1)[0]}:{(error or '').removeprefix('superseded by the ').split()[0]}"

    superseded = {
        key
        for kind, key, status, _target, _ts, error in outbox
        if kind == "nudge" and status == "skipped" and (error or "").startswith("superseded by the ")
        and _later(key, error) in sent_keys
    }  # fmt: skip
    not_sent = [row for row in outbox if row[2] != "sent" and row[1] not in superseded]
    if not_sent:
        problems.append(f"{len(not_sent)} outbox rows not sent: {not_sent[:3]}")
    nudges = Counter(key.rsplit(":", 1)[1] for kind, key, *_ in outbox if kind == "nudge")
    for name in EXPECTED_NUDGES:
        if nudges[name] != members:
            problems.append(f"{nudges[name]} '{name}' nudges for {members} commitments")
    weeks = Counter(key.rsplit(":", 1)[1] for kind, key, *_ in outbox if kind.startswith("digest"))
    for week in EXPECTED_WEEKS:
        if weeks[week] != members:
            problems.append(f"{weeks[week]} digests of {week} for {members} members")
    # Each row sent is one message in Slack: nothing from the outbox was posted twice (a duplicate
    # would be a second post of the same text in the same DM, which no row points at).
    by_ts = {call.response.get("ts"): call for call in posts}
    texts = Counter((call.args.get("channel"), call.args.get("text")) for call in posts)
    for kind, key, _status, _target, ts, _error in outbox:
        if key in superseded:
            continue
        call = by_ts.get(ts)
        if call is None:
            problems.append(f"outbox row {key} ({kind}) points at no message in Slack")
        elif texts[(call.args.get("channel"), call.args.get("text"))] != 1:
            problems.append(
                f"outbox row {key} ({kind}) was posted "
                f"{texts[(call.args.get('channel'), call.args.get('text'))]} times"
            )
    return problems


# ------------------------------------------------------------------------------------------ throughput


def _closed_loop(ports: list[int], clients: int, requests: Any, results: Any) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        port = ports[index % len(ports)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while (item := requests.get()) is not None:
            body, headers = item
            started = time.perf_counter()
            try:
                connection.request("POST", "/slack/events", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                with lock:
                    errors.append(type(error).__name__)
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != 200 or b'"response_action": "errors"' in payload:
                    errors.append(f"HTTP {response.status}")
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((latencies, errors, time.perf_counter() - started))


@dataclass
class Throughput:
    nodes: int
    requests: int
    errors: int
    wall: float
    p50: float
    p99: float
    cpu: float

    def line(self) -> str:
        return (
            f"{self.nodes} web node(s): {self.requests / self.wall:6.1f} req/s  "
            f"p50 {self.p50 * 1000:6.1f} ms  "
            f"p99 {self.p99 * 1000:6.1f} ms  web CPU {self.cpu / self.requests * 1000:5.1f} ms/request  "
            f"errors {self.errors}"
        )


def throughput(slack: FakeSlack, nodes: Sequence[Node], users: Sequence[str], total: int, clients: int,
               submit_share: float = 0.25) -> Throughput:  # fmt: skip
    """``total`` requests — commands and (a ``submit_share`` of) prep submissions — from ``clients``
    closed-loop keep-alive clients in their own process, spread evenly over ``nodes``."""
    import multiprocessing

    from bench.request_path import prep_submission as bench_submission

    context = multiprocessing.get_context("spawn")
    requests: Any = context.Queue(maxsize=clients * 2)
    results: Any = context.Queue()
    ports = [node.port for node in nodes if node.port is not None]
    process = context.Process(target=_closed_loop, args=(ports, clients, requests, results))
    make_submission = bench_submission(slack)
    cpu_before = sum(node.cpu_seconds() for node in nodes)
    process.start()
    for n in range(total):
        user = users[n % len(users)]
        if (n * submit_share) % 1 + submit_share >= 1:
            request = make_submission(n)
        else:
            request = prep_command(slack, user, f"prep Throughput {n}")
        requests.put((request.body.encode(), request.headers(SIGNING_SECRET)))
    for _ in range(clients):
        requests.put(None)
    latencies, errors, wall = results.get(timeout=900)
    process.join(timeout=60)
    time.sleep(1.0)  # work after the acks (plans, Home tabs) is part of each request's cost
    cpu = sum(node.cpu_seconds() for node in nodes) - cpu_before
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")

    return Throughput(len(nodes), len(latencies), len(errors), wall, pct(0.5), pct(0.99), cpu)


# ------------------------------------------------------------------------------------------ main


@contextlib.contextmanager
def cluster_on(slack: FakeSlack, database_url: str, workdir: Path, **kwargs: Any) -> Iterator[Cluster]:
    cluster = Cluster(slack, database_url, workdir, **kwargs)
    cluster.migrate()
    try:
        yield cluster
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="PostgreSQL (a schema of its own is used)")
    parser.add_argument("--members", type=int, default=24)
    parser.add_argument("--preps", type=int, default=4, help="preps per member in the correctness run")
    parser.add_argument("--requests", type=int, default=1200, help="requests per throughput phase")
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("scale-out runs on PostgreSQL: several processes share one database server")
    from bench.databases import fresh_database

    print(f"{os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.1f}")
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        database_url, drop = fresh_database(args.database_url, Path(tmp))
        db = Database.from_url(database_url)
        try:
            with cluster_on(slack, database_url, Path(tmp)) as cluster:
                started = time.monotonic()
                run = correctness_run(slack, db, cluster, members=args.members, preps=args.preps)
                problems = check(slack, db, run, args.members)
                acks = sorted(s.latency for s in run.sent)
                print(
                    f"correctness: {len(run.sent)} requests ({run.commands} commands, "
                    f"{run.commands + run.duplicates} "
                    f"submissions of which {run.duplicates} repeated, {run.clicks} clicks) in "
                    f"{time.monotonic() - started:.0f} s; "
                    f"p99 ack {acks[int(0.99 * len(acks))] * 1000:.0f} ms, "
                    f"slowest {acks[-1] * 1000:.0f} ms"
                )
                print(
                    "  "
                    + ("\n  ".join(problems) if problems else "every effect exactly once; no ack over 3 s")
                )
                users = [f"U0SCALE{n:03d}" for n in range(args.members)]
                for user in users:
                    slack.add_user(user, tz="Europe/London")
                from bench.request_path import USERS

                for user in USERS:
                    slack.add_user(user, tz="Europe/London")
                for node in cluster.clocks:
                    node.stop()  # the throughput phases measure the web nodes alone
                throughput(slack, cluster.webs, USERS, min(300, args.requests), args.clients)  # warm-up
                for nodes in (cluster.webs[:1], cluster.webs, cluster.webs[:1], cluster.webs):
                    print(throughput(slack, nodes, USERS, args.requests, args.clients).line())
        finally:
            db.dispose()
            drop()
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        if problems:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
