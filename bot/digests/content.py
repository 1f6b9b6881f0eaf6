"""The digests' template contexts: :mod:`coaching.digests` results turned into display strings.

Plain data in, plain data out (no Slack, no database): every number is formatted here once, so the
templates only place strings and the tests can read the digest as a person would. User text (names,
items, commitments) stays raw here — the templates escape it — except inside the fixed-width team
tables, where backticks and line breaks are replaced so a name can never close the code block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Final

from coaching.dates import day_words
from coaching.debrief import CurrencyBalance
from coaching.digests import (
    LearnerDigest,
    ManagerDigest,
    OrgDigest,
    RollupRow,
    Trend,
    WeekMetrics,
)
from coaching.money import Money, MoneyTotals
from coaching.phrasing import format_ratio, plural
from coaching.styles import profile_for
from coaching.vocabulary import is_active
from storage.queries.digests import MemberInfo
from templates import Trusted, app_text, escape_mrkdwn, trusted

TABLE_ROWS_PER_BLOCK: Final = 15
TABLE_MAX_ROWS: Final = 60
LIST_MAX: Final = 8
NAME_WIDTH: Final = 18
SETTINGS_HINT: Final = app_text(
    "`/negotiate digest weekly`, `fortnightly` or `off` sets how often you get this; "
    "`/negotiate digest quiet skip` skips quiet weeks."
)


# ------------------------------------------------------------------------------------------ wording


def period_words(start: date, weeks: int, in_progress: bool, today: date) -> str:
    """``Mon 16 Nov – Sun 22 Nov 2026``, or ``since Mon 23 Nov`` for the week in progress."""
    if in_progress:
        return f"since {day_words(start)}"
    end = start + timedelta(days=7 * weeks - 1)
    return f"{day_words(start, year=start.year != end.year)} – {day_words(end)}"


def money_words(totals: MoneyTotals, empty: str = "none") -> str:
    return totals.format(empty=empty)


def signed(money: Money) -> str:
    return f"+{money}" if money.amount_minor > 0 else str(money)


def outcome_words(metrics: WeekMetrics) -> str:
    """``3 negotiations: 2 agreed, 1 no deal`` (empty when there were none)."""
    if metrics.negotiations == 0:
        return ""
    parts = []
    for count, word in ((metrics.agreed, "agreed"), (metrics.no_deal, "no deal"), (metrics.paused, "paused")):
        if count:
            parts.append(f"{count} {word}")
    return f"{plural(metrics.negotiations, 'negotiation')}: {', '.join(parts)}"


def balance_lines(balances: Sequence[CurrencyBalance]) -> list[dict[str, Any]]:
    return [
        {
            "currency": b.currency,
            "gave": str(b.conceded),
            "got": str(b.received),
            "ratio": format_ratio(b.ratio) if b.ratio is not None else "",
            "difference": signed(b.difference),
            "low": b.needs_attention,
        }
        for b in balances
    ]


def nothing_logged(metrics: WeekMetrics) -> bool:
    """No concession was logged at all: "no giveaways" would claim something nobody recorded."""
    return metrics.giveaways == 0 and metrics.conceded.is_empty() and metrics.received.is_empty()


def left_behind_note(metrics: WeekMetrics) -> str:
    """Why money left behind differs from the giveaways' worth, when it does.

    Left behind counts every concession's shortfall — a giveaway's whole cost, and for a trade the
    amount it cost beyond what came back — so it is the larger number whenever a trade was uneven.
    """
    if metrics.money_left_behind.is_zero() or metrics.money_left_behind == metrics.giveaway_total:
        return ""
    if metrics.giveaways:
        return (
            "Money left behind is the giveaways plus what trades cost beyond what came back, "
            "so it is more than the giveaways alone."
        )
    return "No giveaways, but some trades cost more than what came back: that shortfall is left behind."


def small_base(negotiations: int, min_base: int) -> str:
    """A note when a section rests on too few negotiations to read much into (empty otherwise)."""
    if negotiations == 0 or negotiations >= min_base:
        return ""
    return f"Based on only {plural(negotiations, 'negotiation')}: read it as a snapshot, not a trend yet."


def giveaway_words(metrics: WeekMetrics) -> str:
    if not metrics.giveaways:
        return ""
    worth = f" worth {metrics.giveaway_total}" if not metrics.giveaway_total.is_empty() else ""
    return f"{plural(metrics.giveaways, 'giveaway')}{worth}"


def trend_lines(trends: Sequence[Trend]) -> list[dict[str, str]]:
    return [
        {
            "label": t.label,
            "words": t.words,
            "spark": t.sparkline,
            "mood": "" if t.better is None else ("better" if t.better else "worse"),
        }
        for t in trends
    ]


def cell(text: str, width: int) -> str:
    """A fixed-width table cell: no backticks or line breaks, cut with ``…``, padded."""
    clean = " ".join(text.replace("`", "'").split())
    if len(clean) > width:
        clean = clean[: width - 1] + "…"
    return clean.ljust(width)


def chunks(rows: Sequence[str], size: int = TABLE_ROWS_PER_BLOCK) -> list[list[str]]:
    return [list(rows[i : i + size]) for i in range(0, len(rows), size)]


def compact(money: Money) -> str:
    """``3.3k USD`` — short enough for a table column."""
    units = abs(money.amount_minor) / 10**money.decimals
    sign = "-" if money.amount_minor < 0 else ""
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if units >= limit:
            value = f"{units / limit:.1f}".rstrip("0").rstrip(".")
            return f"{sign}{value}{suffix} {money.currency}"
    return f"{sign}{units:,.0f} {money.currency}"


def _ratio_cell(metrics: WeekMetrics, currency: str) -> str:
    balance = metrics.balance_in(currency)
    if balance is None or balance.ratio is None:
        return "—"
    return format_ratio(balance.ratio) + (" !" if balance.needs_attention else "")


# ------------------------------------------------------------------------------------------ learner


def learner_context(
    digest: LearnerDigest,
    *,
    period: str,
    currency: str,
    next_negotiation: tuple[int, str, date | None] | None,
    every_weeks: int,
    in_progress: bool,
    upcoming_until: date | None = None,
    min_base: int = 1,
) -> dict[str, Any]:
    metrics = digest.metrics
    profile = profile_for(digest.style)
    title = (
        "Your week so far"
        if in_progress
        else ("Your two weeks in negotiations" if every_weeks == 2 else "Your week in negotiations")
    )
    prep: dict[str, Any] = {"ref": None, "title": "", "when": ""}
    if next_negotiation is not None:
        negotiation_id, name, when = next_negotiation
        prep = {
            "ref": {"negotiation_id": negotiation_id},
            "title": name,
            "when": day_words(when) if when else "",
        }
    footer = "You get this every other week. " if every_weeks == 2 else ""
    return {
        "title": title,
        "period": period,
        "quiet": digest.quiet,
        "headline": digest.headline,
        "outcomes": outcome_words(metrics),
        "balances": balance_lines(metrics.balances),
        "giveaways": giveaway_words(metrics),
        "logged": not nothing_logged(metrics),
        "left_behind": "" if metrics.money_left_behind.is_zero() else str(metrics.money_left_behind),
        "left_note": left_behind_note(metrics),
        "base_note": small_base(metrics.negotiations, min_base),
        "top_giveaway": digest.top_giveaway or "",
        "limits": (
            "You went past a limit from your prep "
            + ("once." if metrics.limits_breached == 1 else f"{metrics.limits_breached} times.")
            if metrics.limits_breached
            else ""
        ),
        "kept": metrics.commitments_kept,
        "lapsed": metrics.commitments_lapsed,
        "upcoming": [
            {"what": row.what, "due": day_words(row.due)} for row in metrics.commitments_upcoming[:LIST_MAX]
        ],
        "more_upcoming": max(0, len(metrics.commitments_upcoming) - LIST_MAX),
        "upcoming_until": day_words(upcoming_until) if upcoming_until else "",
        "trends": trend_lines(digest.trends),
        "tip": digest.tip,
        "style_label": profile.label,
        "has_style": digest.style is not None,
        "prep": prep,
        "footer": app_text(footer + SETTINGS_HINT),
        "in_progress": in_progress,
        "currency": currency,
    }


# ------------------------------------------------------------------------------------------ manager

TEAM_HEADER: Final = (
    f"{cell('Member', NAME_WIDTH)} {cell('Deals', 6)} {cell('Get/give', 8)} "
    f"{cell('Giveaways', 9)} {cell('Left behind', 12)} {cell('Kept/lapsed', 11)}"
)


def team_row(name: str, metrics: WeekMetrics, currency: str) -> str:
    deals = f"{metrics.agreed}/{metrics.negotiations}" if metrics.negotiations else "0"
    left = metrics.money_left_behind.get(currency)
    left_text = compact(left) if left.amount_minor else "—"
    return (
        f"{cell(name, NAME_WIDTH)} {cell(deals, 6)} {cell(_ratio_cell(metrics, currency), 8)} "
        f"{cell(str(metrics.giveaways), 9)} {cell(left_text, 12)} "
        f"{cell(f'{metrics.commitments_kept}/{metrics.commitments_lapsed}', 11)}"
    ).rstrip()


def manager_context(
    digest: ManagerDigest,
    *,
    members: Mapping[str, MemberInfo],
    period: str,
    currency: str,
    in_progress: bool,
    min_base: int = 1,
) -> dict[str, Any]:
    def user(member_id: str) -> str:
        info = members.get(member_id)
        return info.slack_user_id if info else ""

    def name(member_id: str) -> str:
        info = members.get(member_id)
        return (info.display_name or info.slack_user_id) if info else "someone"

    flagged = {item.member_id for item in digest.needs_attention}
    lines = sorted(
        digest.members, key=lambda line: (line.member_id not in flagged, name(line.member_id).lower())
    )
    rows = [team_row(name(line.member_id), line.metrics, currency) for line in lines[:TABLE_MAX_ROWS]]
    metrics = digest.team_metrics
    active = sum(1 for line in digest.members if is_active(line.metrics.negotiations))
    headline = (
        f"{plural(len(digest.members), 'report')}, {active} active: "
        + (outcome_words(metrics) or "no negotiations logged")
        + "."
    )
    non = digest.non_responders
    return {
        "title": f"{digest.team or 'Your team'}: " + ("the week so far" if in_progress else "the week"),
        "period": period,
        "quiet": digest.quiet,
        "headline": headline,
        "balances": balance_lines(metrics.balances),
        "giveaways": giveaway_words(metrics),
        "logged": not nothing_logged(metrics),
        "left_behind": "" if metrics.money_left_behind.is_zero() else str(metrics.money_left_behind),
        "left_note": left_behind_note(metrics),
        "base_note": small_base(metrics.negotiations, min_base),
        "kept": metrics.commitments_kept,
        "lapsed": metrics.commitments_lapsed,
        "overdue_now": len(digest.overdue_commitments),
        "table_header": TEAM_HEADER,
        "table": chunks(rows),
        "more_rows": max(0, len(lines) - TABLE_MAX_ROWS),
        "attention": [
            {"user_id": user(item.member_id), "why": item.why}
            for item in digest.needs_attention[:LIST_MAX]
            if user(item.member_id)
        ],
        "more_attention": max(0, len(digest.needs_attention) - LIST_MAX),
        "overdue": [
            {
                "user_id": user(row.member_id),
                "what": row.what,
                "due": day_words(row.due),
            }
            for row in digest.overdue_commitments[:LIST_MAX]
            if user(row.member_id)
        ],
        "more_overdue": max(0, len(digest.overdue_commitments) - LIST_MAX),
        "approvals": [
            {
                "user_id": user(pending.row.proposer_id),
                "summary": pending.row.summary,
                "waited": waited(pending.age_hours),
            }
            for pending in digest.pending_approvals[:LIST_MAX]
            if user(pending.row.proposer_id)
        ],
        "more_approvals": max(0, len(digest.pending_approvals) - LIST_MAX),
        "non_responders": (
            {
                "summary": (
                    f"{plural(len(non), 'report')} with "
                    f"{plural(sum(n.commitments for n in non), 'overdue commitment')} and "
                    f"{plural(sum(n.nudges for n in non), 'unanswered nudge')} between them"
                ),
                "who": [user(n.member_id) for n in non[:LIST_MAX] if user(n.member_id)],
            }
            if non
            else None
        ),
        "trends": trend_lines(digest.trends),
        "in_progress": in_progress,
        "currency": currency,
    }


def waited(hours: int) -> str:
    if hours < 48:
        return plural(hours, "hour")
    return f"{hours // 24} days"


# ------------------------------------------------------------------------------------------ organisation

ORG_HEADER: Final = (
    f"{cell('Team', NAME_WIDTH + 4)} {cell('Deals', 6)} {cell('Get/give', 8)} "
    f"{cell('Left behind', 12)} {cell('Trend', 5)}"
)


def _hidden_words(min_cell: int) -> str:
    return f"fewer than {min_cell}: not shown"


def _rollup_line(row: RollupRow, currency: str, min_cell: int = 1) -> str:
    if row.suppressed:
        return f"{cell(row.label, NAME_WIDTH + 4)} {_hidden_words(min_cell)}"
    deals = f"{row.agreed}/{row.negotiations}" if row.negotiations else "0"
    given, got = row.conceded.get(currency), row.received.get(currency)
    ratio = got.ratio_to(given) if given.amount_minor else None
    left = row.money_left_behind.get(currency)
    return (
        f"{cell(row.label, NAME_WIDTH + 4)} {cell(deals, 6)} "
        f"{cell(format_ratio(ratio) if ratio is not None else '—', 8)} "
        f"{cell(compact(left) if left.amount_minor else '—', 12)} "
        f"{cell(row.trend.sparkline if row.trend else '', 5)}"
    ).rstrip()


def _group_words(row: RollupRow, currency: str, min_cell: int = 1) -> Trusted | str:
    if row.suppressed:
        return f"{_hidden_words(min_cell)} (too few to show without pointing at someone)"
    left = row.money_left_behind.get(currency)
    parts = [plural(row.negotiations, "negotiation"), f"{row.agreed} agreed"]
    if row.giveaways:
        parts.append(plural(row.giveaways, "giveaway"))
    parts.append(f"{compact(left)} left behind" if left.amount_minor else "nothing left behind")
    line = ", ".join(parts)
    if row.trend is not None and len(row.trend.values) > 1:
        spark, short = escape_mrkdwn(row.trend.sparkline), escape_mrkdwn(row.trend.short)
        return trusted(f"{escape_mrkdwn(line)} · `{spark}` {short}")  # the sparkline as code
    return line


def org_context(
    digest: OrgDigest,
    *,
    name: str,
    period: str,
    currency: str,
    members: int,
    in_progress: bool,
    min_cell: int = 1,
) -> dict[str, Any]:
    metrics = digest.metrics
    teams = sorted(
        digest.by_team, key=lambda r: (-r.money_left_behind.get(currency).amount_minor, r.label.lower())
    )
    rows = [_rollup_line(row, currency, min_cell) for row in teams[:TABLE_MAX_ROWS]]
    headline = (outcome_words(metrics) or "No negotiations logged") + (
        f"; {metrics.money_left_behind} left behind" if not metrics.money_left_behind.is_zero() else ""
    )
    return {
        "title": f"{name}: where the organisation left money behind",
        "period": period,
        "headline": headline + ".",
        "members": members,
        "balances": balance_lines(metrics.balances),
        "giveaways": giveaway_words(metrics),
        "left_note": left_behind_note(metrics),
        "kept": metrics.commitments_kept,
        "lapsed": metrics.commitments_lapsed,
        "trends": trend_lines(digest.trends),
        "min_cell": min_cell,
        "teams_header": ORG_HEADER,
        "teams": chunks(rows),
        "more_teams": max(0, len(teams) - TABLE_MAX_ROWS),
        "kinds": [{"label": r.label, "line": _group_words(r, currency, min_cell)} for r in digest.by_kind],
        "styles": [
            {
                "label": r.label,
                "members": "" if r.suppressed else str(r.members or 0),
                "line": (
                    _group_words(r, currency, min_cell)
                    if r.suppressed or r.negotiations or r.giveaways
                    else "no negotiations"
                ),
            }
            for r in digest.by_style
        ],
        "hotspots": [
            {
                "label": r.label,
                "left": str(r.money_left_behind.get(currency)),
                "detail": f"{plural(r.giveaways, 'giveaway')} in {plural(r.negotiations, 'negotiation')}",
            }
            for r in digest.hotspots
        ],
        "recurring": [
            {"item": g.item, "count": g.count, "total": money_words(g.total)}
            for g in digest.recurring_giveaways
        ],
        "non_responders": (
            f"{plural(digest.non_responders, 'person has', 'people have')} overdue commitments "
            "with unanswered reminders"
            if digest.non_responders
            else ""
        ),
        "in_progress": in_progress,
        "currency": currency,
    }
