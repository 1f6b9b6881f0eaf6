"""`parley tick` at a sequence of instants sends exactly the expected nudges: in each owner's own
time zone, inside working hours, across a daylight-saving change, once per occurrence."""

from __future__ import annotations

from datetime import date, timedelta

from tests.scheduling.conftest import World, hours, utc


def test_three_time_zones_across_the_dst_change(world: World) -> None:
    # US daylight saving starts on Sunday 2026-03-08: New York is UTC−5 on Friday, UTC−4 on Monday.
    world.slack.add_user("U0NEWYORK", tz="America/New_York")
    world.slack.add_user("U0HONOLULU", tz="Pacific/Honolulu")  # UTC−10, no DST
    world.slack.add_user("U0KIRITI", tz="Pacific/Kiritimati")  # UTC+14, a day ahead
    due = date(2026, 3, 9)  # a Monday
    for user in ("U0NEWYORK", "U0HONOLULU", "U0KIRITI"):
        world.commitment(world.member(user), due, text=f"Commitment of {user}")
    for at in hours(utc(2026, 3, 5, 12), utc(2026, 3, 12, 20)):
        world.tick(at)
    delivered = world.sent("nudge")
    expected = [
        ("U0KIRITI", utc(2026, 3, 5, 19)),  # Fri 6 09:00 +14: before-1
        ("U0NEWYORK", utc(2026, 3, 6, 14)),  # Fri 09:00 EST
        ("U0HONOLULU", utc(2026, 3, 6, 19)),  # Fri 09:00 HST
        ("U0KIRITI", utc(2026, 3, 8, 19)),  # Mon 9 09:00 +14: due
        ("U0NEWYORK", utc(2026, 3, 9, 13)),  # Mon 09:00 EDT: the clocks changed, the local hour did not
        ("U0HONOLULU", utc(2026, 3, 9, 19)),
        ("U0KIRITI", utc(2026, 3, 9, 19)),  # Tue 10: after-1
        ("U0NEWYORK", utc(2026, 3, 10, 13)),
        ("U0HONOLULU", utc(2026, 3, 10, 19)),
        ("U0KIRITI", utc(2026, 3, 11, 19)),  # Thu 12: after-3
        ("U0NEWYORK", utc(2026, 3, 12, 13)),
        ("U0HONOLULU", utc(2026, 3, 12, 19)),
    ]
    assert sorted(delivered, key=lambda pair: (pair[1], pair[0])) == sorted(
        expected, key=lambda p: (p[1], p[0])
    )


def nudge_keys(world: World) -> list[str]:
    return [row.dedupe_key.rsplit(":", 1)[1] for row in world.outbox("nudge") if row.status == "sent"]


LONDON_DUE = date(2026, 11, 26)  # a Thursday; Alice is in London (UTC+0 in November)


def test_a_one_hour_outage_is_caught_up_once(world: World) -> None:
    alice = world.member("U0ALICE")
    world.commitment(alice, LONDON_DUE)
    world.commitment(alice, LONDON_DUE, text="A second one, due the same day")
    world.tick(utc(2026, 11, 25, 8, 59))  # nothing due yet
    assert world.sent("nudge") == []
    # The clock process is down from 08:59 to 10:00; the 09:00 "before-1" nudges were missed.
    world.tick(utc(2026, 11, 25, 10, 0))
    assert world.sent("nudge") == [("U0ALICE", utc(2026, 11, 25, 10))] * 2
    for minute in range(1, 60, 4):  # back to regular runs: nothing more
        world.tick(utc(2026, 11, 25, 10, minute))
    assert len(world.sent("nudge")) == 2 and nudge_keys(world) == ["before-1", "before-1"]


def test_a_missed_day_sends_only_the_latest_nudge_not_a_backlog(world: World) -> None:
    world.commitment(world.member("U0ALICE"), LONDON_DUE)
    world.tick(utc(2026, 11, 27, 9, 30))  # down since before the day before: only "after-1" is sent
    assert nudge_keys(world) == ["after-1"]


def test_never_at_night_a_late_run_waits_for_the_morning(world: World) -> None:
    world.commitment(world.member("U0ALICE"), LONDON_DUE)
    world.tick(utc(2026, 11, 25, 18, 30))  # down all working day; 18:30 in London is after hours
    assert world.sent("nudge") == []
    world.tick(utc(2026, 11, 26, 3, 0))
    assert world.sent("nudge") == []
    world.tick(utc(2026, 11, 26, 9, 0))
    assert nudge_keys(world) == ["due"]  # the morning's own nudge; the stale one is not sent


def test_done_before_the_nudge_means_no_nudge(world: World) -> None:
    commitment = world.commitment(world.member("U0ALICE"), LONDON_DUE)
    world.tick(utc(2026, 11, 25, 9, 0))
    assert nudge_keys(world) == ["before-1"]
    with world.db.session() as session:
        from storage.models import Commitment

        row = session.get(Commitment, commitment)
        assert row is not None
        row.status, row.closed_at = "done", utc(2026, 11, 25, 12)
    for at in hours(utc(2026, 11, 25, 12), utc(2026, 12, 4, 12), timedelta(hours=4)):
        world.tick(at)
    assert nudge_keys(world) == ["before-1"]


def test_a_row_enqueued_before_done_is_skipped_at_delivery(world: World) -> None:
    commitment = world.commitment(world.member("U0ALICE"), LONDON_DUE)
    from bot.scheduler.tick import run_jobs

    world.clock.set(utc(2026, 11, 25, 9, 0))
    run_jobs(world.services, world.gateway)  # enqueued, not yet delivered
    with world.db.session() as session:
        from storage.models import Commitment

        row = session.get(Commitment, commitment)
        assert row is not None
        row.status = "done"
    assert world.deliver().skipped == 1
    assert world.sent("nudge") == []
    [row] = world.outbox("nudge")
    assert (row.status, row.last_error) == ("skipped", "the commitment is closed")


def test_snooze_replaces_the_reminders_it_covers_with_one_when_it_ends(world: World) -> None:
    commitment = world.commitment(world.member("U0ALICE"), LONDON_DUE)
    world.tick(utc(2026, 11, 25, 9, 0))
    from bot.flows.commitments_changes import snooze
    from coaching.commitments import SnoozeChoice

    world.clock.set(utc(2026, 11, 25, 9, 5))
    snooze(world.services, world.workspace_id(), 1, commitment, SnoozeChoice.WEEK)
    assert world.get(commitment).snoozed_until == utc(2026, 12, 2, 9)
    for at in hours(utc(2026, 11, 25, 10), utc(2026, 12, 5, 10), timedelta(hours=4)):
        world.tick(at)
    assert nudge_keys(world) == ["before-1", "snooze-20261202T0900Z"]
    assert world.get(commitment).nudges_sent == 2


def test_fewer_and_paused_nudges_and_a_members_own_hours(world: World) -> None:
    world.slack.add_user("U0FEWER", tz="Europe/London")
    world.slack.add_user("U0PAUSED", tz="Europe/London")
    world.slack.add_user("U0EARLY", tz="Europe/London")
    world.commitment(world.member("U0FEWER", settings={"nudges": "fewer"}), LONDON_DUE)
    world.commitment(world.member("U0PAUSED", settings={"nudges": "paused"}), LONDON_DUE)
    early = {"working_hours": {"start": "07:00", "end": "15:00", "days": ["mon", "tue", "wed", "thu"]}}
    world.commitment(world.member("U0EARLY", settings=early), LONDON_DUE)
    for at in hours(utc(2026, 11, 24, 1), utc(2026, 12, 4, 1), timedelta(hours=2)):  # on odd hours
        world.tick(at)
    sent = world.sent("nudge")
    assert [at for user, at in sent if user == "U0FEWER"] == [utc(2026, 11, 26, 9), utc(2026, 12, 1, 9)]
    assert [at for user, at in sent if user == "U0PAUSED"] == []
    # Mon–Thu 07:00–15:00: the day before (Wed), the day, then 1 and 3 of *their* working days later.
    assert [at for user, at in sent if user == "U0EARLY"] == [
        utc(2026, 11, 25, 7),
        utc(2026, 11, 26, 7),
        utc(2026, 11, 30, 7),
        utc(2026, 12, 2, 7),
    ]


def test_workspace_working_hours_apply_to_everyone_without_their_own(world: World) -> None:
    with world.db.session() as session:
        from storage.models import Workspace

        workspace = session.get(Workspace, world.workspace_id())
        assert workspace is not None
        workspace.settings = {"working_hours": {"start": "10:30", "end": "16:00"}}
    world.commitment(world.member("U0ALICE"), LONDON_DUE)
    world.tick(utc(2026, 11, 25, 9, 0))
    assert world.sent("nudge") == []
    world.tick(utc(2026, 11, 25, 10, 30))
    assert nudge_keys(world) == ["before-1"]


def test_a_member_whose_time_zone_changed_is_nudged_in_the_new_one(world: World) -> None:
    world.commitment(world.member("U0ALICE"), LONDON_DUE)  # known to Parley (on the 23rd) as London
    world.slack.add_user("U0ALICE", name="alice", real_name="Alice Example", tz="Asia/Tokyo")  # she moved
    # Once the cached profile is a day old and a nudge is near, users.info is asked again.
    for at in hours(utc(2026, 11, 24, 12), utc(2026, 11, 26, 1)):
        world.tick(at)
    sent = [(row.dedupe_key.rsplit(":", 1)[1], row.sent_at) for row in world.outbox("nudge")]
    assert sent == [("before-1", utc(2026, 11, 25, 0)), ("due", utc(2026, 11, 26, 0))]  # 09:00 in Tokyo
    assert world.get_member(1).tz == "Asia/Tokyo"
    assert 1 <= len(world.slack.calls_to("users.info")) <= 2  # at most once a day, not every run


def test_the_commitment_lapses_at_midnight_at_the_end_of_its_day_in_the_owners_zone(world: World) -> None:
    world.slack.add_user("U0HONOLULU", tz="Pacific/Honolulu")
    commitment = world.commitment(world.member("U0HONOLULU"), LONDON_DUE)
    world.tick(utc(2026, 11, 27, 9, 59))  # 23:59 on the 26th in Honolulu
    assert world.get(commitment).status == "open"
    world.tick(utc(2026, 11, 27, 10, 0))
    lapsed = world.get(commitment)
    assert (lapsed.status, lapsed.closed_at) == ("lapsed", utc(2026, 11, 27, 10))
    world.tick(utc(2026, 11, 27, 19, 0))  # 09:00 on the 27th there: still chased, "after-1"
    assert nudge_keys(world)[-1] == "after-1"


def test_whatever_the_tick_pattern_nudges_land_in_working_hours_and_never_twice(world: World) -> None:
    """Irregular runs (a minute apart, or hours: outages) for members all around the world."""
    import random
    from zoneinfo import ZoneInfo

    from coaching.worktime import WorkingHours

    zones = [
        "Pacific/Honolulu",
        "Pacific/Kiritimati",
        "America/New_York",
        "Asia/Kathmandu",
        "Australia/Lord_Howe",
    ]
    for n, tz in enumerate(zones):
        user = f"U0Z{n}"
        world.slack.add_user(user, tz=tz)
        member = world.member(user)
        for due in (date(2026, 3, 31), date(2026, 4, 3), date(2026, 4, 6)):  # around the April DST changes
            world.commitment(member, due, text=f"{user} {due}")
    rng = random.Random(20260323)
    at = utc(2026, 3, 26, 0)
    while at < utc(2026, 4, 14, 0):
        world.tick(at)
        at += timedelta(minutes=rng.choice([1, 7, 45, 90, 180, 400, 700]))
    sent = [row for row in world.outbox("nudge") if row.status == "sent"]
    assert len({row.dedupe_key for row in sent}) == len(sent)
    hours_ok = WorkingHours()
    zone_of = {f"U0Z{n}": tz for n, tz in enumerate(zones)}
    for row in sent:
        assert row.sent_at is not None
        local = row.sent_at.astimezone(ZoneInfo(zone_of[row.target]))
        assert hours_ok.contains(local.replace(tzinfo=None)), (row.dedupe_key, local)
    per_commitment = {row.payload["commitment_id"] for row in sent}
    assert len(per_commitment) == 15  # every commitment was nudged at least once
    assert max(sum(1 for r in sent if r.payload["commitment_id"] == c) for c in per_commitment) <= 4


def test_the_nudge_speaks_to_the_style_and_says_what_outcome_it_is_part_of(world: World) -> None:
    world.slack.add_user("U0CLOSER", tz="Europe/London")
    world.slack.add_user("U0DIPLOMAT", tz="Europe/London")
    closer = world.member("U0CLOSER", style="closer")
    diplomat = world.member("U0DIPLOMAT", style="diplomat")
    deal = world.negotiation(closer, date(2026, 11, 20), title="Q3 renewal with Acme")
    world.commitment(closer, LONDON_DUE, text="Send the signed order form", negotiation_id=deal)
    world.commitment(diplomat, LONDON_DUE, text="Send the signed order form")
    world.tick(utc(2026, 11, 26, 9))
    texts = world.texts("nudge")
    assert texts["U0CLOSER"] == (
        "Due today: The deal isn't closed until this is done: “Send the signed order form” "
        "(due Thu 26 Nov 2026)."
        " It is part of Q3 renewal with Acme."
    )
    assert texts["U0DIPLOMAT"].startswith("Due today: They are counting on this")
    [closer_nudge] = [m for m in world.parley.dms("U0CLOSER") if m["text"].startswith("Due today")]
    actions = [
        e["action_id"] for b in closer_nudge["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert actions == ["commitment_done", "commitment_snooze", "commitment_cancel", "commitment_settings"]
    assert "Part of *Q3 renewal with Acme*" in str(closer_nudge["blocks"])


def test_a_commitment_the_other_side_owns_is_chased_by_the_member_it_is_owed_to(world: World) -> None:
    """As a debrief records them: owner "Acme" (not a member), owed to the member who negotiated."""
    alice = world.member("U0ALICE")
    with world.db.session() as session:
        from storage.queries.commitments import NewCommitment, create_commitment

        create_commitment(
            session,
            world.workspace_id(),
            NewCommitment(
                text="Send the signed PO", due=LONDON_DUE, currency="USD", source="debrief",
                owner_label="Acme", owed_to_id=alice,
            ),
        )  # fmt: skip
    world.tick(utc(2026, 11, 26, 9))
    assert world.texts("nudge") == {  # worded for the person owed, not coached as their own (issue 15)
        "U0ALICE": "Due today: Acme owes you “Send the signed PO” (due Thu 26 Nov 2026)."
        " Check it has arrived, and mark it received when it has."
    }
