"""Outbox delivery: exactly once, 429s honoured, permanent errors recorded, transient ones retried
with backoff, leases, and pacing to Slack's limits (no sleeps: time is a fake the gateway advances)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import WORKSPACE_BURST, Pacer
from bot.delivery.worker import BACKOFF_BASE_SECONDS, MAX_TRANSIENT_ATTEMPTS, Deliverer, backoff
from bot.services import Services
from bot.testkit.fake_slack import FakeSlack
from bot.testkit.fake_slack.ratelimit import WORKSPACE_POST_PER_MINUTE
from storage.queries import outbox
from storage.queries.workspaces import ensure_workspace
from tests.app.conftest import NOW, make_settings
from tests.scheduling.conftest import FakeTime, World


def enqueue(world: World, target: str, key: str, text: str | None = None, **extra: Any) -> bool:
    with world.db.session() as session:
        return outbox.enqueue(
            session,
            workspace_id=world.workspace_id(),
            kind=extra.pop("kind", "notice"),
            target=target,
            payload={"text": text or key, **extra},
            dedupe_key=key,
            due_at=extra.pop("due_at", NOW),
        )


def row(world: World, key: str) -> Any:
    return next(r for r in world.outbox() if r.dedupe_key == key)


def test_the_same_logical_message_is_enqueued_once(world: World) -> None:
    assert enqueue(world, "U0ALICE", "report:1:done:7")
    assert not enqueue(world, "U0ALICE", "report:1:done:7", text="again")
    assert len(world.outbox()) == 1
    world.tick(NOW)
    world.tick(NOW + timedelta(hours=1))
    assert [call.args["text"] for call in world.posts()] == ["report:1:done:7"]
    sent = row(world, "report:1:done:7")
    assert (sent.status, sent.sent_at, sent.attempts) == ("sent", NOW, 1)
    assert sent.slack_channel == world.slack.dm_channel("U0ALICE") and sent.slack_ts


def test_a_429_is_honoured_retry_after_and_no_call_is_made_before_it(world: World) -> None:
    for user in ("U0ALICE", "U0BOB"):
        enqueue(world, user, f"m-{user}")
    calls: list[tuple[int, float]] = []
    world.slack.subscribe(lambda call: calls.append((call.status, world.time.now)))
    world.slack.rate_limit("chat.postMessage", times=1, retry_after=7)
    report = world.deliver(NOW)
    assert (report.sent, report.rate_limited) == (1, 1)
    (status_429, at_429), (status_ok, at_ok) = calls
    assert (status_429, status_ok) == (429, 200)
    assert at_ok - at_429 >= 7  # the workspace was left alone for Retry-After before the next call
    retried = row(world, "m-U0ALICE")
    assert (retried.status, retried.due_at, retried.last_error) == (
        "pending",
        NOW + timedelta(seconds=7),
        "ratelimited",
    )
    assert world.deliver(NOW + timedelta(seconds=6)).sent == 0  # not due yet
    assert world.deliver(NOW + timedelta(seconds=7)).sent == 1
    assert sorted(call.args["text"] for call in world.posts()) == ["m-U0ALICE", "m-U0BOB"]


@pytest.mark.parametrize(
    "error", ["channel_not_found", "user_not_found", "account_inactive", "not_in_channel", "token_revoked"]
)
def test_permanent_errors_are_recorded_and_never_retried(world: World, error: str) -> None:
    enqueue(world, "U0ALICE", "doomed")
    world.slack.fail_next("chat.postMessage", error=error)
    report = world.deliver(NOW)
    assert (report.failed, report.failures) == (1, [f"notice to U0ALICE: {error}"])
    for later in (timedelta(minutes=5), timedelta(hours=1), timedelta(days=2)):
        world.tick(NOW + later)
    failed = row(world, "doomed")
    assert (failed.status, failed.last_error, failed.attempts) == ("failed", error, 1)
    assert len(world.slack.calls_to("chat.postMessage")) == 1


def test_a_revoked_token_fails_the_message_permanently(world: World) -> None:
    enqueue(world, "U0ALICE", "after-uninstall")
    world.slack.revoke_token("xoxb-test-token")
    world.deliver(NOW)
    assert (row(world, "after-uninstall").status, row(world, "after-uninstall").last_error) == (
        "failed",
        "token_revoked",
    )


def test_transient_errors_back_off_and_eventually_give_up(world: World) -> None:
    enqueue(world, "U0ALICE", "flaky")
    world.slack.fail_next("chat.postMessage", status=500)
    world.slack.fail_next("chat.postMessage", status=503, error="service_unavailable")
    assert world.deliver(NOW).retrying == 1
    assert row(world, "flaky").due_at == NOW + timedelta(seconds=BACKOFF_BASE_SECONDS)
    assert world.deliver(NOW + timedelta(seconds=4)).retrying == 0  # not yet
    assert world.deliver(NOW + backoff(1)).retrying == 1
    assert row(world, "flaky").due_at == NOW + backoff(1) + backoff(2)
    assert world.deliver(NOW + backoff(1) + backoff(2)).sent == 1
    enqueue(world, "U0BOB", "hopeless")
    world.slack.fail_next("chat.postMessage", status=500, times=MAX_TRANSIENT_ATTEMPTS)
    at = NOW + timedelta(minutes=5)
    for _ in range(MAX_TRANSIENT_ATTEMPTS):
        world.deliver(at)
        at = row(world, "hopeless").due_at
    hopeless = row(world, "hopeless")
    assert (hopeless.status, hopeless.attempts) == ("failed", MAX_TRANSIENT_ATTEMPTS)
    assert hopeless.last_error == f"gave up after {MAX_TRANSIENT_ATTEMPTS} attempts: internal_error"


def test_slack_unreachable_is_transient(world: World) -> None:
    enqueue(world, "U0ALICE", "offline")
    unreachable = replace(world.services.settings, slack_api_url="http://127.0.0.1:9/api/")  # nothing listens
    world.gateway = SlackGateway(
        unreachable, world.db.engine, pacer=Pacer(world.time.monotonic), sleep=world.time.sleep
    )
    report = world.deliver(NOW)
    assert report.retrying == 1
    offline = row(world, "offline")
    assert (offline.status, offline.due_at) == ("pending", NOW + backoff(1))
    assert "URLError" in (offline.last_error or "") or "Connection" in (offline.last_error or "")


def test_a_claimed_row_is_left_alone_until_its_lease_expires(world: World) -> None:
    enqueue(world, "U0ALICE", "in-flight")
    with world.db.session() as session:  # a deliverer claims it and dies before sending
        [claimed] = outbox.claim_due(session, now=NOW, wall_now=NOW, lease=timedelta(minutes=2), limit=10)
    assert claimed.attempts == 1
    assert world.deliver(NOW, wall_clock=lambda: NOW + timedelta(minutes=1)).sent == 0
    assert world.posts() == []
    assert world.deliver(NOW, wall_clock=lambda: NOW + timedelta(minutes=2, seconds=1)).sent == 1
    assert row(world, "in-flight").attempts == 2


def test_a_lost_claim_is_not_marked_sent_twice(world: World) -> None:
    enqueue(world, "U0ALICE", "slow")
    with world.db.session() as session:
        [first] = outbox.claim_due(session, now=NOW, wall_now=NOW, lease=timedelta(seconds=1), limit=1)
    with world.db.session() as session:
        [second] = outbox.claim_due(
            session, now=NOW, wall_now=NOW + timedelta(seconds=2), lease=timedelta(minutes=1), limit=1
        )
    with world.db.session() as session:
        assert not outbox.mark_sent(session, first, at=NOW, channel="D1", ts="1.1")  # fenced off
        assert outbox.mark_sent(session, second, at=NOW, channel="D1", ts="1.2")
    assert row(world, "slow").slack_ts == "1.2"


def test_delivery_interleaves_channels_instead_of_waiting_on_one(world: World) -> None:
    for n in range(3):
        for user in ("U0ALICE", "U0BOB"):
            enqueue(world, user, f"{user}-{n}")
    world.deliver(NOW)
    assert [call.args["channel"] for call in world.posts()] == ["U0ALICE", "U0BOB"] * 3
    assert sum(world.time.sleeps) == pytest.approx(2.0)  # one per second per channel, nothing more


def test_the_pacer_stays_within_slacks_limits(db: Any) -> None:
    """Against the fake with Slack's limits on, on one shared fake clock: no 429 at all, and not slower
    than the workspace's allowance (after the pacer's small opening burst)."""
    fake_time = FakeTime()
    with FakeSlack(clock=fake_time.monotonic, enforce_rate_limits=True) as slack:
        users = [f"U0P{n:03d}" for n in range(20)]
        for user in users:
            slack.add_user(user)
        services = Services(settings=make_settings(db, slack), db=db, clock=lambda: NOW)
        pacer = Pacer(fake_time.monotonic)
        gateway = SlackGateway(services.settings, db.engine, pacer=pacer, sleep=fake_time.sleep)
        with db.session() as session:
            workspace_id = ensure_workspace(session, "T0EXAMPLE").id
            for n in range(200):
                outbox.enqueue(
                    session, workspace_id=workspace_id, kind="notice", target=users[n % 20],
                    payload={"text": f"m{n}"}, dedupe_key=f"m{n}", due_at=NOW,
                )  # fmt: skip
        start = fake_time.now
        report = Deliverer(
            services, gateway, wall_clock=lambda: NOW, monotonic=fake_time.monotonic, sleep=fake_time.sleep
        ).deliver_due()
        assert report.sent == 200
        assert [call.status for call in slack.calls_to("chat.postMessage")] == [200] * 200
        steady = (200 - WORKSPACE_BURST) / (WORKSPACE_POST_PER_MINUTE / 60)  # seconds the allowance needs
        assert steady <= fake_time.now - start <= steady * 1.05


def test_oauth_mode_finds_each_workspaces_bot_token_in_the_installation_store(world: World) -> None:
    from cryptography.fernet import Fernet
    from slack_sdk.oauth.installation_store import Installation

    from bot.delivery.gateway import Team
    from bot.installations import installation_store
    from bot.settings import Secret, SlackMode, SlackSettings
    from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN

    oauth = replace(
        world.services.settings,
        slack=SlackSettings(
            Secret("s"),
            SlackMode.OAUTH,
            client_id="111.222",
            client_secret=Secret("c"),
            state_secret=Secret("t"),
        ),
        encryption_key=Secret(Fernet.generate_key().decode()),
    )
    store = installation_store(oauth, world.db.engine)  # tokens stored encrypted, read back in plain
    store.save(
        Installation(
            app_id="A0EXAMPLE", team_id="T0EXAMPLE", user_id="U0ALICE", bot_token=DEFAULT_BOT_TOKEN,
            bot_id="B0EXAMPLEBOT", bot_user_id="U0EXAMPLEBOT", bot_scopes="chat:write,im:write,users:read",
        )
    )  # fmt: skip
    world.gateway = SlackGateway(
        oauth, world.db.engine, pacer=Pacer(world.time.monotonic), sleep=world.time.sleep
    )
    assert world.gateway.token_for(Team("T0EXAMPLE")) == DEFAULT_BOT_TOKEN
    assert world.gateway.token_for(Team("T0NOWHERE")) is None
    enqueue(world, "U0ALICE", "installed")
    assert world.deliver(NOW).sent == 1
    with world.db.session() as session:
        other = ensure_workspace(session, "T0NOWHERE").id
        outbox.enqueue(
            session, workspace_id=other, kind="notice", target="U0X", payload={"text": "uninstalled"},
            dedupe_key="uninstalled", due_at=NOW,
        )  # fmt: skip
    world.deliver(NOW)
    assert (row(world, "uninstalled").status, row(world, "uninstalled").last_error) == (
        "failed",
        "no_installation",
    )


def test_a_workspace_held_back_for_long_gives_its_rows_back_to_other_deliverers(world: World) -> None:
    for n in range(3):
        enqueue(world, "U0ALICE" if n % 2 else "U0BOB", f"held-{n}")
    world.slack.rate_limit("chat.postMessage", times=1, retry_after=30)
    report = world.deliver(NOW)
    assert (report.sent, report.rate_limited) == (0, 1)
    assert {row.status for row in world.outbox()} == {"pending"}  # none left claimed by this deliverer
    assert max(world.time.sleeps, default=0) <= 10  # it did not sit on them for 30 s
    world.time.now += 30
    assert world.deliver(NOW + timedelta(seconds=30)).sent == 3


def test_a_send_that_timed_out_after_slack_took_it_is_found_not_sent_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from bot.delivery import gateway as gateway_module

    monkeypatch.setattr(gateway_module, "REQUEST_TIMEOUT_SECONDS", 0.3)
    world.gateway = SlackGateway(
        world.services.settings, world.db.engine, pacer=Pacer(world.time.monotonic), sleep=world.time.sleep
    )
    enqueue(world, "U0ALICE", "slow-answer")
    answered = threading.Event()
    first = [True]

    def hold_the_answer(call: Any) -> None:  # Slack stored the message; its answer comes too late
        if call.method == "chat.postMessage" and first[0]:
            first[0] = False
            answered.wait(timeout=2)

    world.slack.subscribe(hold_the_answer)
    report = world.deliver(NOW)
    answered.set()
    assert (report.sent, report.retrying) == (0, 1)
    held = row(world, "slow-answer")
    assert held.status == "sending" and "timed out" in (held.last_error or "").lower()
    later = world.deliver(NOW + backoff(1) + timedelta(seconds=1))
    assert (later.sent, later.recovered) == (1, 1)
    assert [call.args["text"] for call in world.posts()] == ["slow-answer"]  # posted once, found once
    sent = row(world, "slow-answer")
    assert sent.status == "sent" and sent.slack_ts == world.slack.messages("U0ALICE")[-1]["ts"]
