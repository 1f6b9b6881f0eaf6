"""`parley serve` for real: gunicorn in a subprocess, the fake Slack behind it, signed HTTP requests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from tests.app.conftest import SIGNING_SECRET

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(process: subprocess.Popen[bytes], base: str) -> None:
    """Poll ``/healthz`` until the server answers; fail with its output if it dies or never does."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()
            return
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"parley serve did not start:\n{output}")
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, as a process manager stops gunicorn; SIGKILL if it has not gone in 15 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def server(tmp_path: Path, slack: FakeSlack) -> Iterator[str]:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, check=True, capture_output=True
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, base)
        yield base
    finally:
        stop(process)


def test_serve_answers_health_and_signed_slash_commands(server: str, slack: FakeSlack) -> None:
    with urllib.request.urlopen(server + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.load(response) == {"status": "ok", "database": "ok"}

    request = slack_requests.slash_command(
        user_id="U0ALICE", channel_id="C0GENERAL", text="help", trigger_id=slack.issue_trigger_id("U0ALICE")
    )
    post = urllib.request.Request(
        server + "/slack/events", data=request.body.encode(), headers=request.headers(SIGNING_SECRET)
    )
    with urllib.request.urlopen(post, timeout=5) as response:
        body = json.load(response)
    assert body["response_type"] == "ephemeral"
    assert "/negotiate help" in json.dumps(body)

    forged = urllib.request.Request(
        server + "/slack/events", data=request.body.encode(), headers=request.headers("wrong-secret")
    )
    with pytest.raises(urllib.error.HTTPError) as rejected:
        urllib.request.urlopen(forged, timeout=5)
    assert rejected.value.code == 401

    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(server + "/nope", timeout=5)
    assert missing.value.code == 404
