"""The README's promise: restarting the clock loses and duplicates nothing — tested with 20 ``kill -9``s.

The clock process's delivery loop (:class:`bot.scheduler.clock.DeliveryLoop`, in a subprocess) delivers
1,000 messages to 50 members through the fake Slack over HTTP on PostgreSQL. It is killed with SIGKILL
20 times at seeded random moments — half of them the instant Slack has accepted a message and before the
deliverer has heard back (the case that used to send a duplicate), half a few milliseconds later,
wherever the process happens to be — and restarted each time. At the end every message is in Slack
exactly once and every row is ``sent``, pointing at the message Slack holds.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from bot.testkit.fake_slack import Call, FakeSlack
from storage.db import Database
from tests.app.conftest import NOW
from tests.scheduling.test_concurrency import ROOT, delivered, fill, statuses

SEED = 20261207
KILLS = 20
MESSAGES = 1_000
LEASE_SECONDS = 1.0  # a restart reclaims a dead process's rows after a second of real time


def test_twenty_kill_nines_of_the_clock_lose_nothing_and_duplicate_nothing(
    db: Database, slack: FakeSlack, tmp_path: Path
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the kill -9 test runs on PostgreSQL (SQLite's variant: test_concurrency.py)")
    rng = random.Random(SEED)
    tokens = fill(db, slack, MESSAGES, users=50)
    env = {
        **os.environ,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "SLACK_API_URL": slack.api_url,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable, "-m", "tests.scheduling.deliver_process", "--at", NOW.isoformat(),
        "--clock", "--lease-seconds", str(LEASE_SECONDS),
    ]  # fmt: skip
    thresholds = sorted(rng.sample(range(20, MESSAGES - 20), KILLS))
    mid_send = [rng.random() < 0.5 for _ in range(KILLS)]
    delays = [rng.uniform(0.001, 0.05) for _ in range(KILLS)]
    accepted = [0]
    kills: list[int] = []
    lock = threading.Lock()
    current: list[subprocess.Popen[bytes]] = []
    targeted: set[int] = set()  # one kill per process: the next kill waits for the restart

    def kill(process: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):  # it finished first
            os.kill(process.pid, signal.SIGKILL)

    def maybe_kill(call: Call) -> None:
        if call.method != "chat.postMessage" or not call.ok:
            return
        with lock:
            accepted[0] += 1
            n = len(kills)
            if n >= KILLS or accepted[0] < thresholds[n] or not current or current[-1].pid in targeted:
                return
            process = current[-1]
            targeted.add(process.pid)
            kills.append(accepted[0])
        if mid_send[n]:
            kill(process)  # Slack has the message; the deliverer never hears back
        else:
            threading.Timer(delays[n], kill, args=(process,)).start()

    unsubscribe = slack.subscribe(maybe_kill)
    runs: list[int] = []
    try:
        while True:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            with lock:
                current.append(process)
            _, stderr = process.communicate(timeout=120)
            runs.append(process.returncode)
            if process.returncode == 0:
                break
            assert process.returncode == -signal.SIGKILL, stderr.decode()[-2000:]
            assert len(runs) <= KILLS + 1, "more restarts than kills"
    finally:
        unsubscribe()
    assert len(kills) == KILLS and runs.count(-signal.SIGKILL) == KILLS
    counts: Counter[str] = delivered(slack)
    assert sorted(counts) == sorted(tokens), "every message delivered, none lost"
    assert {token: n for token, n in counts.items() if n > 1} == {}, "nothing sent twice"
    assert statuses(db) == {"sent": MESSAGES}
    assert slack.calls_to("conversations.history"), "reclaimed rows were looked for in Slack first"
