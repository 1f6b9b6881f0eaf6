"""`parley scheduler` serves its own `/metrics` on ``PARLEY_METRICS_PORT``: job runs, deliveries, Slack
calls and the outbox backlog, scraped from the real process (with a token and JSON log lines)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.scheduler.registry import all_jobs
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from storage import migrate
from storage.db import Database, make_engine
from storage.queries import outbox
from storage.queries.workspaces import ensure_workspace
from tests.app.conftest import NOW
from tests.app.test_metrics import Samples, parse, value
from tests.app.test_serve import free_port

DEADLINE_SECONDS = 30


def scrape(url: str, headers: dict[str, str] | None = None) -> Samples:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
        return parse(response.read().decode())


def eventually(url: str, ready: Callable[[Samples], bool], headers: dict[str, str] | None = None) -> Samples:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        try:
            samples = scrape(url, headers)
            if ready(samples):
                return samples
        except (urllib.error.URLError, ConnectionError):
            pass
        assert time.monotonic() < deadline, f"{url} never showed what was expected"
        time.sleep(0.1)


def test_the_clock_serves_its_own_metrics(tmp_path: Path, slack: FakeSlack) -> None:
    url = f"sqlite:///{tmp_path / 'clock.db'}"
    db = Database(make_engine(url))
    migrate.upgrade(db.engine)
    with db.session() as session:
        workspace_id = ensure_workspace(session, "T0EXAMPLE").id
        outbox.enqueue(
            session, workspace_id=workspace_id, kind="notice", target="U0ALICE",
            payload={"text": "from the clock"}, dedupe_key="clock-1", due_at=NOW - timedelta(days=400),
        )  # fmt: skip
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
        "PARLEY_METRICS_PORT": str(port),
        "PARLEY_METRICS_TOKEN": "scrape-s3cret",
        "LOG_FORMAT": "json",
    }
    clock = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "scheduler"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    metrics_url = f"http://127.0.0.1:{port}/metrics"
    auth = {"Authorization": "Bearer scrape-s3cret"}
    jobs = {job.id for job in all_jobs()}
    try:
        samples = eventually(
            metrics_url,
            lambda s: (
                value(s, "parley_outbox_deliveries_total", outcome="sent") == 1
                and all(value(s, "parley_job_runs_total", job=job, result="ok") >= 1 for job in jobs)
            ),
            auth,
        )
        try:
            urllib.request.urlopen(metrics_url, timeout=5)
            raise AssertionError("the token must be required")
        except urllib.error.HTTPError as refused:
            assert refused.code == 401
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/other", timeout=5)
            raise AssertionError("only /metrics is served")
        except urllib.error.HTTPError as missing:
            assert missing.code == 404
        clock.send_signal(signal.SIGTERM)
        _, stderr = clock.communicate(timeout=30)
    finally:
        if clock.poll() is None:
            clock.kill()
            clock.wait()
        db.dispose()
    assert clock.returncode == 0, stderr.decode()[-2000:]
    assert value(samples, "parley_slack_api_calls_total", method="chat.postMessage", result="ok") == 1
    for job in jobs:
        assert value(samples, "parley_job_duration_seconds_count", job=job) >= 1
        assert value(samples, "parley_job_last_success_timestamp_seconds", job=job) > 0
    assert value(samples, "parley_outbox_due_rows") == 0
    assert value(samples, "parley_outbox_oldest_due_age_seconds") == 0
    assert value(samples, "parley_database_up") == 1
    assert value(samples, "parley_db_pool_capacity") > 0
    # LOG_FORMAT=json: every line the clock wrote is one JSON object.
    lines = [line for line in stderr.decode().splitlines() if line.strip()]
    assert lines and all(json.loads(line)["level"] for line in lines)
    assert any("clock started" in json.loads(line)["message"] for line in lines)
