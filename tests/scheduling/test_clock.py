"""The clock process's configuration, `parley tick` on the command line, the debrief reminder, and
the pacer's arithmetic."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.blocking import BlockingScheduler
from click.testing import CliRunner

from bot.cli import cli
from bot.delivery.pacing import CHANNEL_BURST, POST_PER_MINUTE_PER_WORKSPACE, WORKSPACE_BURST, Pacer
from bot.scheduler.clock import build_scheduler
from bot.scheduler.registry import all_jobs
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from bot.testkit.fake_slack.ratelimit import CHANNEL_BURST as SLACK_CHANNEL_BURST
from bot.testkit.fake_slack.ratelimit import CHANNEL_PER_SECOND, WORKSPACE_POST_PER_MINUTE
from storage import migrate
from storage.db import make_engine
from tests.scheduling.conftest import FakeTime, World, hours, utc


def test_every_job_is_coalesced_single_instance_with_an_explicit_id(world: World) -> None:
    scheduler = build_scheduler(world.services, world.gateway, BlockingScheduler())
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert {"commitment_nudges", "commitment_lapses", "debrief_reminders"} <= set(jobs)
    assert set(jobs) == {job.id for job in all_jobs()}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        interval = job.trigger.interval.total_seconds()
        assert job.misfire_grace_time == int(interval)  # a late run still happens, once
    assert jobs["commitment_nudges"].trigger.interval == timedelta(minutes=1)


def test_the_pacer_plans_within_the_fakes_limits() -> None:
    assert POST_PER_MINUTE_PER_WORKSPACE <= WORKSPACE_POST_PER_MINUTE
    assert CHANNEL_BURST <= SLACK_CHANNEL_BURST and WORKSPACE_BURST <= WORKSPACE_POST_PER_MINUTE
    fake = FakeTime()
    pacer = Pacer(fake.monotonic)
    assert pacer.reserve("T1", "chat.postMessage", "D1") == 0
    assert pacer.delay("T1", "chat.postMessage", "D1") == pytest.approx(1 / CHANNEL_PER_SECOND)
    for n in range(WORKSPACE_BURST - 1):  # other channels: the workspace's small burst
        assert pacer.reserve("T1", "chat.postMessage", f"C{n}") == 0
    assert pacer.delay("T1", "chat.postMessage", "C_NEW") == pytest.approx(0.2)  # then 300 a minute
    assert pacer.delay("T2", "chat.postMessage", "C_NEW") == 0  # per workspace
    pacer.hold("T2", "chat.postMessage", "C9", 7)
    assert pacer.delay("T2", "chat.postMessage", "C_OTHER") == 7  # a 429 holds the workspace
    assert pacer.reserve("T1", "users.info") == 0 and pacer.delay("T1", "users.info") == pytest.approx(0.6)


def test_parley_tick_on_the_command_line(tmp_path: Path, slack: FakeSlack) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    env = {
        "DATABASE_URL": url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
    }
    runner = CliRunner()
    result = runner.invoke(cli, ["tick", "--at", "2026-11-23T09:30:00Z"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "tick 2026-11-23T09:30:00+00:00: enqueued 0; delivered: 0 sent"
    bad = runner.invoke(cli, ["tick", "--at", "next tuesday"], env=env)
    assert bad.exit_code == 2
    assert bad.output.strip().splitlines() == [
        "parley: error: --at must be an ISO-8601 instant such as 2026-11-23T09:30:00Z (got 'next tuesday')"
    ]


def test_the_debrief_reminder_comes_the_next_working_morning_once(world: World) -> None:
    alice = world.member("U0ALICE")
    friday = date(2026, 11, 27)
    negotiation = world.negotiation(alice, friday)
    world.negotiation(alice, None, title="Undated")  # never reminded
    for at in hours(utc(2026, 11, 27, 1), utc(2026, 12, 2, 1), timedelta(hours=2)):  # odd hours
        world.tick(at)
    assert world.sent("debrief_reminder") == [("U0ALICE", utc(2026, 11, 30, 9))]  # Monday 09:00 in London
    [message] = [m for m in world.parley.dms("U0ALICE") if "debrief" in m["text"]]
    button = message["blocks"][1]["elements"][0]
    assert (button["action_id"], button["value"]) == ("log_debrief", f'{{"negotiation_id":{negotiation}}}')


def test_no_debrief_reminder_once_the_debrief_is_logged(world: World) -> None:
    alice = world.member("U0ALICE")
    negotiation = world.negotiation(alice, date(2026, 11, 27))
    from storage.queries.debriefs import create_debrief

    with world.db.session() as session:
        create_debrief(
            session, world.workspace_id(), negotiation, alice, outcome="agreed", reflection="",
            analysis={}, submitted_at=utc(2026, 11, 27, 17),
        )  # fmt: skip
    world.tick(utc(2026, 11, 30, 9))
    assert world.sent("debrief_reminder") == []


def test_the_clock_process_delivers_what_is_due_and_stops_on_sigterm(
    tmp_path: Path, slack: FakeSlack
) -> None:
    import os
    import signal
    import subprocess
    import sys

    from storage.queries import outbox
    from storage.queries.workspaces import ensure_workspace
    from tests.app.conftest import NOW

    url = f"sqlite:///{tmp_path / 'clock.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    from storage.db import Database

    db = Database(engine)
    with db.session() as session:
        workspace_id = ensure_workspace(session, "T0EXAMPLE").id
        outbox.enqueue(
            session, workspace_id=workspace_id, kind="notice", target="U0ALICE",
            payload={"text": "from the clock"}, dedupe_key="clock-1", due_at=NOW - timedelta(days=400),
        )  # fmt: skip
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
    }
    clock = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "scheduler"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert slack.wait_for(lambda: slack.messages("U0ALICE"), timeout=30), "nothing delivered"
        clock.send_signal(signal.SIGTERM)
        _, stderr = clock.communicate(timeout=30)
    finally:
        if clock.poll() is None:
            clock.kill()
    assert clock.returncode == 0, stderr.decode()[-2000:]
    assert [m["text"] for m in slack.messages("U0ALICE")] == ["from the clock"]
    assert b"clock started: " in stderr and b"commitment_nudges" in stderr
    db.dispose()


def test_repeated_429s_double_the_hold_up_to_a_minute_and_a_success_resets_it() -> None:
    fake = FakeTime()
    pacer = Pacer(fake.monotonic)
    holds = []
    for _ in range(8):
        pacer.hold("T1", "chat.postMessage", "D1", 1)
        holds.append(pacer.delay("T1", "chat.postMessage", "D2"))
        fake.now += holds[-1]
    assert holds == [1, 2, 4, 8, 16, 32, 60, 60]
    pacer.succeeded("T1", "chat.postMessage", "D1")
    pacer.hold("T1", "chat.postMessage", "D1", 1)
    assert pacer.delay("T1", "chat.postMessage", "D2") == 1
