"""Each member's own public holidays: their country from their choice, else (when the workspace counts
members' own holidays) from their Slack time zone — Europe/Berlin keeps German holidays, Europe/London
does not — on top of the workspace's list and country, across time zones and summer time."""

from __future__ import annotations

from datetime import date
from typing import Any

from storage.models import Workspace
from tests.scheduling.conftest import World, hours, utc

ASCENSION = date(2026, 5, 14)  # a Thursday: a public holiday in Germany, not in the UK or the US


def set_workspace(world: World, **settings: Any) -> None:
    with world.db.session() as session:
        workspace = session.get(Workspace, world.workspace_id())
        assert workspace is not None
        workspace.settings = settings


def due_nudges(world: World, user: str) -> list[Any]:
    return [at for who, at in world.sent("nudge") if who == user]


def run_week(world: World) -> None:
    for at in hours(utc(2026, 5, 12, 5), utc(2026, 5, 15, 12)):
        world.tick(at)


def test_a_berlin_member_keeps_german_holidays_and_a_london_member_does_not(world: World) -> None:
    set_workspace(world, member_holidays=True)
    world.slack.add_user("U0BERLIN", tz="Europe/Berlin")
    world.slack.add_user("U0LONDON", tz="Europe/London")
    world.slack.add_user("U0NEWYORK", tz="America/New_York")
    for user in ("U0BERLIN", "U0LONDON", "U0NEWYORK"):
        world.commitment(world.member(user), ASCENSION, text=f"Commitment of {user}")
    run_week(world)
    # Summer time everywhere: 09:00 is 07:00 UTC in Berlin, 08:00 in London, 13:00 in New York.
    assert due_nudges(world, "U0BERLIN") == [utc(2026, 5, 12, 7), utc(2026, 5, 13, 7), utc(2026, 5, 15, 7)]
    assert due_nudges(world, "U0LONDON") == [utc(2026, 5, 13, 8), utc(2026, 5, 14, 8), utc(2026, 5, 15, 8)]
    assert due_nudges(world, "U0NEWYORK") == [utc(2026, 5, 13, 13), utc(2026, 5, 14, 13)]


def test_without_the_workspace_setting_only_a_members_own_choice_counts(world: World) -> None:
    world.slack.add_user("U0BERLIN", tz="Europe/Berlin")
    world.slack.add_user("U0LONDON", tz="Europe/London")
    world.commitment(world.member("U0BERLIN"), ASCENSION, text="Berlin's")
    world.commitment(world.member("U0LONDON", settings={"holiday_country": "DE"}), ASCENSION, text="London's")
    run_week(world)
    assert due_nudges(world, "U0BERLIN") == [utc(2026, 5, 13, 7), utc(2026, 5, 14, 7), utc(2026, 5, 15, 7)]
    assert due_nudges(world, "U0LONDON") == [utc(2026, 5, 12, 8), utc(2026, 5, 13, 8), utc(2026, 5, 15, 8)]


def test_a_member_who_chose_none_keeps_only_the_workspaces_holidays(world: World) -> None:
    set_workspace(world, member_holidays=True, holidays=["2026-05-15"])
    world.slack.add_user("U0BERLIN", tz="Europe/Berlin")
    world.commitment(world.member("U0BERLIN", settings={"holiday_country": "none"}), ASCENSION)
    for at in hours(utc(2026, 5, 12, 5), utc(2026, 5, 18, 12)):
        world.tick(at)
    # Ascension counts as a working day for them; the workspace's own holiday (Fri 15) still applies.
    assert due_nudges(world, "U0BERLIN") == [utc(2026, 5, 13, 7), utc(2026, 5, 14, 7), utc(2026, 5, 18, 7)]


def test_a_digest_on_a_members_own_holiday_comes_the_next_working_day(world: World) -> None:
    """Whit Monday 17 May 2027 is a German public holiday only."""
    set_workspace(world, member_holidays=True)
    world.slack.add_user("U0BERLIN", tz="Europe/Berlin")
    world.member("U0BERLIN")
    world.slack.add_user("U0LONDON", tz="Europe/London")
    world.member("U0LONDON")
    for at in hours(utc(2027, 5, 17, 5), utc(2027, 5, 18, 10)):
        world.tick(at)
    assert dict(world.sent("digest")) == {"U0LONDON": utc(2027, 5, 17, 8), "U0BERLIN": utc(2027, 5, 18, 7)}
