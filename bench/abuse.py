"""Hostile traffic against a real `parley serve` on loopback: status codes, log growth, normal latency.

    .venv/bin/python -m bench.abuse [--requests 200] [--flooders 6] [--big-mib 5]

Starts the fake Slack in this process and `parley serve` (the Procfile's gunicorn stack, LOG_LEVEL=INFO
as in production) on a fresh SQLite database, with its log going to a file. Then, for each hostile
kind in turn, ``--flooders`` keep-alive clients send ``--requests`` such requests while one client
keeps sending normal signed ``/negotiate help`` commands. For each kind it prints the requests sent,
the status codes seen, the bytes the server's log grew by per hostile request, and the p50 latency
of the normal commands during that flood (and, first, with no flood at all). A benchmark, not a test:
nothing here is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.databases import fresh_database
from bench.request_path import ROOT, free_port
from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack

SIGNING_SECRET = "bench-signing-secret"
USER = "U0ABUSE01"
Request = tuple[bytes, dict[str, str]]  # body, headers


def signed(body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    return slack_requests.sign(secret, body, int(time.time()) if timestamp is None else timestamp)


def _payload(value: object) -> bytes:
    return urlencode({"payload": value if isinstance(value, str) else json.dumps(value)}).encode()


FORM = {"Content-Type": slack_requests.FORM}
JSON = {"Content-Type": slack_requests.JSON}
MALFORMED: list[Request] = [
    (b'{"type": "event_callback", ', JSON),
    (b"[1, 2, 3]", JSON),
    (b"null", JSON),
    (('{"type":"event_callback","event":' + "[" * 50_000 + "]" * 50_000 + "}").encode(), JSON),
    (b'{"type": "\xff\xfe"}', JSON),
    (b'{"type": "event_callback", "event": "app_home_opened"}', JSON),
    (b"payload=%7Bnot-json", FORM),
    (_payload({"type": "block_actions", "user": {"id": USER}, "actions": []}), FORM),
    (_payload({"type": "view_submission", "user": {"id": USER}, "view": {}}), FORM),
]


def help_command() -> bytes:
    request = slack_requests.slash_command(
        user_id=USER, channel_id="D0ABUSE01", text="help", trigger_id="1.2.abc", response_url=None
    )
    return request.body.encode()


def hostile_kinds(big: int) -> dict[str, Callable[[int], tuple[bytes | Iterator[bytes], dict[str, str]]]]:
    normal = help_command()

    def chunks(size: int) -> Iterator[bytes]:
        block = b"x" * 65536
        for _ in range(size // len(block)):
            yield block

    return {
        "unsigned": lambda n: (normal, dict(FORM)),
        "bad signature": lambda n: (
            normal + b"&x=" + str(n).encode(),
            {**FORM, **signed(normal, secret="nope")},
        ),
        "stale timestamp": lambda n: (normal, {**FORM, **signed(normal, timestamp=int(time.time()) - 600)}),
        "word timestamp": lambda n: (
            normal,
            {**FORM, "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=" + "0" * 64},
        ),
        f"oversized {big // 2**20} MiB": lambda n: (b"x" * big, dict(FORM)),
        f"oversized chunked {big // 2**20} MiB": lambda n: (chunks(big), dict(FORM)),
        "malformed, unsigned": lambda n: MALFORMED[n % len(MALFORMED)],
        "malformed, signed": lambda n: (
            MALFORMED[n % len(MALFORMED)][0],
            {**MALFORMED[n % len(MALFORMED)][1], **signed(MALFORMED[n % len(MALFORMED)][0])},
        ),
    }


@dataclass
class Outcome:
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


def send(
    connection: http.client.HTTPConnection, body: bytes | Iterator[bytes], headers: dict[str, str]
) -> int:
    chunked = not isinstance(body, bytes)
    connection.request("POST", "/slack/events", body=body, headers=headers, encode_chunked=chunked)
    response = connection.getresponse()
    response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status


def send_raw(port: int, body: bytes | Iterator[bytes], headers: dict[str, str]) -> str:
    """An upload on a socket of its own: the status the server answered, even if it stopped reading."""
    chunked = not isinstance(body, bytes)
    lines = ["POST /slack/events HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}")  # type: ignore[arg-type]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        pieces = body if chunked else (bytes(body[i : i + 65536]) for i in range(0, len(body), 65536))  # type: ignore[arg-type]
        note = ""
        try:
            for piece in pieces:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            note = " (closed mid-upload)"
        try:
            answer = sock.recv(200).split(b"\r\n", 1)[0].decode(errors="replace")
        except OSError:
            answer = ""
    parts = answer.split()
    return (parts[1] if len(parts) > 1 else "no answer") + note


def flood(
    port: int,
    make: Callable[[int], tuple[bytes | Iterator[bytes], dict[str, str]]],
    start: int,
    count: int,
    out: Outcome,
    raw: bool = False,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for n in range(start, start + count):
        body, headers = make(n)
        if raw:
            out.statuses[send_raw(port, body, headers)] += 1
            continue
        try:
            status = str(send(connection, body, headers))
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__  # e.g. the server closed an oversized upload's connection
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out.statuses[status] += 1
    connection.close()


def normal_traffic(port: int, stop: threading.Event, out: Outcome) -> None:
    body = help_command()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status = send(connection, body, {**FORM, **signed(body)})
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        out.latencies.append(time.perf_counter() - started)
        out.statuses[str(status)] += 1
    connection.close()


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    command = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"parley serve exited, see {log}") from None
            time.sleep(0.2)
    process.kill()
    raise SystemExit("parley serve did not start")


def p50(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms" if values else "n/a"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="hostile requests per kind")
    parser.add_argument("--flooders", type=int, default=6, help="concurrent hostile clients")
    parser.add_argument("--big-mib", type=int, default=40, help="size of the oversized bodies")
    parser.add_argument("--big-requests", type=int, default=12, help="oversized requests per oversized kind")
    args = parser.parse_args(argv)

    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        slack.add_user(USER, tz="Europe/London")
        database_url, _ = fresh_database(None, Path(tmp))
        env = {
            **os.environ,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, cwd=ROOT, check=True)
        port, log = free_port(), Path(tmp) / "serve.log"
        server = start_server(env, port, log)
        try:
            quiet = Outcome()
            stop = threading.Event()
            worker = threading.Thread(target=normal_traffic, args=(port, stop, quiet))
            worker.start()
            time.sleep(5)
            stop.set()
            worker.join()
            alone = f"{len(quiet.latencies)} requests, p50 {p50(quiet.latencies)}, {dict(quiet.statuses)}"
            print(f"normal traffic alone: {alone}")
            print()
            print(f"{'kind':28} {'sent':>5}  {'statuses':34} {'log B/req':>9}  normal p50 (n)")
            for name, make in hostile_kinds(args.big_mib * 2**20).items():
                total = args.big_requests if name.startswith("oversized") else args.requests
                hostile, normal = Outcome(), Outcome()
                time.sleep(1.0)
                before = log.stat().st_size
                stop = threading.Event()
                watcher = threading.Thread(target=normal_traffic, args=(port, stop, normal))
                watcher.start()
                shares = [total // args.flooders + (i < total % args.flooders) for i in range(args.flooders)]
                raw = name.startswith("oversized")
                flooders = [
                    threading.Thread(
                        target=flood, args=(port, make, sum(shares[:i]), shares[i], hostile, raw)
                    )
                    for i in range(args.flooders)
                ]
                for thread in flooders:
                    thread.start()
                for thread in flooders:
                    thread.join()
                stop.set()
                watcher.join()
                time.sleep(1.5)  # let the server flush its log
                sent = sum(hostile.statuses.values())
                grown = log.stat().st_size - before
                statuses = ", ".join(f"{k}×{v}" for k, v in sorted(hostile.statuses.items()))
                during = f"{p50(normal.latencies)} ({len(normal.latencies)})"
                print(f"{name:28} {sent:>5}  {statuses:34} {grown / max(1, sent):>9.1f}  {during}")
        finally:
            server.terminate()
            server.wait(timeout=30)
        print()
        lines = log.read_text(errors="replace").splitlines()
        door = [line for line in lines if "front door" in line]
        longest = max((len(line) for line in lines), default=0)
        print(f"server log: {log.stat().st_size} bytes, {len(lines)} lines (longest {longest} characters)")
        print(f"front-door lines: {len(door)}; the last ones:")
        for line in door[-3:]:
            print("  " + line[:200])


if __name__ == "__main__":
    main()
