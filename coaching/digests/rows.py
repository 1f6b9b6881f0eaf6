"""The rows a digest is made from (one per negotiation, concession, commitment, approval) and the
shared constants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from coaching.counterparts import CounterpartKind
from coaching.debrief import Outcome
from coaching.items import Concession
from coaching.money import MoneyTotals
from coaching.styles import Style

SPARK_BARS: Final = "▁▂▃▄▅▆▇█"
FLAT_PERCENT: Final = 5
"""Changes smaller than this (in % of the earlier average) are reported as flat."""
UPCOMING_DAYS: Final = 7
NO_TEAM: Final = "no team"
NO_STYLE: Final = "no_style"
NO_MONEY: Final = MoneyTotals()


# --------------------------------------------------------------------------------------------------
# Rows.


@dataclass(frozen=True, slots=True)
class NegotiationRow:
    """One negotiation that was debriefed in the week."""

    member_id: str
    team: str | None
    style: Style | None
    counterpart_kind: CounterpartKind
    outcome: Outcome
    occurred_on: date
    title: str = ""


@dataclass(frozen=True, slots=True)
class ConcessionRow:
    """One ledger entry: a concession with its cost and what came back."""

    member_id: str
    team: str | None
    style: Style | None
    counterpart_kind: CounterpartKind
    concession: Concession
    occurred_on: date
    limit_breached: bool = False


class CommitmentStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    """A commitment owned by a member: kept or lapsed this week, or still open.

    ``nudges_unanswered``: reminders sent about it that got no answer (for the non-responders).
    """

    member_id: str
    team: str | None
    what: str
    due: date
    status: CommitmentStatus
    nudges_unanswered: int = 0


@dataclass(frozen=True, slots=True)
class ApprovalRow:
    """A trade request still waiting for a decision."""

    request_id: str
    proposer_id: str
    approver_id: str
    team: str | None
    summary: str
    waiting_since: datetime


@dataclass(frozen=True, slots=True)
class WeekRows:
    """Everything for one week (``week_start`` is its Monday)."""

    week_start: date
    negotiations: tuple[NegotiationRow, ...] = ()
    concessions: tuple[ConcessionRow, ...] = ()
    commitments: tuple[CommitmentRow, ...] = ()
    approvals: tuple[ApprovalRow, ...] = ()

    def for_member(self, member_id: str) -> WeekRows:
        """Only this member's rows (approvals: the ones they proposed)."""
        return WeekRows(
            self.week_start,
            tuple(row for row in self.negotiations if row.member_id == member_id),
            tuple(row for row in self.concessions if row.member_id == member_id),
            tuple(row for row in self.commitments if row.member_id == member_id),
            tuple(row for row in self.approvals if row.proposer_id == member_id),
        )
