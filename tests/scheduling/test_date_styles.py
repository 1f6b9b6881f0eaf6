"""Nudges and digests write dates the way their reader chose (`date_style`), and only theirs."""

from __future__ import annotations

from datetime import date

from tests.scheduling.conftest import World, hours, utc


def test_a_nudge_and_a_digest_follow_their_readers_date_style(world: World) -> None:
    world.slack.add_user("U0ALICE", tz="Europe/London")
    world.commitment(world.member("U0ALICE", settings={"date_style": "us"}), date(2026, 12, 3))
    world.slack.add_user("U0BOB", tz="Europe/London")
    world.commitment(world.member("U0BOB"), date(2026, 12, 3), text="Bob's")
    world.slack.add_user("U0CARA", tz="Europe/London")
    world.commitment(world.member("U0CARA", settings={"date_style": "iso"}), date(2026, 12, 3), text="Cara's")
    for at in hours(utc(2026, 11, 30, 8), utc(2026, 12, 2, 10)):
        world.tick(at)
    nudges = world.texts("nudge")
    assert "Thursday, December 3, 2026" in nudges["U0ALICE"]
    assert "Thu 3 Dec 2026" in nudges["U0BOB"] and "December" not in nudges["U0BOB"]
    assert "2026-12-03" in nudges["U0CARA"]
    digests = world.texts("digest")
    assert "Monday, November 23 – Sunday, November 29, 2026" in digests["U0ALICE"]  # the week it covers
    assert "Mon 23 Nov – Sun 29 Nov 2026" in digests["U0BOB"]
    assert "2026-11-23 – 2026-11-29" in digests["U0CARA"]
