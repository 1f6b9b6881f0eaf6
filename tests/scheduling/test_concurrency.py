"""Two deliverers at once never send a message twice or skip one; a deliverer killed mid-run loses
nothing and, finding the message that was in flight in Slack's history, duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import Pacer
from bot.delivery.worker import Deliverer, DeliveryReport
from bot.services import Services
from bot.testkit.fake_slack import Call, FakeSlack
from storage.db import Database
from storage.models import OutboxMessage
from storage.queries import outbox
from storage.queries.workspaces import ensure_workspace
from tests.app.conftest import NOW, make_settings

ROOT = Path(__file__).resolve().parents[2]
UNPACED = 1e9  # these tests are about claims, not pacing (see test_delivery.py for that)


def fill(db: Database, slack: FakeSlack, count: int, users: int) -> list[str]:
    """``count`` due rows spread over ``users`` members; returns the row tokens."""
    ids = [f"U0C{n:04d}" for n in range(users)]
    for user in ids:
        slack.add_user(user)
    tokens = [f"row-{n:05d}" for n in range(count)]
    with db.session() as session:
        workspace_id = ensure_workspace(session, "T0EXAMPLE").id
        for n, token in enumerate(tokens):
            outbox.enqueue(
                session,
                workspace_id=workspace_id,
                kind="notice",
                target=ids[n % users],
                payload={"text": token},
                dedupe_key=token,
                due_at=NOW - timedelta(seconds=count - n),
            )
    return tokens


def delivered(slack: FakeSlack) -> Counter[str]:
    return Counter(call.args["text"] for call in slack.calls_to("chat.postMessage") if call.ok)


def statuses(db: Database) -> Counter[str]:
    with db.session() as session:
        return Counter(session.scalars(select(OutboxMessage.status)))


def test_two_delivery_loops_over_a_thousand_rows_send_each_exactly_once(
    db: Database, slack: FakeSlack
) -> None:
    tokens = fill(db, slack, 1_000, users=50)
    services = Services(settings=make_settings(db, slack), db=db, clock=lambda: NOW)
    start = threading.Barrier(2)
    reports: list[DeliveryReport] = []

    def loop() -> None:
        gateway = SlackGateway(
            services.settings,
            db.engine,
            pacer=Pacer(workspace_per_minute=UNPACED, channel_per_second=UNPACED),
        )
        deliverer = Deliverer(services, gateway, wall_clock=lambda: NOW, batch_size=20)
        start.wait(timeout=10)
        reports.append(deliverer.deliver_due())

    threads = [threading.Thread(target=loop) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(delivered(slack).items()) == [(token, 1) for token in tokens]
    assert statuses(db) == {"sent": 1_000}
    assert sum(report.sent for report in reports) == 1_000
    assert all(report.sent > 0 for report in reports), "both loops took a share"
    assert sum(report.lost_claims for report in reports) == 0


def test_a_deliverer_killed_mid_send_loses_nothing_and_finds_the_message_in_flight_instead_of_resending(
    db: Database, slack: FakeSlack, tmp_path: Path
) -> None:
    tokens = fill(db, slack, 120, users=12)
    settings = make_settings(db, slack)
    env = {
        **os.environ,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "SLACK_API_URL": settings.slack_api_url,
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "tests.scheduling.deliver_process", "--at", NOW.isoformat()]
    worker = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    in_flight: list[str] = []

    def kill_during_the_fortieth(call: Call) -> None:
        # Slack has accepted message 40 but the deliverer has not heard back yet: kill it now.
        if call.method == "chat.postMessage" and call.ok and len(delivered(slack)) == 40 and not in_flight:
            in_flight.append(call.args["text"])
            os.kill(worker.pid, signal.SIGKILL)

    unsubscribe = slack.subscribe(kill_during_the_fortieth)
    try:
        _, stderr = worker.communicate(timeout=60)
    finally:
        unsubscribe()
    assert worker.returncode == -signal.SIGKILL, stderr.decode()[-2000:]
    assert len(in_flight) == 1
    assert statuses(db)["sent"] == 39  # the 40th was sent, but never recorded as sent

    restart = subprocess.run(
        [*command, "--wall-offset-seconds", "3600"],  # the lease of the dead deliverer has run out
        cwd=ROOT, env=env, capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert restart.returncode == 0, restart.stderr.decode()[-2000:]
    counts = delivered(slack)
    assert sorted(counts) == sorted(tokens), "every message delivered, none lost"
    assert {token: n for token, n in counts.items() if n > 1} == {}, "nothing sent twice"
    assert counts[in_flight[0]] == 1
    assert "1 recovered" in restart.stdout.decode()  # found in the DM's history, recorded, not resent
    assert statuses(db) == {"sent": 120}
    with db.session() as session:
        found = session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == in_flight[0]))
        assert found is not None and found.slack_ts is not None  # the message Slack already had
    message = next(m for m in slack.messages(found.target) if m.get("text") == in_flight[0])
    assert message["ts"] == found.slack_ts
