"""Digests from tallies (what the storage layer's GROUP BY queries hand over) say what digests from
rows say; the extra pieces — non-responders, style × counterpart hot spots, charts — add up."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.counterparts import CounterpartKind
from coaching.debrief import Outcome
from coaching.digests import (
    CommitmentRow,
    CommitmentStatus,
    ConcessionRow,
    Direction,
    GroupTally,
    MemberWeek,
    NegotiationRow,
    NonResponder,
    Tally,
    WeekRows,
    _round_div,
    chart_series,
    concession_tally,
    learner_digest,
    learner_digest_of,
    manager_digest,
    manager_digest_of,
    org_digest,
    org_digest_of,
    outcome_tally,
    tally_of,
    tip_of_the_week,
    trend,
)
from coaching.items import Concession
from coaching.money import Money, MoneyTotals
from coaching.playbook import Playbook
from coaching.styles import Style


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


MONDAY = date(2025, 3, 10)
NOW = datetime(2025, 3, 10, 9, tzinfo=UTC)


def usd(minor: int) -> Money:
    return Money(minor, "USD")


def concession_row(member: str, c: Concession, **kw: object) -> ConcessionRow:
    return ConcessionRow(
        member,
        kw.get("team", "L&D"),  # type: ignore[arg-type]
        kw.get("style", Style.DIPLOMAT),  # type: ignore[arg-type]
        kw.get("kind", CounterpartKind.CUSTOMER),  # type: ignore[arg-type]
        c,
        MONDAY,
    )


def test_a_concessions_tally_follows_left_behind() -> None:
    assert concession_tally(Concession("gift", usd(300))) == Tally(
        conceded=MoneyTotals((usd(300),)),
        giveaways=1,
        giveaway_total=MoneyTotals((usd(300),)),
        money_left_behind=MoneyTotals((usd(300),)),
    )
    short = concession_tally(Concession("trade", usd(800), "x", usd(200)))
    assert short.money_left_behind == MoneyTotals((usd(600),)) and short.received == MoneyTotals((usd(200),))
    even = concession_tally(Concession("trade", usd(800), "x", usd(900)))
    assert even.money_left_behind == MoneyTotals((usd(0),))  # the currency shows, at zero
    unknown = concession_tally(Concession("trade", usd(800), "x"))
    assert unknown.money_left_behind.is_empty() and unknown.received.is_empty()
    other = concession_tally(Concession("trade", usd(800), "x", Money(900, "EUR")))
    assert other.money_left_behind.is_empty() and other.received == MoneyTotals((Money(900, "EUR"),))
    assert concession_tally(Concession("unpriced")) == Tally(giveaways=1)


def test_tallies_add_up_and_know_a_quiet_week() -> None:
    a = outcome_tally(Outcome.AGREED) + concession_tally(Concession("gift", usd(300)))
    b = Tally(commitments_kept=2) + concession_tally(Concession("gift", Money(5, "EUR")))
    total = Tally.total([a, b, Tally()])
    assert (total.negotiations, total.agreed, total.giveaways, total.commitments_kept) == (1, 1, 2, 2)
    assert total.giveaway_total == MoneyTotals((Money(5, "EUR"), usd(300)))
    assert Tally().is_quiet and not Tally(commitments_lapsed=1).is_quiet and not a.is_quiet
    assert Tally.total([a]) is a


concessions = st.builds(
    Concession,
    item=st.sampled_from(["day", "discount", "coaching"]),
    cost=st.none() | st.builds(usd, st.integers(0, 10**6)),
    received=st.none() | st.just("back"),
    received_value=st.none() | st.builds(usd, st.integers(0, 10**6)),
)
members = st.sampled_from(["ana", "bo", "cy"])


@st.composite
def weeks(draw: st.DrawFn, start: date = MONDAY) -> WeekRows:
    return WeekRows(
        start,
        tuple(
            NegotiationRow(m, "L&D", Style.CLOSER, CounterpartKind.CUSTOMER, o, start)
            for m, o in draw(st.lists(st.tuples(members, st.sampled_from(list(Outcome))), max_size=6))
        ),
        tuple(concession_row(m, c) for m, c in draw(st.lists(st.tuples(members, concessions), max_size=8))),
        tuple(
            CommitmentRow(m, "L&D", "do it", start + timedelta(days=d), s, n)
            for m, d, s, n in draw(
                st.lists(
                    st.tuples(
                        members,
                        st.integers(-10, 10),
                        st.sampled_from(list(CommitmentStatus)),
                        st.integers(0, 3),
                    ),
                    max_size=6,
                )
            )
        ),
    )


@settings(max_examples=60, deadline=None)
@given(week=weeks(), history=st.lists(weeks(MONDAY - timedelta(weeks=1)), max_size=3))
def test_tally_digests_say_what_row_digests_say(
    playbook: Playbook, week: WeekRows, history: list[WeekRows]
) -> None:
    history = [replace(h, week_start=MONDAY - timedelta(weeks=n + 1)) for n, h in enumerate(history)]
    rows = learner_digest("ana", Style.CLOSER, week, history, today=MONDAY, playbook=playbook)
    own = week.for_member("ana")
    tallies = learner_digest_of(
        Style.CLOSER,
        MONDAY,
        MemberWeek("ana", tally_of(own), own.concessions, own.commitments),
        [tally_of(h.for_member("ana")) for h in sorted(history, key=lambda h: h.week_start)],
        today=MONDAY,
        playbook=playbook,
    )
    assert tallies == rows
    team = {"ana": Style.CLOSER, "bo": None}
    by_rows = manager_digest(team, week, history, now=NOW, today=MONDAY, playbook=playbook)
    assert by_rows.team_metrics == tally_metrics(playbook, week, team)
    assert org_digest(week, history, today=MONDAY, playbook=playbook).metrics.negotiations == len(
        week.negotiations
    )


def tally_metrics(playbook: Playbook, week: WeekRows, team: dict[str, Style | None]) -> object:
    weeks_of = {m: week.for_member(m) for m in team}
    digest = manager_digest_of(
        team,
        MONDAY,
        {m: MemberWeek(m, tally_of(w), w.concessions, w.commitments) for m, w in weeks_of.items()},
        [],
        now=NOW,
        today=MONDAY,
        playbook=playbook,
    )
    return digest.team_metrics


def test_managers_hear_who_does_not_answer_nudges(playbook: Playbook) -> None:
    commitments = (
        CommitmentRow("ana", None, "a", MONDAY - timedelta(days=3), CommitmentStatus.OPEN, 2),
        CommitmentRow("ana", None, "b", MONDAY - timedelta(days=1), CommitmentStatus.OPEN, 1),
        CommitmentRow(
            "bo", None, "c", MONDAY - timedelta(days=1), CommitmentStatus.OPEN, 0
        ),  # not nudged yet
        CommitmentRow("bo", None, "d", MONDAY + timedelta(days=1), CommitmentStatus.OPEN, 3),  # not due yet
        CommitmentRow("cy", None, "e", MONDAY - timedelta(days=9), CommitmentStatus.OPEN, 4),
    )
    weeks = {
        m: MemberWeek(m, Tally(), (), tuple(c for c in commitments if c.member_id == m))
        for m in ("ana", "bo", "cy")
    }
    digest = manager_digest_of(
        {"ana": None, "bo": None, "cy": None}, MONDAY, weeks, [], now=NOW, today=MONDAY, playbook=playbook
    )
    assert digest.non_responders == (NonResponder("cy", 1, 4), NonResponder("ana", 2, 3))
    assert [c.what for c in digest.overdue_commitments] == ["e", "a", "b", "c"]
    assert not digest.quiet


def test_the_roll_up_shows_the_style_distribution_and_where_money_was_left(playbook: Playbook) -> None:
    gift = concession_tally(Concession("gift", usd(50_000)))
    trade = concession_tally(Concession("trade", usd(10_000), "x", usd(4_000)))
    groups = [
        GroupTally(0, "Sales", Style.CLOSER, CounterpartKind.CUSTOMER, gift + outcome_tally(Outcome.AGREED)),
        GroupTally(0, "Sales", Style.CLOSER, CounterpartKind.SUPPLIER, trade),
        GroupTally(0, "L&D", Style.DIPLOMAT, CounterpartKind.MANAGEMENT, outcome_tally(Outcome.NO_DEAL)),
        GroupTally(1, "Sales", Style.CLOSER, CounterpartKind.CUSTOMER, gift),
        GroupTally(0, "L&D", None, None, Tally(commitments_kept=3)),
    ]
    digest = org_digest_of(
        MONDAY,
        groups,
        style_counts={Style.CLOSER: 4, Style.DIPLOMAT: 2, Style.STRATEGIST: 1, None: 5},
        earlier_weeks=1,
        today=MONDAY,
        playbook=playbook,
    )
    assert [(r.label, r.members, r.negotiations) for r in digest.by_style] == [
        ("🦁 Closer", 4, 1),
        ("🐬 Diplomat", 2, 1),
        ("🧭 No style yet", 5, 0),
        ("🦉 Strategist", 1, 0),
    ]
    assert [(r.label, r.money_left_behind.get("USD").amount_minor) for r in digest.hotspots] == [
        ("🦁 Closer with customer", 50_000),
        ("🦁 Closer with supplier", 6_000),
    ]
    sales = next(r for r in digest.by_team if r.key == "Sales")
    assert (
        sales.trend is not None and sales.trend.values == (50_000, 56_000) and sales.trend.short == "up 12 %"
    )
    assert digest.metrics.commitments_kept == 3 and digest.trends[0].values == (0, 2)
    assert [r.key for r in digest.by_kind] == ["customer", "management", "supplier"]


def test_chart_series_per_week() -> None:
    weeks = [
        (MONDAY - timedelta(weeks=1), concession_tally(Concession("gift", usd(300)))),
        (MONDAY, concession_tally(Concession("trade", usd(800), "x", usd(1_000)))),
    ]
    series = chart_series(weeks, "USD")
    assert series.balance == (-300, 200) and series.left_behind == (300, 0)
    assert series.week_starts == (MONDAY - timedelta(weeks=1), MONDAY) and not series.empty
    assert chart_series([(MONDAY, Tally())], "USD").empty


def test_short_trend_words() -> None:
    assert trend("x", [2, 2, 2, 2, 3], higher_is_better=None).short == "up 50 %"
    assert trend("x", [4000, 1], higher_is_better=None).short == "down 100 %"
    assert trend("x", [0, 3], higher_is_better=None).short == "up from none"
    assert trend("x", [5, 5], higher_is_better=None).short == "steady"
    assert trend("x", [5], higher_is_better=None).short == "new"
    assert trend("x", [10, 20, 30_000], higher_is_better=None).percent == 199_900


@settings(max_examples=300, deadline=None)
@given(
    numerator=st.integers(-(10**12), 10**12), denominator=st.integers(1, 10**6) | st.integers(-(10**6), -1)
)
def test_integer_rounding_matches_exact_fractions(numerator: int, denominator: int) -> None:
    exact = Fraction(numerator, denominator)
    expected = math.floor(abs(exact) + Fraction(1, 2)) * (1 if exact >= 0 else -1)
    assert _round_div(numerator, denominator) == expected


def test_a_tip_needs_a_cadence_of_at_least_a_week(playbook: Playbook) -> None:
    with pytest.raises(ValueError, match=exactly("every_weeks is at least 1")):
        tip_of_the_week(Style.CLOSER, MONDAY, playbook, every_weeks=0)
    assert trend("x", [1, 3], higher_is_better=True).direction is Direction.UP
