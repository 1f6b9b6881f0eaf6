"""`parley serve` with 2 gunicorn workers: requests land on both, and one scrape shows their sum.

The test reads each worker's own metrics file (prometheus-client's multiprocess mode keeps one per
process) to know that both workers served requests and how many each, then checks that `/metrics` —
answered by whichever worker — reports the total. ``TMPDIR`` puts the server's private metrics
directory under the test's temporary directory, so the test can look inside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from tests.app.conftest import SIGNING_SECRET
from tests.app.test_metrics import parse, value
from tests.app.test_serve import free_port, stop, wait_until_serving

ROUNDS = 10
PER_ROUND = 12


@pytest.fixture
def two_workers(tmp_path: Path, slack: FakeSlack) -> Iterator[tuple[str, Path]]:
    port = free_port()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TMPDIR": str(scratch),
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, check=True, capture_output=True
    )
    command = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, base)
        directories = list(scratch.glob("parley-metrics-*"))
        assert len(directories) == 1, "parley serve should make one private metrics directory"
        yield base, directories[0]
    finally:
        stop(process)
    assert not directories[0].exists(), "the private metrics directory is removed when the server stops"


def help_command(base: str, slack: FakeSlack) -> int:
    request = slack_requests.slash_command(
        user_id="U0ALICE", channel_id="C0GENERAL", text="help", trigger_id=slack.issue_trigger_id("U0ALICE")
    )
    post = urllib.request.Request(
        base + "/slack/events", data=request.body.encode(), headers=request.headers(SIGNING_SECRET)
    )
    with urllib.request.urlopen(post, timeout=10) as response:
        return int(response.status)


def acks_per_process(directory: Path) -> dict[int, float]:
    """Each process's own count of acked `/negotiate` commands, read from its metrics file."""
    counts: dict[int, float] = {}
    for path in directory.glob("histogram_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        for family in MultiProcessCollector.merge([str(path)], accumulate=True):
            for sample in family.samples:
                if sample.name == "parley_ack_seconds_count" and sample.labels.get("name") == "/negotiate":
                    counts[pid] = counts.get(pid, 0) + sample.value
    return counts


def test_the_scrape_is_the_sum_over_workers(two_workers: tuple[str, Path], slack: FakeSlack) -> None:
    base, directory = two_workers
    sent = 0
    with ThreadPoolExecutor(max_workers=PER_ROUND) as pool:
        for _ in range(ROUNDS):  # concurrent requests until the kernel has handed some to each worker
            statuses = list(pool.map(lambda _: help_command(base, slack), range(PER_ROUND)))
            assert statuses == [200] * PER_ROUND
            sent += PER_ROUND
            if len([n for n in acks_per_process(directory).values() if n]) >= 2:
                break
    per_process = acks_per_process(directory)
    busy = {pid: count for pid, count in per_process.items() if count}
    assert len(busy) == 2, f"requests should land on both workers: {per_process}"
    assert sum(busy.values()) == sent

    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        assert response.headers.get_content_type() == "text/plain"
        samples = parse(response.read().decode())
    assert value(samples, "parley_ack_seconds_count", kind="command", name="/negotiate") == sent
    assert value(samples, "parley_http_responses_total", route="/slack/events", status="2xx") == sent
    assert value(samples, "parley_http_responses_total", route="/healthz", status="2xx") >= 1
