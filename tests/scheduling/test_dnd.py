"""Slack's Do Not Disturb: `parley tick` reads `dnd.info` for members with a nudge or digest due
(cached, paced, at most one minute's Tier 3 allowance a run) and defers what falls inside their
window until it ends — deferred, never dropped, and never held back because Slack could not say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.dnd import DND_TTL, PER_RUN
from storage.models import Member
from storage.queries.members import DND_KEY, Profile, save_profile
from tests.scheduling.conftest import World, hours, utc


@pytest.fixture(autouse=True)
def slack_follows_the_test_clock(world: World) -> None:
    """dnd.info's window is "the current or next one" as of Slack's now: the test's clock."""
    world.slack.set_wall_clock(lambda: world.clock.now.timestamp())


DUE = date(2026, 11, 26)  # a Thursday: nudges before-1 (Wed), due (Thu), after-1 (Fri), after-3 (Tue)


def lunch_dnd(world: World, user: str) -> None:
    """A daily Do Not Disturb window from 08:30 to 11:00 UTC (the fake repeats it every day)."""
    world.slack.set_dnd(
        user, start=int(utc(2026, 11, 20, 8, 30).timestamp()), end=int(utc(2026, 11, 20, 11).timestamp())
    )


def test_a_nudge_due_inside_do_not_disturb_arrives_when_it_ends(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    lunch_dnd(world, "U0ALICE")
    world.commitment(world.member("U0ALICE"), DUE)
    world.slack.add_user("U0BOB", tz="Europe/London")
    world.commitment(world.member("U0BOB"), DUE, text="Bob's, no Do Not Disturb")
    for at in hours(utc(2026, 11, 24, 8), utc(2026, 12, 2, 12)):
        world.tick(at)
    alice = [at for user, at in world.sent("nudge") if user == "U0ALICE"]
    bob = [at for user, at in world.sent("nudge") if user == "U0BOB"]
    assert bob == [utc(2026, 11, 25, 9), utc(2026, 11, 26, 9), utc(2026, 11, 27, 9), utc(2026, 12, 1, 9)]
    assert alice == [
        utc(2026, 11, 25, 11),
        utc(2026, 11, 26, 11),
        utc(2026, 11, 27, 11),
        utc(2026, 12, 1, 11),
    ]
    deferred = [row for row in world.outbox("nudge") if row.target == "U0ALICE"]
    assert all(row.status == "sent" for row in deferred) and len(deferred) == 4
    # Read only for a nudge or digest due, and cached: at most twice per message (when it falls due,
    # and again when a deferred one comes round after the cached answer has gone stale).
    asked = [call.args.get("user") for call in world.slack.calls_to("dnd.info")]
    assert set(asked) == {"U0ALICE", "U0BOB"}
    due = [row for row in world.outbox() if row.kind in ("nudge", "digest")]
    assert asked.count("U0BOB") <= len([row for row in due if row.target == "U0BOB"])
    assert asked.count("U0ALICE") <= 2 * len([row for row in due if row.target == "U0ALICE"])


def test_a_digest_due_inside_do_not_disturb_waits_for_it_to_end(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    lunch_dnd(world, "U0ALICE")
    world.member("U0ALICE")
    world.slack.add_user("U0BOB", tz="Europe/London")
    world.member("U0BOB")
    for at in hours(utc(2026, 11, 30, 6), utc(2026, 11, 30, 14), timedelta(minutes=30)):
        world.tick(at)
    digests = dict(world.sent("digest"))
    assert digests["U0BOB"] == utc(2026, 11, 30, 9)
    assert digests["U0ALICE"] == utc(2026, 11, 30, 11)


def test_the_answer_is_cached_and_read_again_only_when_stale(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    lunch_dnd(world, "U0ALICE")
    alice = world.member("U0ALICE")
    world.commitment(alice, DUE)
    for at in hours(utc(2026, 11, 25, 9), utc(2026, 11, 25, 9, 20), timedelta(minutes=5)):
        world.tick(at)
    assert len(world.slack.calls_to("dnd.info")) == 1  # five ticks, one read
    cached = (world.get_member(alice).settings or {})[DND_KEY]
    assert cached["enabled"] is True and cached["end"] == int(utc(2026, 11, 25, 11).timestamp())
    assert "snooze_end" in cached and cached["snooze_end"] == 0  # Slack shows snoozes to their owner only
    world.tick(utc(2026, 11, 25, 9) + DND_TTL)  # stale now, but nothing is due for another hour
    assert len(world.slack.calls_to("dnd.info")) == 1
    world.tick(utc(2026, 11, 25, 11))  # the deferred nudge is due: read again, then sent
    assert len(world.slack.calls_to("dnd.info")) == 2
    assert world.sent("nudge") == [("U0ALICE", utc(2026, 11, 25, 11))]


@pytest.mark.parametrize("error", ["internal_error", "user_not_found", "missing_scope"])
def test_a_failing_dnd_info_never_drops_or_holds_back_a_nudge(world: World, error: str) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    lunch_dnd(world, "U0ALICE")
    world.commitment(world.member("U0ALICE"), DUE)
    world.slack.fail_next("dnd.info", error=error, times=50)
    for at in hours(utc(2026, 11, 25, 8), utc(2026, 11, 25, 12)):
        world.tick(at)
    assert world.sent("nudge") == [("U0ALICE", utc(2026, 11, 25, 9))]
    assert len(world.slack.calls_to("dnd.info")) == 1  # a refusal is remembered, not retried every run


def test_a_rate_limited_dnd_info_is_paced_and_the_nudge_still_goes(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    world.commitment(world.member("U0ALICE"), DUE)
    world.slack.rate_limit("dnd.info", retry_after=30)
    world.tick(utc(2026, 11, 25, 9))
    assert world.sent("nudge") == [("U0ALICE", utc(2026, 11, 25, 9))]


def test_a_big_batch_reads_at_most_one_minutes_allowance_a_run(world: World) -> None:
    users = [f"U0M{index:03d}" for index in range(PER_RUN + 10)]
    for user in users:
        world.slack.add_user(user, tz="Europe/London")
        world.commitment(world.member(user), DUE, text=f"Commitment of {user}")
    world.tick(utc(2026, 11, 25, 9))
    assert len(world.slack.calls_to("dnd.info")) == PER_RUN
    assert len(world.sent("nudge")) == len(users)  # those not read yet are not held back
    # Paced to Tier 3 (50 a minute): the reads were spread over at least 49 intervals of 1.2 s.
    assert sum(world.time.sleeps) >= (PER_RUN - 1) * 60 / 50 - 1e-6


def test_a_cached_window_from_slack_survives_a_members_profile_refresh(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    lunch_dnd(world, "U0ALICE")
    alice = world.member("U0ALICE")
    world.commitment(alice, DUE)
    world.tick(utc(2026, 11, 25, 9))
    with world.db.session() as session:  # users.info refreshes the profile, status and language
        member = session.get(Member, alice)
        assert member is not None
        cached = (member.settings or {})[DND_KEY]
        refreshed = Profile("Alice", "Europe/Paris", locale="fr-FR")
        save_profile(session, member.workspace_id, "U0ALICE", refreshed, utc(2026, 11, 25, 9, 1))
    with world.db.session() as session:
        member = session.get(Member, alice)
        assert member is not None and member.tz == "Europe/Paris"
        assert (member.settings or {})[DND_KEY] == cached
    assert world.sent("nudge") == []
