"""Counterpart memory: link a prep to its counterpart, recall what we know, and the admin's
merge / undo / rename / delete — each audited.

No Slack here. The prep use case calls :func:`resolve_counterpart` and :func:`recall` inside its unit
of work, so a prep and its link are stored together; the recall is a fixed number of statements
(``tests/app/test_counterparts.py`` counts them) whatever the history's size.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.members import Actor
from coaching.counterpart_history import Briefing, PastDeal, Viewer, briefing
from coaching.counterpart_names import Match, match_name, name_key
from coaching.parsing import LinesError, parse_text_lines
from coaching.playbook import Playbook
from coaching.prep import SuggestedTrade
from coaching.trade_ranking import Ranking, rank_trades
from storage.models import Counterpart, Negotiation, Workspace
from storage.queries import audit
from storage.queries.counterparts import (
    candidates,
    create_counterpart,
    find_counterpart,
    link_negotiation,
    member_tree,
    recall_commitments,
    recall_deals,
    recall_totals,
    trade_evidence,
)
from storage.queries.team import ADMINS_KEY

logger = logging.getLogger(__name__)

SHARING_KEY = "counterpart_sharing"  # workspace setting (h17's settings screen edits it)
MIN_CELL_KEY = "rollup_min_cell"
NEW = "new"  # the prep modal's "a different counterpart" choice


def sharing_on(workspace: Workspace | None) -> bool:
    value = (workspace.settings or {}).get(SHARING_KEY, True) if workspace else True
    return value is not False


def min_cell(workspace: Workspace | None) -> int:
    value = (workspace.settings or {}).get(MIN_CELL_KEY, 3) if workspace else 3
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 3


def is_workspace_admin(actor: Actor, workspace: Workspace | None) -> bool:
    """As :func:`storage.queries.team.is_admin`: a Slack admin, an admin by role, or listed."""
    listed = ((workspace.settings or {}).get(ADMINS_KEY) or []) if workspace else []
    return actor.is_admin or actor.slack_user_id in listed


@dataclass(frozen=True)
class Resolved:
    """The counterpart a prep links to (None: no name typed), or the options to ask about."""

    counterpart: Counterpart | None = None
    ask: Match | None = None


def resolve_counterpart(
    session: Session,
    actor: Actor,
    negotiation: Negotiation | None,
    name: str,
    kind: str,
    choice: str,
    now: datetime,
) -> Resolved:
    """Which counterpart ``name`` is: the one chosen in the modal, the one already linked (same key),
    the only exact match, or a new one; a choice to make when the match is ambiguous."""
    key = name_key(name)
    if not key:
        return Resolved()
    ws = actor.workspace_id
    if choice and choice != NEW:
        try:
            chosen = find_counterpart(session, ws, int(choice))
        except ValueError:
            chosen = None
        if chosen is not None and chosen.merged_into_id is not None:
            chosen = find_counterpart(session, ws, chosen.merged_into_id)
        if chosen is not None and chosen.deleted_at is None:
            audit.record(
                session, ws, "counterpart.confirmed", "counterpart", chosen.id, now,
                actor_id=actor.member_id, typed=name[:200],
            )  # fmt: skip
            chosen.kind = kind
            return Resolved(chosen)
        choice = ""  # gone since the modal was shown: match again
    if negotiation is not None and negotiation.counterpart_id is not None and choice != NEW:
        linked = find_counterpart(session, ws, negotiation.counterpart_id)
        if linked is not None and linked.merged_into_id is not None:
            linked = find_counterpart(session, ws, linked.merged_into_id)
        if linked is not None and linked.deleted_at is None and linked.key == key:
            return Resolved(linked)
    match = match_name(name, candidates(session, ws, key))
    if choice == NEW:
        created = create_counterpart(session, ws, name=name.strip(), key=key, kind=kind, now=now)
        if match.options:
            audit.record(
                session, ws, "counterpart.split", "counterpart", created.id, now, actor_id=actor.member_id,
                typed=name[:200], not_the_same_as=[k.id for k in match.options],
            )  # fmt: skip
        return Resolved(created)
    if match.needs_choice:
        return Resolved(ask=match)
    if match.exact:
        found = find_counterpart(session, ws, match.exact[0].id)
        assert found is not None
        found.kind = kind
        return Resolved(found)
    created = create_counterpart(session, ws, name=name.strip(), key=key, kind=kind, now=now)
    audit.record(session, ws, "counterpart.created", "counterpart", created.id, now, actor_id=actor.member_id)
    return Resolved(created)


def link(session: Session, negotiation: Negotiation, counterpart: Counterpart | None) -> None:
    new_id = counterpart.id if counterpart is not None else None
    if negotiation.counterpart_id != new_id:
        link_negotiation(session, negotiation, new_id)


@dataclass(frozen=True)
class Recall:
    known: Briefing
    ranking: Ranking


def _asks(text: str) -> tuple[str, ...]:
    try:
        return parse_text_lines(text)
    except LinesError:
        return ()


def recall(
    session: Session,
    actor: Actor,
    workspace: Workspace | None,
    counterpart: Counterpart | None,
    *,
    kind: str,
    kind_label: str,
    trades: Sequence[SuggestedTrade],
    playbook: Playbook,
    currency: str,
    exclude: int | None,
) -> Recall:
    """What the actor may know about the counterpart, and the trades ranked by evidence (a fixed
    number of statements: totals, recent deals, commitments, the team tree, evidence)."""
    root = counterpart.id if counterpart is not None else None
    name = counterpart.name if counterpart is not None else ""
    rows = trade_evidence(session, actor.workspace_id, root, kind, [t.give.item for t in trades])
    ranking = rank_trades(
        trades, rows, threshold=playbook.policy.evidence_min_trades, counterpart=name or "them",
        kind_label=kind_label,
    )  # fmt: skip
    if root is None:
        return Recall(Briefing("", (), None, 0), ranking)
    totals = recall_totals(session, actor.workspace_id, root, exclude=exclude)  # this prep isn't history
    deals = recall_deals(session, actor.workspace_id, root, exclude=exclude)
    past = [
        PastDeal(
            d.negotiation_id,
            d.owner_id,
            d.owner_name,
            d.title,
            d.date,
            d.status,
            d.lesson,
            _asks(d.asks),
            d.given_minor,
            d.got_minor,
            d.currency,
        )
        for d in deals
    ]
    commitments = recall_commitments(session, actor.workspace_id, root)
    viewer = Viewer(
        actor.member_id, is_workspace_admin(actor, workspace), sharing_on(workspace), min_cell(workspace)
    )
    managers = member_tree(session, actor.workspace_id)
    known = briefing(name, viewer, managers, totals, past, commitments, currency=currency)
    return Recall(known, ranking)
