"""The loaded digest data arranged for building digests: tallies per member and week, and the rows
a digest names, indexed once per workspace so that building 10,000 digests does no searching.

Sums arrive from the database per member, week, counterpart kind and currency
(:mod:`storage.queries.digests`); :class:`Acc` adds them up with plain ints and dicts (cheap row by
row) and becomes a :class:`~coaching.digests.Tally` only when a digest needs one, once per member and
week, shared by every digest that reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from coaching.counterparts import CounterpartKind
from coaching.debrief import Outcome
from coaching.digests import (
    NO_MONEY,
    CommitmentRow,
    CommitmentStatus,
    ConcessionRow,
    MemberWeek,
    Tally,
)
from coaching.items import Concession
from coaching.money import Money, MoneyTotals, is_currency
from coaching.zones import parse_style as style_of
from storage.queries.digests import DigestData, MemberInfo, NextNegotiation


@dataclass
class Acc:
    """A tally being summed (plain ints and dicts: cheap to add up row by row)."""

    negotiations: int = 0
    agreed: int = 0
    no_deal: int = 0
    paused: int = 0
    giveaways: int = 0
    limits: int = 0
    kept: int = 0
    lapsed: int = 0
    conceded: dict[str, int] = field(default_factory=dict)
    received: dict[str, int] = field(default_factory=dict)
    giveaway_total: dict[str, int] = field(default_factory=dict)
    left_behind: dict[str, int] = field(default_factory=dict)

    def add(self, other: Acc) -> None:
        self.negotiations += other.negotiations
        self.agreed += other.agreed
        self.no_deal += other.no_deal
        self.paused += other.paused
        self.giveaways += other.giveaways
        self.limits += other.limits
        self.kept += other.kept
        self.lapsed += other.lapsed
        for mine, theirs in (
            (self.conceded, other.conceded),
            (self.received, other.received),
            (self.giveaway_total, other.giveaway_total),
            (self.left_behind, other.left_behind),
        ):
            for currency, amount in theirs.items():
                mine[currency] = mine.get(currency, 0) + amount

    def tally(self) -> Tally:
        if not (
            self.negotiations
            or self.conceded
            or self.received
            or self.giveaways
            or self.kept
            or self.lapsed
            or self.limits
            or self.left_behind
        ):
            return EMPTY
        return Tally(
            negotiations=self.negotiations,
            agreed=self.agreed,
            no_deal=self.no_deal,
            paused=self.paused,
            conceded=_totals(self.conceded),
            received=_totals(self.received),
            giveaways=self.giveaways,
            giveaway_total=_totals(self.giveaway_total),
            money_left_behind=_totals(self.left_behind),
            limits_breached=self.limits,
            commitments_kept=self.kept,
            commitments_lapsed=self.lapsed,
        )


EMPTY: Final = Tally()


def _totals(sums: Mapping[str, int]) -> MoneyTotals:
    if not sums:
        return NO_MONEY
    return MoneyTotals(tuple(Money(sums[code], code) for code in sorted(sums) if is_currency(code)))


def _put(target: dict[str, int], currency: str, amount: int | None) -> None:
    if amount is not None:
        target[currency] = target.get(currency, 0) + int(amount)


def _kind(value: str) -> CounterpartKind:
    try:
        return CounterpartKind(value)
    except ValueError:
        return CounterpartKind.OTHER


def _outcome(value: str) -> Outcome | None:
    try:
        return Outcome(value)
    except ValueError:
        return None


@dataclass
class DigestIndex:
    """The loaded data arranged for the digests: tallies per member and window, and their rows."""

    data: DigestData
    weeks: int  # windows loaded per member (window index weeks-1 is the digest's last week)
    by_kind: dict[tuple[int, int, CounterpartKind | None], Acc] = field(default_factory=dict)
    by_week: dict[tuple[int, int], Acc] = field(default_factory=dict)
    giveaways: dict[int, list[tuple[int, ConcessionRow]]] = field(default_factory=dict)
    commitments: dict[int, list[CommitmentRow]] = field(default_factory=dict)
    members: dict[int, MemberInfo] = field(default_factory=dict)
    reports: dict[int, list[MemberInfo]] = field(default_factory=dict)
    team_weeks: dict[int | None, dict[int, Acc]] = field(default_factory=dict)
    _tallies: dict[tuple[int, int], Tally] = field(default_factory=dict)
    next_negotiations: dict[int, NextNegotiation] = field(default_factory=dict)

    @classmethod
    def of(cls, data: DigestData, weeks: int) -> DigestIndex:
        index = cls(data, weeks)
        index.members = {m.id: m for m in data.members}
        index.next_negotiations = {n.member_id: n for n in data.next_negotiations}
        for member in data.members:
            if member.manager_id is not None:
                index.reports.setdefault(member.manager_id, []).append(member)
        for row in data.ledger:
            acc = index._acc(row.member_id, row.week, _kind(row.counterpart_kind))
            _put(acc.conceded, row.currency, row.conceded)
            _put(acc.received, row.currency, row.received)
            acc.giveaways += int(row.giveaways or 0)
            _put(acc.giveaway_total, row.currency, row.giveaway_total)
            _put(acc.left_behind, row.currency, row.left_behind)
        for outcome_row in data.outcomes:
            acc = index._acc(outcome_row.member_id, outcome_row.week, _kind(outcome_row.counterpart_kind))
            outcome = _outcome(outcome_row.outcome)
            count = int(outcome_row.count)
            acc.negotiations += count
            acc.agreed += count if outcome is Outcome.AGREED else 0
            acc.no_deal += count if outcome is Outcome.NO_DEAL else 0
            acc.paused += count if outcome is Outcome.PAUSED else 0
            acc.limits += int(outcome_row.limits_breached or 0)
        for closed in data.closed_commitments:
            acc = index._acc(closed.member_id, closed.week, None)
            if closed.status == "done":
                acc.kept += int(closed.count)
            elif closed.status == "lapsed":
                acc.lapsed += int(closed.count)
        for (member_id, week, _), acc in index.by_kind.items():
            index.by_week.setdefault((member_id, week), Acc()).add(acc)
        for giveaway in data.giveaways:
            giver = index.members.get(giveaway.member_id)
            if giver is None:
                continue
            cost = (
                Money(int(giveaway.value_minor), giveaway.currency)
                if giveaway.value_minor is not None and is_currency(giveaway.currency)
                else None
            )
            index.giveaways.setdefault(giveaway.member_id, []).append(
                (
                    giveaway.week,
                    ConcessionRow(
                        str(giver.id),
                        None,
                        style_of(giver.style),
                        _kind(giveaway.counterpart_kind),
                        Concession(giveaway.item, cost),
                        date.min,
                    ),
                )
            )
        for commitment in data.open_commitments:
            index.commitments.setdefault(commitment.member_id, []).append(
                CommitmentRow(
                    str(commitment.member_id),
                    None,
                    commitment.text,
                    commitment.due,
                    CommitmentStatus.OPEN,
                    int(commitment.nudges_unanswered or 0),
                )
            )
        for team_row in data.team_ledger:
            acc = index.team_weeks.setdefault(team_row.manager_id, {}).setdefault(team_row.week, Acc())
            _put(acc.conceded, team_row.currency, team_row.conceded)
            _put(acc.received, team_row.currency, team_row.received)
            _put(acc.left_behind, team_row.currency, team_row.left_behind)
        return index

    def _acc(self, member_id: int, week: int, kind: CounterpartKind | None) -> Acc:
        key = (member_id, week, kind)
        acc = self.by_kind.get(key)
        if acc is None:
            acc = self.by_kind[key] = Acc()
        return acc

    def week_tally(self, member_id: int, week: int) -> Tally:
        """One member's tally for one window (built once, then shared by every digest that needs it)."""
        key = (member_id, week)
        found = self._tallies.get(key)
        if found is None:
            acc = self.by_week.get(key)
            found = self._tallies[key] = acc.tally() if acc is not None else EMPTY
        return found

    def period(self, member_id: int, ago: int, every: int) -> Tally:
        """A member's tally for the period ``ago`` periods back (0 = the digest's own)."""
        last = self.weeks - 1 - ago * every
        if every == 1:
            return self.week_tally(member_id, last)
        acc = Acc()
        for week in range(last - every + 1, last + 1):
            found = self.by_week.get((member_id, week))
            if found is not None:
                acc.add(found)
        return acc.tally()

    def member_week(self, member_id: int, every: int) -> MemberWeek:
        first = self.weeks - every
        giveaways = tuple(row for week, row in self.giveaways.get(member_id, ()) if week >= first)
        return MemberWeek(
            str(member_id),
            self.period(member_id, 0, every),
            giveaways,
            tuple(self.commitments.get(member_id, ())),
        )

    def earlier(self, member_ids: Iterable[int], every: int, periods: int) -> list[Tally]:
        """The summed tallies of ``member_ids`` for the ``periods`` periods before the digest's,
        oldest first."""
        ids = list(member_ids)
        if len(ids) == 1:
            return [self.period(ids[0], ago, every) for ago in range(periods, 0, -1)]
        result = []
        for ago in range(periods, 0, -1):
            last = self.weeks - 1 - ago * every
            acc = Acc()
            for member_id in ids:
                for week in range(last - every + 1, last + 1):
                    found = self.by_week.get((member_id, week))
                    if found is not None:
                        acc.add(found)
            result.append(acc.tally())
        return result
