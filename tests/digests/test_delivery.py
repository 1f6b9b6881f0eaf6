"""Digests through ``parley tick`` and the outbox: on each recipient's own Monday, exactly once, with
the chart uploaded first, and as each member chose (off, every other week, no quiet weeks)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import Pacer
from bot.delivery.worker import Deliverer
from bot.digests.schedule import fortnight_week
from bot.playbook import current_playbook
from bot.scheduler.registry import JobContext, all_jobs, run_job
from storage.models import DigestRun, OutboxMessage
from tests.digests.seeding import MONDAY, NOW, Seeded, set_member, set_workspace, utc
from tests.scheduling.conftest import World

UNPACED = 1e9


def digest_posts(world: World) -> list[tuple[str, str]]:
    """``(channel, first words)`` of every digest Slack accepted, in order."""
    titles = ("Your week", "Your two weeks", "Team of", "Example Org")
    return [
        (call.args["channel"], call.args["text"].split(" (")[0])
        for call in world.posts()
        if call.args["text"].startswith(titles)
    ]


def runs(world: World) -> list[tuple[int, str, str]]:
    with world.db.session() as session:
        rows = session.execute(select(DigestRun.recipient_id, DigestRun.kind, DigestRun.iso_week))
        return sorted((int(r[0]), str(r[1]), str(r[2])) for r in rows)


def digest_job() -> Any:
    return next(job for job in all_jobs() if job.id == "digests")


def test_each_recipient_gets_theirs_at_nine_on_their_own_monday(world: World, seeded: Seeded) -> None:
    world.tick(utc(2026, 11, 22, 19, 55))  # Sunday in UTC, 08:55 on Monday in Tongatapu (UTC+13)
    assert digest_posts(world) == []
    world.tick(utc(2026, 11, 22, 20, 0))
    assert digest_posts(world) == [("U0CAROL", "Your week in negotiations")]
    world.tick(utc(2026, 11, 23, 8, 59))
    assert len(digest_posts(world)) == 1
    world.tick(utc(2026, 11, 23, 9, 0))  # London
    assert digest_posts(world)[1:] == [("U0ALICE", "Your week in negotiations")]
    world.tick(utc(2026, 11, 23, 13, 59))
    assert len(digest_posts(world)) == 2
    world.tick(utc(2026, 11, 23, 14, 0))  # New York: Bob's own, his team's and the organisation's
    assert digest_posts(world)[2:] == [
        ("U0BOB", "Your week in negotiations"),
        ("U0BOB", "Team of Bob Manager: the week"),
        ("U0BOB", "Example Org: where the organisation left money behind"),
    ]
    carol = world.slack.messages(world.slack.dm_channel("U0CAROL"))[-1]
    assert "1 negotiation (1 agreed); conceded 1,000 USD, received 1,500 USD, 1.5×." in carol["text"]


def test_the_team_and_organisation_charts_are_uploaded_then_shown_in_the_digest(
    world: World, seeded: Seeded
) -> None:
    world.tick(utc(2026, 11, 23, 14, 0))
    methods = [
        call.method
        for call in world.slack.calls
        if call.method.startswith("files.")
        or call.method == "upload_url"
        or call.method == "chat.postMessage"
    ]
    upload = ["files.getUploadURLExternal", "upload_url", "files.completeUploadExternal"]
    assert methods[:6] == upload * 2  # both charts before any of Bob's messages
    completes = world.slack.calls_to("files.completeUploadExternal")
    assert all("channel_id" not in c.args and "channels" not in c.args for c in completes)  # private files
    files = world.slack.files()
    assert len(files) == 2 and all(f["content"].startswith(b"\x89PNG") and f["channels"] == [] for f in files)
    for title, file in (("Team of", files[0]), ("Example Org", files[1])):
        message = next(
            m for m in world.slack.messages(world.slack.dm_channel("U0BOB")) if m["text"].startswith(title)
        )
        image = next(b for b in message["blocks"] if b["type"] == "image")
        assert image["slack_file"] == {"id": file["id"]}
        assert image["alt_text"].startswith(
            "Weekly give/get balance and money left behind in USD over 12 weeks"
        )


def test_a_rerun_or_a_later_tick_sends_nothing_twice(world: World, seeded: Seeded) -> None:
    for at in (
        utc(2026, 11, 23, 14, 0),
        utc(2026, 11, 23, 14, 0),
        utc(2026, 11, 23, 14, 5),
        utc(2026, 11, 25, 9),
    ):
        world.tick(at)
    assert Counter(digest_posts(world)) == {
        ("U0CAROL", "Your week in negotiations"): 1,
        ("U0ALICE", "Your week in negotiations"): 1,
        ("U0BOB", "Your week in negotiations"): 1,
        ("U0BOB", "Team of Bob Manager: the week"): 1,
        ("U0BOB", "Example Org: where the organisation left money behind"): 1,
    }
    assert len(world.slack.calls_to("files.getUploadURLExternal")) == 2
    assert runs(world) == sorted(
        [
            (seeded.alice, "learner", "2026-W48"),
            (seeded.carol, "learner", "2026-W48"),
            (seeded.bob, "learner", "2026-W48"),
            (seeded.bob, "manager", "2026-W48"),
            (seeded.bob, "organisation", "2026-W48"),
        ]
    )
    with world.db.session() as session:
        linked = session.scalar(
            select(func.count()).select_from(DigestRun).where(DigestRun.outbox_id.is_not(None))
        )
    assert linked == 5
    world.tick(utc(2026, 11, 30, 14, 0))  # the next week is a new week
    assert len(digest_posts(world)) == 10


def test_two_clocks_and_two_delivery_loops_at_once_send_each_digest_once(
    world: World, seeded: Seeded
) -> None:
    at = utc(2026, 11, 23, 14, 0)
    world.clock.set(at)
    services = world.services
    playbook = current_playbook(services.settings)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def clock_process() -> None:
        gateway = SlackGateway(
            services.settings, world.db.engine, pacer=Pacer(lambda: 0.0), sleep=lambda _: None
        )
        try:
            start.wait(timeout=10)
            run = run_job(digest_job(), JobContext(services, gateway, playbook, at))
            assert run.failed == 0
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=clock_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with world.db.session() as session:
        keys = Counter(
            session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "digest"))
        )
    assert sorted(keys) == sorted(
        f"digest:{seeded.workspace_id}:{user}:{kind}:2026-W48"
        for user, kind in [
            ("U0ALICE", "learner"),
            ("U0CAROL", "learner"),
            ("U0BOB", "learner"),
            ("U0BOB", "manager"),
            ("U0BOB", "organisation"),
        ]
    )
    assert set(keys.values()) == {1} and len(runs(world)) == 5

    def delivery_loop() -> None:
        gateway = SlackGateway(
            services.settings,
            world.db.engine,
            pacer=Pacer(workspace_per_minute=UNPACED, channel_per_second=UNPACED),
        )
        start.wait(timeout=10)
        Deliverer(services, gateway, wall_clock=lambda: at, batch_size=2).deliver_due()

    loops = [threading.Thread(target=delivery_loop) for _ in range(2)]
    for loop in loops:
        loop.start()
    for loop in loops:
        loop.join(timeout=60)
    assert sorted(Counter(digest_posts(world)).values()) == [1, 1, 1, 1, 1]


def test_members_choose_off_every_other_week_or_no_quiet_weeks(world: World, seeded: Seeded) -> None:
    set_member(world.db, seeded.alice, settings={"digest": "off"})
    set_member(world.db, seeded.carol, settings={"digest": "fortnightly"})
    set_member(world.db, seeded.bob, settings={"digest_quiet": "skip"})
    mondays = [utc(2026, 11, 23, 14, 0) + timedelta(weeks=n) for n in range(2)]
    for at in mondays:
        world.tick(at)
        world.tick(at + timedelta(minutes=5))
    posts = digest_posts(world)
    assert not any(channel == "U0ALICE" for channel, _ in posts)
    carol = [title for channel, title in posts if channel == "U0CAROL"]
    assert carol == ["Your two weeks in negotiations"]  # one of the two weeks, covering both
    sent_in = "2026-W48" if fortnight_week(MONDAY + timedelta(weeks=1)) else "2026-W49"
    assert [week for member, kind, week in runs(world) if member == seeded.carol] == [sent_in]
    # Bob's own weeks were quiet: no learner digest, but his team's and the organisation's came
    bob = [title for channel, title in posts if channel == "U0BOB"]
    assert "Your week in negotiations" not in bob and bob.count("Team of Bob Manager: the week") == 2
    assert (seeded.bob, "learner", "2026-W48") in runs(world)  # recorded, so not rebuilt every tick
    assert (seeded.alice, "learner", "2026-W48") not in runs(world)


def test_a_digest_switched_off_after_it_was_enqueued_is_not_sent(world: World, seeded: Seeded) -> None:
    at = utc(2026, 11, 23, 9, 0)
    world.clock.set(at)
    run_job(
        digest_job(), JobContext(world.services, world.gateway, current_playbook(world.services.settings), at)
    )
    set_member(world.db, seeded.alice, settings={"digest": "off"})
    world.deliver(at)
    assert [channel for channel, _ in digest_posts(world)] == ["U0CAROL"]
    skipped = [row for row in world.outbox("digest") if row.target == "U0ALICE"]
    assert [(row.status, row.last_error) for row in skipped] == [
        ("skipped", "the member switched their digest off")
    ]


def test_a_transient_upload_failure_waits_for_the_next_run(world: World, seeded: Seeded) -> None:
    world.slack.fail_next("files.getUploadURLExternal", error="internal_error", times=2)
    world.tick(utc(2026, 11, 23, 14, 0))
    assert [title for channel, title in digest_posts(world) if channel == "U0BOB"] == [
        "Your week in negotiations"
    ]
    world.tick(utc(2026, 11, 23, 14, 5))
    bob = world.slack.messages(world.slack.dm_channel("U0BOB"))
    team = next(m for m in bob if m["text"].startswith("Team of"))
    assert any(b["type"] == "image" for b in team["blocks"])


def test_a_permanent_upload_failure_sends_the_digest_without_the_chart(world: World, seeded: Seeded) -> None:
    world.slack.fail_next("files.getUploadURLExternal", error="missing_scope", times=2)
    world.tick(utc(2026, 11, 23, 14, 0))
    bob = world.slack.messages(world.slack.dm_channel("U0BOB"))
    team = next(m for m in bob if m["text"].startswith("Team of"))
    assert not any(b["type"] == "image" for b in team["blocks"])
    assert "The chart couldn't be attached this week." in str(team["blocks"][-1])


def test_the_roll_up_can_go_to_a_channel_without_naming_anyone(world: World, seeded: Seeded) -> None:
    set_workspace(
        world.db, seeded.workspace_id, executive_owner=None, digest_channel="C0GENERAL", digest_tz="UTC"
    )
    world.tick(utc(2026, 11, 23, 9, 0))
    general = world.slack.messages("C0GENERAL")
    assert len(general) == 1 and general[0]["text"].startswith(
        "Example Org: where the organisation left money"
    )
    shown = str(general[0]["blocks"])
    assert "<@" not in shown and "Alice" not in shown and "Carol" not in shown
    world.tick(utc(2026, 11, 23, 9, 5))
    assert len(world.slack.messages("C0GENERAL")) == 1
    assert not any(kind == "organisation" for _, kind, _ in runs(world))  # a channel is no member: outbox key


def test_an_uninstalled_workspace_gets_nothing(world: World, seeded: Seeded) -> None:
    from storage.queries.workspaces import mark_uninstalled

    with world.db.session() as session:
        mark_uninstalled(session, "T0EXAMPLE", NOW)
    world.tick(utc(2026, 11, 23, 14, 0))
    assert digest_posts(world) == []
