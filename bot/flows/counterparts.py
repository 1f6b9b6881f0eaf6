"""Counterpart memory: link a prep to its counterpart, recall what we know, and the admin's
merge / undo / rename / delete — each audited.

No Slack here. The prep use case calls :func:`resolve_counterpart` and :func:`recall` inside its unit
of work, so a prep and its link are stored together; the recall is a fixed number of statements
(``tests/app/test_counterparts.py`` counts them) whatever the history's size.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.members import Actor
from bot.services import Services
from coaching.counterpart_history import (
    Briefing,
    Overview,
    PastDeal,
    Viewer,
    amounts,
    briefing,
    contact_label,
    overview,
)
from coaching.counterpart_names import (
    COUNTERPARTS_USAGE,
    SIMILAR_RATIO,
    AdminCommand,
    Known,
    Match,
    match_name,
    name_key,
    similarity,
)
from coaching.parsing import LinesError, parse_text_lines
from coaching.playbook import Playbook
from coaching.prep import SuggestedTrade
from coaching.trade_ranking import Ranking, rank_trades
from coaching.zones import local_today
from storage.models import Counterpart, Negotiation, Workspace
from storage.queries import audit
from storage.queries.counterparts import (
    candidates,
    create_counterpart,
    deal_money,
    find_counterpart,
    group_of,
    last_audit,
    link_negotiation,
    lock_name,
    member_tree,
    merged_into,
    overview_money,
    overview_rows,
    recall_commitments,
    recall_deals,
    recall_money,
    recall_requests,
    recall_totals,
    request_evidence,
    trade_evidence,
)
from storage.queries.team import ADMINS_KEY
from templates import app_text

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
        if chosen is not None and chosen.key != key and similarity(key, chosen.key) < SIMILAR_RATIO:
            chosen = None  # the name was changed to another counterpart's since the choice was shown
        if chosen is not None and chosen.deleted_at is None:
            if negotiation is None or negotiation.counterpart_id != chosen.id:
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
    lock_name(session, ws, key)  # concurrent preps of a new name make one counterpart
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


def link(
    session: Session, negotiation: Negotiation, counterpart: Counterpart | None, *, kind_changed: bool = False
) -> None:
    """Link the negotiation (and its trades and ledger) to the counterpart; again when only its kind
    changed, so its decided requests count for the kind it is now."""
    new_id = counterpart.id if counterpart is not None else None
    if negotiation.counterpart_id != new_id or kind_changed:
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
    today: date,
) -> Recall:
    """What the actor may know about the counterpart, and the trades ranked by evidence (a fixed
    number of statements: totals, recent deals, commitments, the team tree, evidence)."""
    root = counterpart.id if counterpart is not None else None
    name = counterpart.name if counterpart is not None else ""
    group = group_of(session, actor.workspace_id, root) if root is not None else None
    gives = [t.give.item for t in trades]
    rows = trade_evidence(session, actor.workspace_id, group, kind, gives)
    rows += request_evidence(session, actor.workspace_id, group, gives)  # decided, not yet debriefed
    ranking = rank_trades(
        trades, rows, threshold=playbook.policy.evidence_min_trades, counterpart=name or "them",
        kind_label=kind_label,
    )  # fmt: skip
    if group is None:
        return Recall(Briefing("", (), None, 0), ranking)
    totals = recall_totals(session, actor.workspace_id, group, exclude=exclude)  # this prep isn't history
    requests = recall_requests(session, actor.workspace_id, group, exclude=exclude)
    totals = [
        dataclasses.replace(t, approved_requests=a, rejected_requests=r)
        for t in totals
        for a, r in [requests.get(t.owner_id, (0, 0))]
    ]
    deals = recall_deals(session, actor.workspace_id, group, exclude=exclude)
    money = recall_money(session, actor.workspace_id, group, exclude=exclude)
    per_deal = deal_money(session, actor.workspace_id, [d.negotiation_id for d in deals])
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
            amounts(per_deal.get(d.negotiation_id, ())),
            d.currency,
        )
        for d in deals
    ]
    commitments = recall_commitments(session, actor.workspace_id, group)
    viewer = Viewer(
        actor.member_id, is_workspace_admin(actor, workspace), sharing_on(workspace), min_cell(workspace)
    )
    managers = member_tree(session, actor.workspace_id)
    known = briefing(name, viewer, managers, totals, past, commitments, money, today=today)
    return Recall(known, ranking)


# ------------------------------------------------------------------------------------------ admin


class CounterpartRefused(Exception):
    """An admin command that cannot go ahead; ``str()`` is the sentence for the member."""


MAX_NAME = 150


def administer(
    session: Session, actor: Actor, workspace: Workspace | None, command: AdminCommand, now: datetime
) -> str:
    """Run an admin command (merge, unmerge, rename, delete, restore); the confirmation sentence.
    Every change is audited with what it needs to be undone."""
    if not is_workspace_admin(actor, workspace):
        raise CounterpartRefused(
            "Only an admin can merge, rename or delete counterparts. Nothing was changed."
        )
    ws = actor.workspace_id
    assert command.target is not None
    target = find_counterpart(session, ws, command.target)
    if target is None:
        raise CounterpartRefused(f"There is no counterpart #{command.target} here. Nothing was changed.")
    if command.action == "merge":
        assert command.other is not None
        into = find_counterpart(session, ws, command.other)
        if into is None:
            raise CounterpartRefused(f"There is no counterpart #{command.other} here. Nothing was changed.")
        if into.merged_into_id is not None:
            into = find_counterpart(session, ws, into.merged_into_id)
            assert into is not None
        if into.id == target.id or target.merged_into_id == into.id:
            raise CounterpartRefused(f"#{target.id} is already {into.name}. Nothing was changed.")
        if target.deleted_at is not None or into.deleted_at is not None:
            raise CounterpartRefused("Restore a deleted counterpart before merging it. Nothing was changed.")
        children = [c.id for c in merged_into(session, ws, target.id)]
        for child in merged_into(session, ws, target.id):
            child.merged_into_id = into.id
        target.merged_into_id = into.id
        target.updated_at = now
        audit.record(
            session, ws, "counterpart.merged", "counterpart", target.id, now, actor_id=actor.member_id,
            into=into.id, previous=None, children=children,
        )  # fmt: skip
        return (
            f"{target.name} (#{target.id}) is now part of {into.name} (#{into.id}): their histories show "
            f"together. `/negotiate counterparts unmerge {target.id}` undoes it."
        )
    if command.action == "unmerge":
        if target.merged_into_id is None:
            raise CounterpartRefused(
                f"{target.name} (#{target.id}) isn't merged into another. Nothing was changed."
            )
        merge = last_audit(session, ws, target.id, "counterpart.merged")
        was = target.merged_into_id
        target.merged_into_id = None
        target.updated_at = now
        children = [int(c) for c in (merge.detail.get("children") or [])] if merge is not None else []
        for child in merged_into(session, ws, was):
            if child.id in children:
                child.merged_into_id = target.id
        audit.record(
            session, ws, "counterpart.unmerged", "counterpart", target.id, now, actor_id=actor.member_id,
            was_in=was, children=children,
        )  # fmt: skip
        return f"{target.name} (#{target.id}) is separate again, with its own history."
    if command.action == "rename":
        name = command.name.strip()
        key = name_key(name)
        if not key or len(name) > MAX_NAME:
            raise CounterpartRefused(
                f"Give a name of 1 to {MAX_NAME} characters, with a letter or digit. Nothing was changed."
            )
        before = target.name
        target.name, target.key, target.updated_at = name, key, now
        audit.record(
            session, ws, "counterpart.renamed", "counterpart", target.id, now, actor_id=actor.member_id,
            before=before, after=name,
        )  # fmt: skip
        return f"#{target.id} is now called {name} (was {before})."
    if command.action == "delete":
        if target.deleted_at is not None:
            raise CounterpartRefused(f"#{target.id} is already deleted. Nothing was changed.")
        target.deleted_at = now
        audit.record(
            session, ws, "counterpart.deleted", "counterpart", target.id, now, actor_id=actor.member_id,
            name=target.name,
        )  # fmt: skip
        return (
            f"{target.name} (#{target.id}) is deleted: no longer recalled at prep. The negotiations keep the "
            f"name as typed; `/negotiate counterparts restore {target.id}` brings it back."
        )
    if command.action == "restore":
        if target.deleted_at is None:
            raise CounterpartRefused(f"#{target.id} isn't deleted. Nothing was changed.")
        target.deleted_at = None
        audit.record(
            session, ws, "counterpart.restored", "counterpart", target.id, now, actor_id=actor.member_id
        )
        return f"{target.name} (#{target.id}) is back."
    raise CounterpartRefused(COUNTERPARTS_USAGE)


def run_command(services: Services, actor: Actor, command: AdminCommand) -> str:
    """One admin command in its own unit of work; raises :class:`CounterpartRefused`."""
    now = services.clock()
    with services.db.session() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        return administer(session, actor, workspace, command, now)


LIST_LIMIT = 20


def visible_overviews(
    session: Session,
    workspace_id: int,
    viewer: Viewer,
    managers: Mapping[int, int | None],
    *,
    limit: int,
    currency: str,
) -> list[Overview]:
    """The counterparts most recently met, as ``viewer`` may see them (privacy: coaching), at most
    ``limit`` (the Home tab's list and ``/negotiate counterparts``)."""
    rows = overview_rows(session, workspace_id, limit=limit)
    money = overview_money(session, workspace_id, [r.counterpart_id for r in rows])
    seen = (
        overview(
            r.counterpart_id,
            r.name,
            viewer,
            managers,
            r.totals,
            money.get(r.counterpart_id, ()),
            currency=currency,
        )
        for r in rows
    )
    return [o for o in seen if o is not None][:limit]


def list_context(services: Services, actor: Actor, currency: str) -> dict[str, Any]:
    """``messages/counterparts_list``: the counterparts most recently met, as the actor may see them
    (numbers shown to admins, who use them in commands)."""
    today = local_today(services.clock(), actor.tz)
    with services.db.read() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        admin = is_workspace_admin(actor, workspace)
        viewer = Viewer(actor.member_id, admin, sharing_on(workspace), min_cell(workspace))
        managers = member_tree(session, actor.workspace_id)
        shown = visible_overviews(
            session, actor.workspace_id, viewer, managers, limit=LIST_LIMIT, currency=currency
        )
    return {
        "admin": admin,
        "usage": app_text(COUNTERPARTS_USAGE),
        "rows": [
            {
                "id": o.counterpart_id,
                "name": o.name,
                "deals": o.deals,
                "when": contact_label(o.last_contact, today) if o.last_contact else "",
                "balance": o.balance,
            }
            for o in shown
        ],
    }


def linked_match(services: Services, actor: Actor, negotiation_id: int) -> Match | None:
    """For *Edit prep*: the counterpart the negotiation is linked to, as a choice the modal shows
    preselected, with "a different counterpart" beside it (how an exact match is split)."""
    with services.db.read() as session:
        negotiation = session.get(Negotiation, negotiation_id)
        if negotiation is None or negotiation.workspace_id != actor.workspace_id:
            return None
        if negotiation.counterpart_id is None:
            return None
        linked = find_counterpart(session, actor.workspace_id, negotiation.counterpart_id)
        if linked is not None and linked.merged_into_id is not None:
            linked = find_counterpart(session, actor.workspace_id, linked.merged_into_id)
        if linked is None or linked.deleted_at is not None:
            return None
        deals = len(
            recall_deals(session, actor.workspace_id, group_of(session, actor.workspace_id, linked.id))
        )
        return Match(linked.key, (Known(linked.id, linked.name, linked.key, deals),), ())
