"""The organisation roll-up: groups by team, counterpart kind and style, small cells suppressed,
recurring giveaways."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from coaching.counterparts import CounterpartKind
from coaching.digests.manager import _non_responders
from coaching.digests.metrics import WeekMetrics, metrics_of
from coaching.digests.rows import NO_STYLE, NO_TEAM, CommitmentRow, ConcessionRow, WeekRows
from coaching.digests.tallies import Tally, commitment_tally, concession_tally, outcome_tally
from coaching.digests.trends import Trend, money_show, standard_trends, trend
from coaching.matching import normalise
from coaching.money import MoneyTotals
from coaching.playbook import Playbook
from coaching.styles import Style, profile_for


@dataclass(frozen=True, slots=True)
class RollupRow:
    """One group of the organisation roll-up (a team, a counterpart kind, a style, or a style with
    one kind of counterpart). ``trend``: its money left behind against its earlier weeks;
    ``members``: how many members have that style (style rows only)."""

    key: str
    label: str
    negotiations: int
    agreed: int
    conceded: MoneyTotals
    received: MoneyTotals
    giveaways: int
    money_left_behind: MoneyTotals
    trend: Trend | None = None
    members: int | None = None
    suppressed: bool = False
    """Too small a group to show without pointing at a person: only its label is kept."""

    def too_small(self, min_cell: int) -> bool:
        """Fewer negotiations than ``min_cell``, or (when known) fewer members."""
        return self.negotiations < min_cell or (self.members is not None and self.members < min_cell)

    def hidden(self) -> RollupRow:
        """This row with every number removed (the label stays, so the reader knows it exists)."""
        return RollupRow(
            self.key, self.label, 0, 0, MoneyTotals(), MoneyTotals(), 0, MoneyTotals(), suppressed=True
        )


@dataclass(frozen=True, slots=True)
class RecurringGiveaway:
    """An item given away more than once (matched like limits: case and punctuation ignored)."""

    item: str
    count: int
    total: MoneyTotals


@dataclass(frozen=True, slots=True)
class OrgDigest:
    week_start: date
    metrics: WeekMetrics
    trends: tuple[Trend, ...]
    by_team: tuple[RollupRow, ...]
    by_kind: tuple[RollupRow, ...]
    by_style: tuple[RollupRow, ...]
    recurring_giveaways: tuple[RecurringGiveaway, ...]
    hotspots: tuple[RollupRow, ...] = ()
    """Style × counterpart kind pairs that left the most money behind this week, most first."""
    non_responders: int = 0
    """Members with overdue commitments whose nudges went unanswered (a count: never names)."""


@dataclass(frozen=True, slots=True)
class GroupTally:
    """A tally labelled for the roll-up: one member's week with one kind of counterpart (or, with
    ``counterpart_kind`` None, the parts of a week that have no counterpart, like commitments).
    ``weeks_ago``: 0 for the digest's week, 1 for the week before, and so on."""

    weeks_ago: int
    team: str | None
    style: Style | None
    counterpart_kind: CounterpartKind | None
    tally: Tally


def _style_label(key: str) -> str:
    return profile_for(None if key == NO_STYLE else Style(key)).label


def _style_key(style: Style | None) -> str:
    return style.value if style else NO_STYLE


def _rollup(
    groups: Sequence[GroupTally],
    key_of: Callable[[GroupTally], str | None],
    label_of: Callable[[str], str],
    *,
    earlier_weeks: int,
    currency: str,
    members: Mapping[str, int] | None = None,
) -> tuple[RollupRow, ...]:
    by_key: dict[str, dict[int, list[Tally]]] = {key: {} for key in members or {}}
    for group in groups:
        key = key_of(group)
        if key is not None:
            by_key.setdefault(key, {}).setdefault(group.weeks_ago, []).append(group.tally)
    rows = []
    show = money_show(currency)
    for key in sorted(by_key):
        weeks = by_key[key]
        if 0 not in weeks and key not in (members or {}):
            continue  # nothing this week: not a row of this week's roll-up
        now = Tally.total([Tally(), *weeks.get(0, [])])
        series = [
            Tally.total([Tally(), *weeks.get(ago, [])]).money_left_behind.get(currency).amount_minor
            for ago in range(earlier_weeks, -1, -1)
        ]
        rows.append(
            RollupRow(
                key=key,
                label=label_of(key),
                negotiations=now.negotiations,
                agreed=now.agreed,
                conceded=now.conceded,
                received=now.received,
                giveaways=now.giveaways,
                money_left_behind=now.money_left_behind,
                trend=trend("Money left behind", series, higher_is_better=False, show=show),
                members=members.get(key, 0) if members is not None else None,
            )
        )
    return tuple(rows)


def recurring_giveaways(
    rows: Iterable[ConcessionRow], currency: str, *, top: int = 5
) -> tuple[RecurringGiveaway, ...]:
    """Items given away at least twice, most often first, then by total cost in ``currency``,
    then alphabetically; shown with the wording of their first occurrence."""
    grouped: dict[str, list[ConcessionRow]] = {}
    for row in rows:
        if row.concession.is_giveaway:
            grouped.setdefault(normalise(row.concession.item), []).append(row)
    found = [
        RecurringGiveaway(
            group[0].concession.item, len(group), MoneyTotals.of(r.concession.cost for r in group)
        )
        for key, group in grouped.items()
        if len(group) >= 2 and key
    ]
    found.sort(key=lambda g: (-g.count, -g.total.get(currency).amount_minor, normalise(g.item)))
    return tuple(found[:top])


def org_digest_of(
    week_start: date,
    groups: Sequence[GroupTally],
    *,
    giveaways: Sequence[ConcessionRow] = (),
    recurring_pool: Sequence[ConcessionRow] = (),
    commitments: Sequence[CommitmentRow] = (),
    style_counts: Mapping[Style | None, int] | None = None,
    earlier_weeks: int = 4,
    today: date,
    playbook: Playbook,
    top: int = 5,
) -> OrgDigest:
    """The organisation roll-up from labelled tallies: totals and trends, per team, counterpart kind
    and style (with each group's trend of money left behind), the style × kind pairs leaving most
    money behind, and the items given away most often in ``recurring_pool`` (this week and the
    earlier ones). ``giveaways``: this week's, to name the most expensive; ``style_counts``: how many
    members have each style (the style distribution)."""
    currency = playbook.policy.default_currency
    earlier_weeks = max(0, min(4, earlier_weeks))
    by_week: dict[int, list[Tally]] = {}
    for group in groups:
        by_week.setdefault(group.weeks_ago, []).append(group.tally)
    current = Tally.total([Tally(), *by_week.get(0, [])])
    earlier = [Tally.total([Tally(), *by_week.get(ago, [])]) for ago in range(earlier_weeks, 0, -1)]
    metrics = metrics_of(
        current, giveaways=giveaways, commitments=commitments, today=today, playbook=playbook
    )
    counted = {_style_key(style): count for style, count in (style_counts or {}).items()}

    def kind_key(group: GroupTally) -> str | None:
        return group.counterpart_kind.value if group.counterpart_kind else None

    def pair_key(group: GroupTally) -> str | None:
        if group.counterpart_kind is None:
            return None
        return f"{_style_key(group.style)}/{group.counterpart_kind.value}"

    def pair_label(key: str) -> str:
        style, kind = key.split("/", 1)
        return f"{_style_label(style)} with {CounterpartKind(kind).label.lower()}"

    pairs = [
        row
        for row in _rollup(groups, pair_key, pair_label, earlier_weeks=earlier_weeks, currency=currency)
        if row.money_left_behind.get(currency).amount_minor > 0
    ]
    pairs.sort(key=lambda row: (-row.money_left_behind.get(currency).amount_minor, row.key))
    return OrgDigest(
        week_start=week_start,
        metrics=metrics,
        trends=standard_trends([*earlier, current], currency),
        by_team=_rollup(
            groups,
            lambda g: g.team or NO_TEAM,
            lambda key: key,
            earlier_weeks=earlier_weeks,
            currency=currency,
        ),
        by_kind=_rollup(
            groups,
            kind_key,
            lambda key: CounterpartKind(key).label,
            earlier_weeks=earlier_weeks,
            currency=currency,
        ),
        by_style=_rollup(
            [g for g in groups if g.counterpart_kind is not None or counted],
            lambda g: _style_key(g.style),
            _style_label,
            earlier_weeks=earlier_weeks,
            currency=currency,
            members=counted or None,
        ),
        recurring_giveaways=recurring_giveaways(recurring_pool, currency, top=top),
        hotspots=tuple(pairs[:top]),
        non_responders=len(_non_responders(commitments, today)),
    )


def _groups_of(week: WeekRows, weeks_ago: int) -> list[GroupTally]:
    groups = [
        GroupTally(weeks_ago, row.team, row.style, row.counterpart_kind, outcome_tally(row.outcome))
        for row in week.negotiations
    ]
    groups.extend(
        GroupTally(
            weeks_ago,
            row.team,
            row.style,
            row.counterpart_kind,
            concession_tally(row.concession, limit_breached=row.limit_breached),
        )
        for row in week.concessions
    )
    groups.extend(
        GroupTally(weeks_ago, row.team, None, None, commitment_tally(row.status)) for row in week.commitments
    )
    return groups


def suppress_small_cells(
    digest: OrgDigest, min_cell: int, team_members: Mapping[str, int] | None = None
) -> OrgDigest:
    """The roll-up with every cell under ``min_cell`` hidden, so "never individuals" stays true.

    A team, counterpart or style row with fewer negotiations than ``min_cell`` — or fewer members, where
    the count is known (styles; teams via ``team_members`` by label) — keeps its label and loses its
    numbers; a style × counterpart hotspot or a recurring giveaway under it is dropped. The totals
    above the rows are the whole organisation's and stay.
    """
    members = team_members or {}

    def team(row: RollupRow) -> RollupRow:
        small = row.too_small(min_cell) or members.get(row.label, min_cell) < min_cell
        return row.hidden() if small else row

    def group(row: RollupRow) -> RollupRow:
        return row.hidden() if row.too_small(min_cell) else row

    return replace(
        digest,
        by_team=tuple(team(row) for row in digest.by_team),
        by_kind=tuple(group(row) for row in digest.by_kind),
        by_style=tuple(group(row) for row in digest.by_style),
        hotspots=tuple(row for row in digest.hotspots if not row.too_small(min_cell)),
        recurring_giveaways=tuple(g for g in digest.recurring_giveaways if g.count >= min_cell),
    )


def org_digest(
    week: WeekRows, history: Sequence[WeekRows], *, today: date, playbook: Playbook, top: int = 5
) -> OrgDigest:
    """The organisation roll-up: totals and trends, per team / counterpart kind / style, and the
    items given away most often over this week and the earlier ones."""
    ordered = sorted(history, key=lambda w: w.week_start)[-4:]
    groups = _groups_of(week, 0)
    for ago, earlier in enumerate(reversed(ordered), start=1):
        groups.extend(_groups_of(earlier, ago))
    return org_digest_of(
        week.week_start,
        groups,
        giveaways=week.concessions,
        recurring_pool=[row for w in (*history, week) for row in w.concessions],
        commitments=week.commitments,
        earlier_weeks=len(ordered),
        today=today,
        playbook=playbook,
        top=top,
    )
