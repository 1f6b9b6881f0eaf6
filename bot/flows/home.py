"""App Home: the member's dashboard, published on ``app_home_opened`` and after every change to it.

Other flows call :func:`refresh_home` after they commit something the Home tab shows (a prep, a
debrief, a commitment, a trade decision). The tab is rebuilt from the database each time, in a fixed
number of queries, and always fits Slack's 100-block limit: each list shows its first few rows and a
*Show more* button that republishes it with that one list expanded (remembered in ``Member.settings``).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Final, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.flows.counterparts import min_cell, sharing_on, visible_overviews
from bot.metadata import NegotiationRef
from bot.playbook import playbook_for
from bot.services import Services
from coaching.counterpart_history import Overview, Viewer, can_see, contact_label
from coaching.counterparts import CounterpartKind
from coaching.dates import date_reader_of, dates_as, day_words
from coaching.debrief import Outcome, balance_by_currency
from coaching.money import Money, MoneyTotals, is_currency
from coaching.phrasing import format_ratio, plural
from coaching.styles import profile_for
from coaching.vocabulary import is_overdue
from coaching.zones import parse_style as _style
from coaching.zones import safe_zone as _zone
from storage.models import Member, Workspace
from storage.queries import home as queries
from storage.queries.assessments import lock_member, set_setting
from storage.queries.counterparts import count_overview, member_tree
from storage.queries.members import find_member
from storage.queries.team import is_admin
from templates import app_text, render_view
from templates.fit import truncate
from templates.ids.home import HomeSection
from templates.limits import VIEW_BLOCKS

logger = logging.getLogger(__name__)

COLLAPSED: Final = {
    HomeSection.NEGOTIATIONS: 8,
    HomeSection.COMMITMENTS: 8,
    HomeSection.OUTCOMES: 5,
    HomeSection.TEAM: 8,
    HomeSection.COUNTERPARTS: 5,
}
"""Rows each list shows before *Show more*."""
FRAME_BLOCKS: Final = 32
"""The most blocks ``views/home`` uses besides list rows: header, the manager-missing note (1), style
card (3), the start buttons (1), five lists with a divider, heading, summary and a more/fewer row each
(20), an admin's Administration section (4), closing divider and context (2)."""
ROW_BLOCKS: Final = {
    HomeSection.NEGOTIATIONS: 1,
    HomeSection.COMMITMENTS: 2,  # the commitment, and its Done / Snooze row
    HomeSection.OUTCOMES: 1,
    HomeSection.TEAM: 1,
    HomeSection.COUNTERPARTS: 1,
}
"""Blocks one row of each list takes."""
TITLES: Final = {
    HomeSection.NEGOTIATIONS: "Open negotiations",
    HomeSection.COMMITMENTS: "Your pending commitments",
    HomeSection.OUTCOMES: "Recent outcomes",
    HomeSection.TEAM: "Your team",
    HomeSection.COUNTERPARTS: "Counterparts",
}
SHOWN_CHARACTERS: Final = 300
"""User text (titles, names, commitments, trade items) is cut to this on the Home tab; it stays whole in
the database and in the messages about that one record."""
EMPTY: Final = {
    HomeSection.NEGOTIATIONS: app_text("No open negotiations. `/negotiate prep` plans your next one."),
    HomeSection.COMMITMENTS: "Nothing pending. Commitments you make show up here with their due dates.",
    HomeSection.OUTCOMES: "No debriefs yet. Log one after a negotiation to see its give/get balance.",
    HomeSection.TEAM: "Nothing is waiting on you or your reports.",
    HomeSection.COUNTERPARTS: "No counterparts yet. Name who you negotiate with in a prep: Parley remembers.",
}


@dataclass(frozen=True)
class HomeExpand:
    """The value of the *Show more* / *Show fewer* buttons: which list they are under."""

    section: str


def limits_for(expanded: str | None) -> dict[HomeSection, int]:
    """Rows per list: the collapsed counts, and for the expanded list whatever else fits in 100 blocks."""
    limits = dict(COLLAPSED)
    if expanded in limits:
        section = HomeSection(expanded)
        others = sum(count * ROW_BLOCKS[key] for key, count in COLLAPSED.items() if key != section)
        limits[section] = (VIEW_BLOCKS - FRAME_BLOCKS - others) // ROW_BLOCKS[section]
    return limits


def home_view(services: Services, workspace_id: int, slack_user_id: str) -> dict[str, Any] | None:
    """The rendered Home tab, or None for someone Parley has not met in this workspace."""
    with services.db.read() as session:
        settings = session.scalar(
            select(Member.settings).where(
                Member.workspace_id == workspace_id, Member.slack_user_id == slack_user_id
            )
        )
    with dates_as(date_reader_of(settings)):  # the Home tab writes dates the way its owner chose
        context = home_context(services, workspace_id, slack_user_id)
        return None if context is None else render_view("views/home", **context)


def set_expanded(services: Services, workspace_id: int, member_id: int, section: str | None) -> None:
    """Remember which list *Show more* expanded (None: back to all collapsed)."""
    value = HomeSection(section).value if section in COLLAPSED else None
    with services.db.session() as session:
        member = lock_member(session, workspace_id, member_id)
        if member is not None:
            set_setting(member, queries.EXPANDED_KEY, value)


def home_context(services: Services, workspace_id: int, slack_user_id: str) -> dict[str, Any] | None:
    """Everything ``views/home`` shows, as plain data (one read-only unit of work)."""
    now = services.clock()
    with services.db.read() as session:
        member = find_member(session, workspace_id, slack_user_id)
        if member is None:
            return None
        zone = _zone(member.tz)
        today = now.astimezone(zone).date()
        expanded = (member.settings or {}).get(queries.EXPANDED_KEY)
        limits = limits_for(expanded)
        negotiations = queries.open_negotiations(
            session, workspace_id, member.id, limits[HomeSection.NEGOTIATIONS]
        )
        commitments = queries.pending_commitments(
            session, workspace_id, member.id, limits[HomeSection.COMMITMENTS]
        )
        outcomes = queries.recent_outcomes(session, workspace_id, member.id, limits[HomeSection.OUTCOMES])
        team = queries.team_pending(session, workspace_id, member.id, today, limits[HomeSection.TEAM])
        style = _style(member.style)
        manager = session.get(Member, member.manager_id) if member.manager_id else None
        # the manager left Slack (bot.flows.leavers): say so until an admin sets a new one
        manager_missing = manager.display_name if manager is not None and manager.left_at is not None else ""
        policy = playbook_for(services, session, workspace_id).policy  # read once, in this unit of work
        currency = policy.default_currency
        known, known_total = _counterparts(session, member, limits[HomeSection.COUNTERPARTS], currency)
        admin = member.is_slack_admin or member.role == "admin"
    ratio = policy.balance_attention_ratio
    sections = [
        _section(
            HomeSection.NEGOTIATIONS,
            [_negotiation(row, today) for row in negotiations.items],
            negotiations.hidden,
            expanded,
        ),
        _section(
            HomeSection.COMMITMENTS,
            [_commitment(row, today) for row in commitments.items],
            commitments.hidden,
            expanded,
        ),
        _section(
            HomeSection.OUTCOMES,
            [_outcome(row, today, zone, ratio) for row in outcomes.items],
            outcomes.hidden,
            expanded,
        ),
    ]
    if team is not None:
        sections.append(_team_section(team, today, limits[HomeSection.TEAM], expanded))
    shown = limits[HomeSection.COUNTERPARTS]
    sections.append(
        _section(
            HomeSection.COUNTERPARTS,
            [_overview(row, today) for row in known[:shown]],
            max(0, known_total - len(known[:shown])),
            expanded,
            "By last contact, most recent first. Your own and your team's deals count in full; "
            "colleagues' only as totals over several deals. Amounts stay in their own currencies.",
        )
    )
    profile = profile_for(style) if style else None
    return {
        "style": (
            {"label": profile.label, "essence": profile.essence, "coaching": list(profile.coaching)}
            if profile
            else None
        ),
        "sections": sections,
        "manager_missing": manager_missing,
        "admin": admin,
    }


def _counterparts(session: Session, member: Member, limit: int, currency: str) -> tuple[list[Overview], int]:
    """The counterparts most recently met, as this member may see them (privacy: coaching), and how
    many they may see in all (the list's "…and N more")."""
    workspace = session.get(Workspace, member.workspace_id)
    viewer = Viewer(
        member.id,
        workspace is not None and is_admin(member, workspace),
        sharing_on(workspace),
        min_cell(workspace),
    )
    managers = member_tree(session, member.workspace_id)
    shown = visible_overviews(session, member.workspace_id, viewer, managers, limit=limit, currency=currency)
    owners = None  # sharing on (or an admin): every counterpart with a deal here is listed
    if not (viewer.sharing or viewer.is_admin):
        owners = [m for m in managers if can_see(viewer, m, managers)]
    total = count_overview(session, member.workspace_id, owners)
    return shown, max(total, len(shown))


def _overview(row: Overview, today: date) -> dict[str, Any]:
    return {
        "name": clip(row.name),
        "deals": row.deals,
        "when": contact_label(row.last_contact, today, day_label(row.last_contact, today))
        if row.last_contact
        else "",
        "balance": row.balance,
    }


def _section(
    key: HomeSection, items: list[dict[str, Any]], more: int, expanded: str | None, summary: str = ""
) -> dict[str, Any]:
    return {
        "key": key.value,
        "title": TITLES[key],
        "summary": summary,
        "empty": EMPTY[key],
        "rows": items,
        "more": more,
        "expanded": expanded == key.value and (more > 0 or len(items) > COLLAPSED[key]),
    }


def _negotiation(row: queries.OpenNegotiation, today: date) -> dict[str, Any]:
    if row.status == "paused":
        step = "paused"
    elif not row.has_prep:
        step = "unprepped"
    elif row.date is None:
        step = "undated"
    elif row.date < today:
        step = "debrief"
    elif row.date == today:
        step = "today"
    else:
        step = "upcoming"
    return {
        "title": clip(row.title),
        "counterpart": clip(_counterpart(row.counterpart_kind, row.counterpart_name)),
        "step": step,
        "when": day_label(row.date, today) if row.date else "",
        "ref": asdict(NegotiationRef(row.id)),
    }


def _commitment(row: queries.PendingCommitment, today: date) -> dict[str, Any]:
    return {
        "id": row.id,  # the Done / Snooze buttons (the member owns every commitment listed)
        "text": clip(row.text),
        "due": day_label(row.due, today),
        "overdue": is_overdue("open", row.due, today),  # every listed row is live
        "owed_to": row.owed_to_user_id or "",
        "negotiation": clip(row.negotiation_title or ""),
    }


def _outcome(row: queries.Outcome, today: date, zone: ZoneInfo, attention_ratio: Fraction) -> dict[str, Any]:
    """A debriefed negotiation and its give/get balance, per currency.

    The balance comes from the debrief's stored analysis (``Debrief.analysis``, version 1, written by
    the debrief flow) when it has one, else from the concession ledger.
    """
    balances = _analysis_balances(row.analysis)
    giveaways = row.giveaways
    if balances is None:
        conceded = MoneyTotals.of(Money(a.minor, a.currency) for a in row.conceded if is_currency(a.currency))
        received = MoneyTotals.of(Money(a.minor, a.currency) for a in row.received if is_currency(a.currency))
        balances = [
            (b.currency, b.conceded.amount_minor, b.received.amount_minor, b.needs_attention)
            for b in balance_by_currency(conceded, received, attention_ratio)
        ]
    elif isinstance(row.analysis.get("giveaways"), list):
        giveaways = len(row.analysis["giveaways"])
    lines = []
    for currency, gave, got, _ in balances:
        line = f"gave {Money(gave, currency).format()}, got {Money(got, currency).format()}"
        if gave > 0:
            line += f" ({format_ratio(Fraction(got, gave))})"
        lines.append(line)
    if not lines:
        lines = ["nothing priced conceded" if row.concessions else "nothing conceded"]
    return {
        "title": clip(row.title),
        "outcome": _outcome_label(row.outcome),
        "when": day_label(row.submitted_at.astimezone(zone).date(), today),
        "balance": lines,
        "giveaways": giveaways,
        "attention": giveaways > 0 or any(attention for *_, attention in balances),
    }


def _analysis_balances(analysis: dict[str, Any]) -> list[tuple[str, int, int, bool]] | None:
    """``(currency, conceded, received, needs attention)`` from a version-1 analysis, else None."""
    if analysis.get("version") != 1 or not isinstance(analysis.get("balances"), list):
        return None
    balances = []
    for entry in analysis["balances"]:
        if not isinstance(entry, dict):
            return None
        currency, gave, got = entry.get("currency"), entry.get("conceded"), entry.get("received")
        if not (isinstance(currency, str) and is_currency(currency) and _whole(gave) and _whole(got)):
            return None
        balances.append((currency, cast(int, gave), cast(int, got), entry.get("needs_attention") is True))
    return balances


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _team_section(team: queries.TeamPending, today: date, limit: int, expanded: str | None) -> dict[str, Any]:
    rows = [*team.trades.items, *team.overdue.items, *team.debriefs.items][:limit]
    total = team.trades.total + team.overdue.total + team.debriefs.total
    items = [
        {
            "kind": row.kind,
            "user_id": row.member_user_id,
            "text": clip(row.text),
            "other": clip(row.other_text),
            "when": day_label(row.when, today) if row.when else "",
        }
        for row in rows
    ]
    summary = " · ".join(
        [
            plural(team.reports, "report"),
            plural(team.trades.total, "trade") + " to decide",
            plural(team.overdue.total, "overdue commitment"),
            plural(team.debriefs.total, "debrief") + " missing",
        ]
    )
    return _section(HomeSection.TEAM, items, total - len(items), expanded, summary)


def clip(text: str) -> str:
    """User text as the Home tab shows it: at most :data:`SHOWN_CHARACTERS`, cut with an ellipsis."""
    return truncate(text, SHOWN_CHARACTERS)


def day_label(day: date, today: date) -> str:
    """``today``, ``tomorrow``, ``yesterday`` or ``Mon 30 Nov 2026`` (``coaching.dates``)."""
    delta = (day - today).days
    if delta in (-1, 0, 1):
        return {-1: "yesterday", 0: "today", 1: "tomorrow"}[delta]
    return day_words(day)


def _counterpart(kind: str, name: str) -> str:
    try:
        label = CounterpartKind(kind).label
    except ValueError:
        label = ""
    if name and label:
        return f"{name} ({label})"
    return name or label


def _outcome_label(value: str) -> str:
    try:
        return Outcome(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()
