"""Weekly digest content for learners, managers and the organisation, from plain rows or tallies.

Two ways in, one way out. Small inputs (tests, one member) can be handed over as rows
(:class:`WeekRows`: one per negotiation, concession and commitment); a whole workspace comes as
:class:`Tally` aggregates — what the storage layer's ``GROUP BY`` queries return per member, week and
counterpart kind — plus the few rows a digest names (giveaways, commitments, approvals). The row
functions (:func:`learner_digest`, :func:`manager_digest`, :func:`org_digest`) tally their rows and
call the tally ones (:func:`learner_digest_of`, :func:`manager_digest_of`, :func:`org_digest_of`), so
both give the same numbers. Everything here is arithmetic and wording. Money follows the same rules
as the debrief (see :mod:`coaching.debrief`): per currency, exact, never converted. Trends and charts
are computed on the playbook's default currency.

The package's modules, in the order a digest is made: :mod:`.rows`, :mod:`.tallies`, :mod:`.metrics`,
:mod:`.trends`, then one per digest (:mod:`.learner`, :mod:`.manager`, :mod:`.org`) and :mod:`.charts`.
Everything is importable from ``coaching.digests`` as before.
"""

from __future__ import annotations

from coaching.digests.charts import ChartSeries, chart_series
from coaching.digests.learner import (
    LearnerDigest,
    MemberWeek,
    _giveaway_line,
    _headline,
    _history_tallies,
    learner_digest,
    learner_digest_of,
)
from coaching.digests.manager import (
    _ATTENTION_ORDER,
    AttentionItem,
    AttentionKind,
    ManagerDigest,
    MemberLine,
    NonResponder,
    PendingApproval,
    _attention,
    _non_responders,
    manager_digest,
    manager_digest_of,
)
from coaching.digests.metrics import (
    WeekMetrics,
    metrics_of,
    most_expensive_giveaway,
    upcoming_commitments,
    week_metrics,
)
from coaching.digests.org import (
    GroupTally,
    OrgDigest,
    RecurringGiveaway,
    RollupRow,
    _groups_of,
    _rollup,
    _style_key,
    _style_label,
    org_digest,
    org_digest_of,
    recurring_giveaways,
    suppress_small_cells,
)
from coaching.digests.rows import (
    FLAT_PERCENT,
    NO_MONEY,
    NO_STYLE,
    NO_TEAM,
    SPARK_BARS,
    UPCOMING_DAYS,
    ApprovalRow,
    CommitmentRow,
    CommitmentStatus,
    ConcessionRow,
    NegotiationRow,
    WeekRows,
)
from coaching.digests.tallies import (
    Tally,
    _sum_money,
    commitment_tally,
    concession_tally,
    outcome_tally,
    tally_of,
)
from coaching.digests.trends import (
    Direction,
    Trend,
    WeekNumbers,
    _round_div,
    money_show,
    sparkline,
    standard_trends,
    tip_of_the_week,
    trend,
)

__all__ = [
    "FLAT_PERCENT",
    "NO_MONEY",
    "NO_STYLE",
    "NO_TEAM",
    "SPARK_BARS",
    "UPCOMING_DAYS",
    "_ATTENTION_ORDER",
    "ApprovalRow",
    "AttentionItem",
    "AttentionKind",
    "ChartSeries",
    "CommitmentRow",
    "CommitmentStatus",
    "ConcessionRow",
    "Direction",
    "GroupTally",
    "LearnerDigest",
    "ManagerDigest",
    "MemberLine",
    "MemberWeek",
    "NegotiationRow",
    "NonResponder",
    "OrgDigest",
    "PendingApproval",
    "RecurringGiveaway",
    "RollupRow",
    "Tally",
    "Trend",
    "WeekMetrics",
    "WeekNumbers",
    "WeekRows",
    "_attention",
    "_giveaway_line",
    "_groups_of",
    "_headline",
    "_history_tallies",
    "_non_responders",
    "_rollup",
    "_round_div",
    "_style_key",
    "_style_label",
    "_sum_money",
    "chart_series",
    "commitment_tally",
    "concession_tally",
    "learner_digest",
    "learner_digest_of",
    "manager_digest",
    "manager_digest_of",
    "metrics_of",
    "money_show",
    "most_expensive_giveaway",
    "org_digest",
    "org_digest_of",
    "outcome_tally",
    "recurring_giveaways",
    "sparkline",
    "standard_trends",
    "suppress_small_cells",
    "tally_of",
    "tip_of_the_week",
    "trend",
    "upcoming_commitments",
    "week_metrics",
]
