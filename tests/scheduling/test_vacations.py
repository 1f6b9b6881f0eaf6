"""Vacations and holidays: `parley tick` defers a nudge due while its owner's Slack status says they
are away to their first working morning back, moves nudges off workspace and public holidays (in
each owner's own time zone, across a DST change), and skips or moves digests the same way."""

from __future__ import annotations

from datetime import date
from typing import Any

from storage.models import Workspace
from tests.scheduling.conftest import World, hours, utc

LONDON_DUE = date(2026, 11, 26)  # a Thursday


def set_workspace(world: World, **settings: Any) -> None:
    with world.db.session() as session:
        workspace = session.get(Workspace, world.workspace_id())
        assert workspace is not None
        workspace.settings = settings


def status(text: str = "", emoji: str = "", expiration: int = 0) -> dict[str, Any]:
    return {"slack_status": {"text": text, "emoji": emoji, "expiration": expiration}}


def test_a_nudge_due_on_vacation_arrives_on_the_first_working_morning_back(world: World) -> None:
    back = int(utc(2026, 11, 28, 12).timestamp())  # the palm tree expires on Saturday
    world.slack.add_user("U0ALICE", tz="Europe/London", status_emoji=":palm_tree:", status_expiration=back)
    world.commitment(
        world.member("U0ALICE", settings=status(emoji=":palm_tree:", expiration=back)), LONDON_DUE
    )
    world.slack.add_user("U0BOB", tz="Europe/London")
    world.commitment(world.member("U0BOB"), LONDON_DUE, text="Bob's, not on vacation")
    for at in hours(utc(2026, 11, 24, 8), utc(2026, 12, 2, 12)):
        world.tick(at)
    alice = [at for user, at in world.sent("nudge") if user == "U0ALICE"]
    bob = [at for user, at in world.sent("nudge") if user == "U0BOB"]
    assert bob == [utc(2026, 11, 25, 9), utc(2026, 11, 26, 9), utc(2026, 11, 27, 9), utc(2026, 12, 1, 9)]
    # Nothing while away; the latest nudge that fell due then comes on Monday 09:00, then after-3.
    assert alice == [utc(2026, 11, 30, 9), utc(2026, 12, 1, 9)]


def test_an_out_of_office_text_without_an_end_defers_day_by_day_until_it_is_cleared(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London", status_text="OOO until further notice")
    alice = world.member("U0ALICE", settings=status(text="OOO until further notice"))
    world.commitment(alice, LONDON_DUE)
    for at in hours(utc(2026, 11, 24, 8), utc(2026, 11, 27, 8)):
        world.tick(at)
    assert world.sent("nudge") == []
    # Back: a user_change would clear the cached status; here the cache is cleared directly.
    world.slack.add_user("U0ALICE", tz="Europe/London")
    with world.db.session() as session:
        from storage.models import Member

        member = session.get(Member, alice)
        assert member is not None
        member.settings = status()
    for at in hours(utc(2026, 11, 27, 8), utc(2026, 11, 27, 12)):
        world.tick(at)
    assert [at for _, at in world.sent("nudge")] == [utc(2026, 11, 27, 9)]


def test_a_word_inside_another_word_is_not_a_vacation(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London", status_text="Holidaymaker Ltd call")
    world.commitment(world.member("U0ALICE", settings=status(text="Holidaymaker Ltd call")), LONDON_DUE)
    for at in hours(utc(2026, 11, 25, 8), utc(2026, 11, 25, 10)):
        world.tick(at)
    assert [at for _, at in world.sent("nudge")] == [utc(2026, 11, 25, 9)]


def test_the_public_holidays_of_the_workspaces_country_move_nudges_in_new_york(world: World) -> None:
    """Thanksgiving (Thu 26 Nov 2026, from the `holidays` package's US preset): the due-day nudge
    comes the working day before, counted in New York time (EST, after the November DST change)."""
    set_workspace(world, holiday_country="US")
    world.slack.add_user("U0NEWYORK", tz="America/New_York")
    world.commitment(world.member("U0NEWYORK"), LONDON_DUE)
    for at in hours(utc(2026, 11, 23, 12), utc(2026, 12, 2, 20)):
        world.tick(at)
    assert [at for _, at in world.sent("nudge")] == [
        utc(2026, 11, 24, 14),  # before-1: Tue 09:00 EST (the day before the Wednesday "due")
        utc(2026, 11, 25, 14),  # due: Wed, the working day before the holiday
        utc(2026, 11, 27, 14),  # after-1: Fri
        utc(2026, 12, 1, 14),  # after-3: Tue (Thu 26 is no working day)
    ]


def test_a_workspace_holiday_the_day_after_a_dst_change_in_two_time_zones(world: World) -> None:
    """US clocks go forward on Sunday 8 March 2026; the workspace's own holiday is Monday 9 March."""
    set_workspace(world, holidays=["2026-03-09"])
    world.slack.add_user("U0NEWYORK", tz="America/New_York")
    world.slack.add_user("U0LONDON", tz="Europe/London")
    due = date(2026, 3, 6)  # a Friday
    for user in ("U0NEWYORK", "U0LONDON"):
        world.commitment(world.member(user), due, text=f"Commitment of {user}")
    for at in hours(utc(2026, 3, 4, 12), utc(2026, 3, 13, 20)):
        world.tick(at)
    sent = world.sent("nudge")
    assert [at for user, at in sent if user == "U0NEWYORK"] == [
        utc(2026, 3, 5, 14),  # before-1: Thu 09:00 EST
        utc(2026, 3, 6, 14),  # due: Fri 09:00 EST
        utc(2026, 3, 10, 13),  # after-1: Tue 09:00 EDT (Mon 9 is the holiday)
        utc(2026, 3, 12, 13),  # after-3: Thu 09:00 EDT
    ]
    assert [at for user, at in sent if user == "U0LONDON"] == [
        utc(2026, 3, 5, 9), utc(2026, 3, 6, 9), utc(2026, 3, 10, 9), utc(2026, 3, 12, 9),
    ]  # fmt: skip


def test_a_digest_on_a_holiday_comes_the_next_working_day_and_none_goes_to_someone_away(
    world: World,
) -> None:
    set_workspace(world, holidays=["2026-11-30"])  # Monday, the digest day
    world.slack.add_user("U0LONDON", tz="Europe/London")
    world.member("U0LONDON")
    world.slack.add_user("U0AWAY", tz="Europe/London", status_emoji=":palm_tree:")
    world.member("U0AWAY", settings=status(emoji=":palm_tree:"))
    for at in hours(utc(2026, 11, 30, 6), utc(2026, 12, 1, 12)):
        world.tick(at)
    digests = world.sent("digest")
    assert [(user, at) for user, at in digests if user in ("U0LONDON", "U0AWAY")] == [
        ("U0LONDON", utc(2026, 12, 1, 9))
    ]
