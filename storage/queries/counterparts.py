"""Counterparts: matching candidates, links, merges, and the prep-time recall in a fixed number of
statements whatever the history's size (``tests/app/test_counterparts.py`` counts them).

A counterpart's *group* is itself plus every counterpart merged into it (merges point straight at a
root, never at another merged one), so a merge or its undo never rewrites negotiations or ledger rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import BindParameter, Select, and_, bindparam, case, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from coaching.counterpart_history import OpenCommitment, OwnerMoney, OwnerTotals
from coaching.counterpart_names import Known, item_key, match_name, prefixes_for
from coaching.playbook_review import Breach, KindOutcomes, TradeUse
from coaching.trade_ranking import EvidenceRow
from storage.models import (
    AuditEvent,
    Commitment,
    Counterpart,
    Debrief,
    KindTradeTally,
    LedgerEntry,
    Member,
    Negotiation,
    PrepPlan,
    TradeProposal,
)

RECENT_DEALS = 20
OPEN_COMMITMENTS = 10
RATIO_BUCKETS = 10  # value ratios are read to a tenth (2.1×)
NO_RATIO = -1  # a trade not valued on both sides
MAX_BUCKET = 1_000  # 100×: anything above is one bucket


def group_ids(workspace_id: Any, root_id: Any) -> Select[Any]:
    """The ids whose rows count for ``root_id``: itself and what was merged into it."""
    return select(Counterpart.id).where(
        Counterpart.workspace_id == workspace_id,
        or_(Counterpart.id == root_id, Counterpart.merged_into_id == root_id),
    )


def group_of(session: Session, workspace_id: int, root_id: int) -> list[int]:
    """:func:`group_ids` read once (one statement), so the recall's queries get a plain id list the
    planners can use their indexes with (a correlated ``IN (SELECT …)`` made SQLite scan the ledger)."""
    found = session.scalars(_GROUP_OF, {"workspace_id": workspace_id, "root": root_id})
    return list(found) or [root_id]


_FIND = select(Counterpart).where(
    Counterpart.workspace_id == bindparam("workspace_id"), Counterpart.id == bindparam("id")
)


def find_counterpart(session: Session, workspace_id: int, counterpart_id: int) -> Counterpart | None:
    return session.scalar(_FIND, {"workspace_id": workspace_id, "id": counterpart_id})


def merged_into(session: Session, workspace_id: int, root_id: int) -> list[Counterpart]:
    return list(
        session.scalars(
            select(Counterpart).where(
                Counterpart.workspace_id == workspace_id, Counterpart.merged_into_id == root_id
            )
        )
    )


def last_audit(session: Session, workspace_id: int, counterpart_id: int, action: str) -> AuditEvent | None:
    """The latest audit event of ``action`` on the counterpart (a merge's record, to undo it)."""
    return session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.workspace_id == workspace_id,
            AuditEvent.subject_type == "counterpart",
            AuditEvent.subject_id == counterpart_id,
            AuditEvent.action == action,
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )


def _deal_count() -> Any:
    """Negotiations with a counterpart plus those of the counterparts merged into it: two correlated
    counts, each one index range (an ``IN`` over "it or merged into it" had PostgreSQL hash every
    negotiation of the workspace: 0.1 s a prep at 200,000 negotiations)."""
    merged = aliased(Counterpart)
    own = (
        select(func.count(Negotiation.id))
        .where(
            Negotiation.workspace_id == Counterpart.workspace_id, Negotiation.counterpart_id == Counterpart.id
        )
        .scalar_subquery()
    )
    absorbed = (
        select(func.count(Negotiation.id))
        .select_from(merged)
        .join(
            Negotiation,
            and_(Negotiation.workspace_id == merged.workspace_id, Negotiation.counterpart_id == merged.id),
        )
        .where(merged.workspace_id == Counterpart.workspace_id, merged.merged_into_id == Counterpart.id)
        .scalar_subquery()
    )
    return own + absorbed


def lock_name(session: Session, workspace_id: int, key: str) -> None:
    """Serialise "match, else create" for one name in one workspace until the transaction ends, so two
    people typing a new counterpart at the same moment make one record, not two that every later prep
    would have to choose between. PostgreSQL: a transaction-scoped advisory lock on the name's hash;
    SQLite already runs one writing transaction at a time."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"counterpart:{workspace_id}:{key}".encode(), digest_size=8).digest()
    session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, "big", signed=True))))


# built once (as the recall's statements below): a prep submission's ack runs it
_EXACT = (
    select(Counterpart.id, Counterpart.name, Counterpart.key, _deal_count())
    .where(
        Counterpart.workspace_id == bindparam("workspace_id"),
        Counterpart.merged_into_id.is_(None),
        Counterpart.deleted_at.is_(None),
        Counterpart.key == bindparam("key"),
    )
    .order_by(Counterpart.id)
    .limit(10)
)


def candidates(session: Session, workspace_id: int, key: str, *, limit: int = 50) -> list[Known]:
    """Active counterparts with this key (with their deal counts); when there are none, those whose
    key starts like it, to look for near-duplicates among (at most three statements)."""
    live = and_(
        Counterpart.workspace_id == workspace_id,
        Counterpart.merged_into_id.is_(None),
        Counterpart.deleted_at.is_(None),
    )
    exact = session.execute(_EXACT, {"workspace_id": workspace_id, "key": key}).all()
    if exact:
        return [Known(cid, name, ckey, int(count or 0)) for cid, name, ckey, count in exact]
    prefixes = prefixes_for(key)
    if not prefixes:
        return []
    like = or_(*(Counterpart.key.like(f"{p.replace('%', '').replace('_', '')}%") for p in prefixes))
    near = session.execute(
        select(Counterpart.id, Counterpart.name, Counterpart.key)
        .where(live, like)
        .order_by(Counterpart.id)
        .limit(limit)
    ).all()
    similar = match_name(key, [Known(cid, name, ckey) for cid, name, ckey in near]).similar
    if not similar:
        return []
    counts: dict[int, int] = dict(
        session.execute(
            select(Counterpart.id, _deal_count()).where(Counterpart.id.in_([k.id for k in similar]))
        ).all()
    )
    return [Known(k.id, k.name, k.key, int(counts.get(k.id) or 0)) for k in similar]


def create_counterpart(
    session: Session, workspace_id: int, *, name: str, key: str, kind: str, now: datetime
) -> Counterpart:
    counterpart = Counterpart(
        workspace_id=workspace_id, name=name[:200], key=key, kind=kind, created_at=now, updated_at=now
    )
    session.add(counterpart)
    session.flush()
    return counterpart


def link_negotiation(session: Session, negotiation: Negotiation, counterpart_id: int | None) -> None:
    """Point the negotiation, its trades and its ledger rows at ``counterpart_id`` (None: unlinked)
    and its current kind (the kind's tallies follow its decided requests)."""
    ws, nid = negotiation.workspace_id, negotiation.id
    untally(session, ws, [nid])
    negotiation.counterpart_id = counterpart_id
    session.execute(
        update(LedgerEntry)
        .where(LedgerEntry.workspace_id == ws, LedgerEntry.negotiation_id == nid)
        .values(counterpart_id=counterpart_id, counterpart_kind=negotiation.counterpart_kind)
    )
    session.execute(
        update(TradeProposal)
        .where(TradeProposal.workspace_id == ws, TradeProposal.negotiation_id == nid)
        .values(counterpart_id=counterpart_id)
    )
    tally(session, ws, [nid])


def stamp_ledger_entry(session: Session, entry: LedgerEntry) -> None:
    """Copy the negotiation's counterpart and kind onto a new ledger row, and key its item."""
    negotiation = session.get(Negotiation, entry.negotiation_id)
    if negotiation is not None:
        entry.counterpart_id = negotiation.counterpart_id
        entry.counterpart_kind = negotiation.counterpart_kind
    entry.item_key = item_key(entry.item)


# ------------------------------------------------------------------------------------------ recall
#
# The recall's statements are built once, at import, with their values bound at execution: building a
# select with its subqueries took about 4 ms of Python per statement on every call (more than
# PostgreSQL took to run most of them), and a statement built once also keeps its cache key, so
# SQLAlchemy goes straight to its compiled SQL. bench/counterparts.py measures the recall.

_WS: BindParameter[Any] = bindparam("workspace_id")
_GROUP: BindParameter[Any] = bindparam("group", expanding=True)  # group_of's ids
_EXCLUDE: BindParameter[Any] = bindparam("exclude")  # a negotiation left out (the prep being planned), or 0
_KEYS: BindParameter[Any] = bindparam("keys", expanding=True)  # item keys
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)  # negotiation ids
_GROUP_OF = group_ids(_WS, bindparam("root")).order_by(Counterpart.id)


def _recall_params(workspace_id: int, group: Sequence[int], exclude: int | None) -> dict[str, Any]:
    return {"workspace_id": workspace_id, "group": list(group), "exclude": exclude or 0}


@dataclass(frozen=True)
class DealRow:
    negotiation_id: int
    owner_id: int
    owner_name: str
    title: str
    date: date | None
    status: str
    outcome: str | None
    lesson: str
    asks: str
    currency: str  # its figures, per currency, come from deal_money


_CONCEDED = aliased(LedgerEntry, name="conceded_line")
_REFUSED = and_(
    LedgerEntry.kind == "offered",
    LedgerEntry.debrief_id.is_not(None),
    ~exists().where(
        _CONCEDED.workspace_id == LedgerEntry.workspace_id,
        _CONCEDED.negotiation_id == LedgerEntry.negotiation_id,
        _CONCEDED.kind == "conceded",
        _CONCEDED.item_key == LedgerEntry.item_key,
    ),
)


def refused_offer() -> Any:
    """A debrief's offered line they didn't take: no concession of the same item in that negotiation.
    Built once (an alias per call cost milliseconds of Python and defeated the statement cache)."""
    return _REFUSED


_CONCEDED_LINE = LedgerEntry.kind == "conceded"
# Built once: constructing these per call cost more Python than the statements cost SQLite.
# Summed per (negotiation, item) first, so "refused" (offered in a debrief, that item not conceded in
# that negotiation) is a count over the group instead of a probe of the ledger per offered line: the
# correlated NOT EXISTS made a deep history's totals several times slower on PostgreSQL, and its cost
# estimate switched JIT compilation on (seconds). Callers select whole negotiations (by counterpart or
# by id: a negotiation's lines share its counterpart), so every concession of a negotiation is seen.
_PER_ITEM = (
    LedgerEntry.negotiation_id,
    LedgerEntry.item_key,
    func.sum(case((_CONCEDED_LINE, LedgerEntry.value_minor), else_=0)).label("given"),
    func.sum(
        case((_CONCEDED_LINE, LedgerEntry.received_value_minor), else_=0)
        + case((LedgerEntry.kind == "received", LedgerEntry.value_minor), else_=0)
    ).label("got"),
    func.count().filter(and_(_CONCEDED_LINE, LedgerEntry.received_item.is_not(None))).label("accepted"),
    func.count()
    .filter(and_(LedgerEntry.kind == "offered", LedgerEntry.debrief_id.is_not(None)))
    .label("offered"),
    func.count().filter(_CONCEDED_LINE).label("conceded"),
)


def _ledger_sums(workspace_id: Any, *where: Any) -> Select[tuple[int, int, int, int, int]]:
    """Per negotiation: given, got, accepted and refused (see ``_PER_ITEM``), for the ledger lines
    matching ``where``."""
    per_item = (
        select(*_PER_ITEM)
        .where(LedgerEntry.workspace_id == workspace_id, *where)
        .group_by(LedgerEntry.negotiation_id, LedgerEntry.item_key)
        .subquery()
    )
    # a NULL key matched no concession in the old probe (NULL = NULL is not true): always refused
    unanswered = or_(per_item.c.conceded == 0, per_item.c.item_key.is_(None))
    return select(
        per_item.c.negotiation_id,
        func.coalesce(func.sum(per_item.c.given), 0).label("given"),
        func.coalesce(func.sum(per_item.c.got), 0).label("got"),
        func.coalesce(func.sum(per_item.c.accepted), 0).label("accepted"),
        func.coalesce(func.sum(case((unanswered, per_item.c.offered), else_=0)), 0).label("refused"),
    ).group_by(per_item.c.negotiation_id)


def _owner_totals(owner_id: int, counts: Sequence[Any], last: date | None) -> OwnerTotals:
    # given and got are summed across currencies there, so unused: the money comes per currency from
    # recall_money / overview_money / deal_money
    deals, agreed, no_deal, still_open, _given, _got, accepted, refused = (int(v or 0) for v in counts)
    return OwnerTotals(owner_id, deals, agreed, no_deal, still_open, accepted, refused, last)


def _totals_statement() -> Select[Any]:
    sums = _ledger_sums(_WS, LedgerEntry.counterpart_id.in_(_GROUP)).subquery()
    # "+ 0": grouping by the bare column tempts SQLite into the (workspace, owner, status) index and
    # a scan of the whole workspace; the counterpart's index is the selective one.
    owner = Negotiation.owner_id + 0
    return (
        select(
            owner,
            func.count(Negotiation.id),
            func.count().filter(Negotiation.status == "agreed"),
            func.count().filter(Negotiation.status == "no_deal"),
            func.count().filter(Negotiation.status.in_(("planned", "paused"))),
            func.coalesce(func.sum(sums.c.given), 0),
            func.coalesce(func.sum(sums.c.got), 0),
            func.coalesce(func.sum(sums.c.accepted), 0),
            func.coalesce(func.sum(sums.c.refused), 0),
            func.max(Negotiation.date),
        )
        .select_from(Negotiation)
        .outerjoin(sums, sums.c.negotiation_id == Negotiation.id)
        .where(Negotiation.workspace_id == _WS, Negotiation.counterpart_id.in_(_GROUP))
        .where(Negotiation.id != _EXCLUDE)
        .group_by(owner)
        .order_by(owner)
    )


_RECALL_TOTALS = _totals_statement()


def recall_totals(
    session: Session, workspace_id: int, group: Sequence[int], *, exclude: int | None = None
) -> list[OwnerTotals]:
    """Every negotiation with the counterpart (``group``: :func:`group_of`), summed per owner in the
    database (one statement)."""
    rows = session.execute(_RECALL_TOTALS, _recall_params(workspace_id, group, exclude)).all()
    return [_owner_totals(r[0], r[1:9], r[9]) for r in rows]


def _deals_statement() -> Any:  # a Select of 10 columns
    recent = (
        select(Negotiation.id)
        .where(Negotiation.workspace_id == _WS, Negotiation.counterpart_id.in_(_GROUP))
        .where(Negotiation.id != _EXCLUDE)
        .order_by(Negotiation.date.desc().nulls_last(), Negotiation.id.desc())
        .limit(bindparam("limit"))
        .subquery()
    )
    return (
        select(
            Negotiation.id,
            Negotiation.owner_id,
            Member.display_name,
            Negotiation.title,
            Negotiation.date,
            Negotiation.status,
            Debrief.outcome,
            Debrief.reflection,
            PrepPlan.asks,
            Negotiation.currency,
        )
        .join(recent, recent.c.id == Negotiation.id)
        .join(Member, Member.id == Negotiation.owner_id)
        .outerjoin(Debrief, Debrief.negotiation_id == Negotiation.id)
        .outerjoin(PrepPlan, PrepPlan.negotiation_id == Negotiation.id)
        .order_by(Negotiation.date.desc().nulls_last(), Negotiation.id.desc())
    )


_RECALL_DEALS = _deals_statement()


def recall_deals(
    session: Session,
    workspace_id: int,
    group: Sequence[int],
    *,
    exclude: int | None = None,
    limit: int = RECENT_DEALS,
) -> list[DealRow]:
    """The most recent negotiations with the counterpart (one statement; their money: deal_money)."""
    params = _recall_params(workspace_id, group, exclude) | {"limit": limit}
    rows = session.execute(_RECALL_DEALS, params).all()
    return [
        DealRow(
            r[0],
            r[1],
            r[2] or "",
            r[3],
            r[4],
            r[5],
            r[6],
            r[7] or "",
            r[8] or "",
            r[9],
        )
        for r in rows
    ]


_GIVEN = func.coalesce(func.sum(case((_CONCEDED_LINE, LedgerEntry.value_minor), else_=0)), 0)
_GOT = func.coalesce(
    func.sum(
        case((_CONCEDED_LINE, LedgerEntry.received_value_minor), else_=0)
        + case((LedgerEntry.kind == "received", LedgerEntry.value_minor), else_=0)
    ),
    0,
)


def _money_statement() -> Select[Any]:
    # each negotiation's sums first, then its owner: one probe of negotiations per negotiation rather
    # than per ledger row
    per_deal = (
        select(LedgerEntry.negotiation_id, LedgerEntry.currency, _GIVEN.label("given"), _GOT.label("got"))
        .where(
            LedgerEntry.workspace_id == _WS,
            LedgerEntry.counterpart_id.in_(_GROUP),
            LedgerEntry.negotiation_id != _EXCLUDE,
        )
        .group_by(LedgerEntry.negotiation_id, LedgerEntry.currency)
        .subquery()
    )
    owner = Negotiation.owner_id + 0  # as recall_totals: the counterpart's index is the selective one
    return (
        select(owner, per_deal.c.currency, func.sum(per_deal.c.given), func.sum(per_deal.c.got))
        .join(Negotiation, Negotiation.id == per_deal.c.negotiation_id)
        .group_by(owner, per_deal.c.currency)
        .order_by(owner, per_deal.c.currency)
    )


_RECALL_MONEY = _money_statement()


def recall_money(
    session: Session, workspace_id: int, group: Sequence[int], *, exclude: int | None = None
) -> list[OwnerMoney]:
    """What was conceded and got back with the counterpart, per owner and per currency, never added
    across currencies (one statement; a row's amounts are all in its own currency)."""
    rows = session.execute(_RECALL_MONEY, _recall_params(workspace_id, group, exclude)).all()
    return [OwnerMoney(int(o), c, int(g), int(r)) for o, c, g, r in rows]


_DEAL_MONEY = (
    select(LedgerEntry.negotiation_id, LedgerEntry.currency, _GIVEN, _GOT)
    .where(LedgerEntry.workspace_id == _WS, LedgerEntry.negotiation_id.in_(_IDS))
    .group_by(LedgerEntry.negotiation_id, LedgerEntry.currency)
    .order_by(LedgerEntry.negotiation_id, LedgerEntry.currency)
)


def deal_money(
    session: Session, workspace_id: int, negotiation_ids: Sequence[int]
) -> dict[int, list[tuple[str, int, int]]]:
    """Each negotiation's (currency, conceded, got back) per currency (one statement)."""
    if not negotiation_ids:
        return {}
    rows = session.execute(_DEAL_MONEY, {"workspace_id": workspace_id, "ids": list(negotiation_ids)}).all()
    per: dict[int, list[tuple[str, int, int]]] = {}
    for nid, currency, given, got in rows:
        per.setdefault(int(nid), []).append((currency, int(given), int(got)))
    return per


_RECALL_COMMITMENTS = (
    select(Commitment.negotiation_id, Commitment.owner_id, Commitment.text, Commitment.due)
    .join(Negotiation, Negotiation.id == Commitment.negotiation_id)
    .where(
        Commitment.workspace_id == _WS,
        Commitment.status == "open",
        Negotiation.workspace_id == _WS,
        Negotiation.counterpart_id.in_(_GROUP),
    )
    .order_by(Commitment.due, Commitment.id)
    .limit(OPEN_COMMITMENTS)
)


def recall_commitments(session: Session, workspace_id: int, group: Sequence[int]) -> list[OpenCommitment]:
    """Open commitments on negotiations with the counterpart, either side's (one statement)."""
    rows = session.execute(_RECALL_COMMITMENTS, {"workspace_id": workspace_id, "group": list(group)}).all()
    return [OpenCommitment(*r) for r in rows]


_VALUED = and_(LedgerEntry.value_minor > 0, LedgerEntry.received_value_minor.is_not(None))
# "//": integer division, so a bucket is whole tenths in the database. With "/" SQLAlchemy 2 divides
# as decimals (a NUMERIC cast on PostgreSQL): every exact ratio was its own group, thousands of rows
# for a deep history where a few hundred tenths are (the same histogram once truncated in Python).
_RATIO = LedgerEntry.received_value_minor * RATIO_BUCKETS // LedgerEntry.value_minor
_BUCKET = case((and_(_VALUED, _RATIO > MAX_BUCKET), MAX_BUCKET), (_VALUED, _RATIO), else_=NO_RATIO)
_ACCEPTED = and_(LedgerEntry.kind == "conceded", LedgerEntry.received_item.is_not(None))


def _bucket() -> Any:
    return _BUCKET


def _accepted() -> Any:
    return _ACCEPTED


def _counterpart_evidence() -> Select[Any]:
    ok = case((_accepted(), 1), else_=0)
    bucket = _bucket()
    return (
        select(LedgerEntry.item_key, ok, bucket, func.count())
        .where(
            LedgerEntry.workspace_id == _WS,
            LedgerEntry.counterpart_id.in_(_GROUP),
            LedgerEntry.item_key.in_(_KEYS),
            LedgerEntry.debrief_id.is_not(None),
            or_(_accepted(), refused_offer()),
        )
        .group_by(LedgerEntry.item_key, ok, bucket)
    )


_COUNTERPART_EVIDENCE = _counterpart_evidence()
_KIND_EVIDENCE = select(
    KindTradeTally.item_key, KindTradeTally.accepted, KindTradeTally.bucket, KindTradeTally.count
).where(
    KindTradeTally.workspace_id == _WS,
    KindTradeTally.counterpart_kind == bindparam("kind"),
    KindTradeTally.item_key.in_(_KEYS),
)


def trade_evidence(
    session: Session, workspace_id: int, group: Sequence[int] | None, kind: str, items: Sequence[str]
) -> list[EvidenceRow]:
    """Past trades for these items: with this counterpart (its ledger rows) and with this kind of
    counterpart (the tallies kept at each debrief), grouped by item, outcome and value ratio in
    tenths, so the median comes from a histogram (two statements).

    Accepted: a concession with something received in return. Refused: offered in a debrief and not
    conceded in that negotiation. Approved trade requests count once a debrief records them.
    """
    keys = sorted({k for k in (item_key(i) for i in items) if k})
    if not keys:
        return []
    evidence: list[EvidenceRow] = []
    if group:
        params = {"workspace_id": workspace_id, "group": list(group), "keys": keys}
        rows = session.execute(_COUNTERPART_EVIDENCE, params).all()
        evidence += [
            EvidenceRow(True, k, bool(a), None if b == NO_RATIO else int(b), int(n)) for k, a, b, n in rows
        ]
    params = {"workspace_id": workspace_id, "kind": kind, "keys": keys}
    tallies = session.execute(_KIND_EVIDENCE, params).all()
    evidence += [
        EvidenceRow(False, k, bool(a), None if b == NO_RATIO else int(b), int(n)) for k, a, b, n in tallies
    ]
    return evidence


# ---------------------------------------------------------------------- trade requests as evidence
#
# A trade request's final state is on its negotiation's ledger (storage.queries.trades.record_on_ledger:
# ``trade_id`` set, no ``debrief_id``). An approved (or counter-accepted) request is an *accepted*
# trade as soon as it is decided; a rejected one is *refused*; withdrawn and expired ones are no
# evidence. No double counting: the debrief form is pre-filled with the negotiation's approved
# requests, so once a negotiation is debriefed its debrief lines are the record of what was traded and
# its approved requests stop counting. A rejected request is never on the debrief, so it keeps counting.

_DEBRIEFED = exists().where(
    Debrief.workspace_id == LedgerEntry.workspace_id, Debrief.negotiation_id == LedgerEntry.negotiation_id
)
_REQUEST_LINE = and_(LedgerEntry.trade_id.is_not(None), LedgerEntry.debrief_id.is_(None))
_APPROVED_REQUEST = and_(
    _REQUEST_LINE,
    LedgerEntry.kind == "offered",
    TradeProposal.status.in_(("approved", "accepted")),
    ~_DEBRIEFED,
)
_REJECTED_REQUEST = and_(_REQUEST_LINE, LedgerEntry.kind == "held", TradeProposal.status == "rejected")
_DEBRIEF_ACCEPTED = and_(LedgerEntry.debrief_id.is_not(None), _ACCEPTED)
_EVIDENCE_ACCEPTED = or_(_DEBRIEF_ACCEPTED, _APPROVED_REQUEST)
_EVIDENCE = or_(_DEBRIEF_ACCEPTED, _REFUSED, _APPROVED_REQUEST, _REJECTED_REQUEST)
_EVIDENCE_BUCKET = case((_EVIDENCE_ACCEPTED, _BUCKET), else_=NO_RATIO)


def _request_evidence() -> Select[Any]:
    ok = case((_APPROVED_REQUEST, 1), else_=0)
    bucket = case((_APPROVED_REQUEST, _BUCKET), else_=NO_RATIO)
    return (
        select(LedgerEntry.item_key, ok, bucket, func.count())
        .join(TradeProposal, TradeProposal.id == LedgerEntry.trade_id)
        .where(
            LedgerEntry.workspace_id == _WS,
            LedgerEntry.counterpart_id.in_(_GROUP),
            LedgerEntry.item_key.in_(_KEYS),
            LedgerEntry.trade_id.is_not(None),  # spelled out: the request lines' partial index
            or_(_APPROVED_REQUEST, _REJECTED_REQUEST),
        )
        .group_by(LedgerEntry.item_key, ok, bucket)
    )


_REQUEST_EVIDENCE = _request_evidence()


def request_evidence(
    session: Session, workspace_id: int, group: Sequence[int] | None, items: Sequence[str]
) -> list[EvidenceRow]:
    """Decided trade requests for these items with this counterpart (``group``), as evidence rows
    beside :func:`trade_evidence`'s debrief rows (one statement; none without a counterpart)."""
    keys = sorted({k for k in (item_key(i) for i in items) if k})
    if not keys or not group:
        return []
    params = {"workspace_id": workspace_id, "group": list(group), "keys": keys}
    rows = session.execute(_REQUEST_EVIDENCE, params).all()
    return [EvidenceRow(True, k, bool(a), None if b == NO_RATIO else int(b), int(n)) for k, a, b, n in rows]


_OWNER = Negotiation.owner_id + 0
_RECALL_REQUESTS = (
    select(_OWNER, func.count().filter(_APPROVED_REQUEST), func.count().filter(_REJECTED_REQUEST))
    .select_from(LedgerEntry)
    .join(TradeProposal, TradeProposal.id == LedgerEntry.trade_id)
    .join(Negotiation, Negotiation.id == LedgerEntry.negotiation_id)
    .where(
        LedgerEntry.workspace_id == _WS,
        LedgerEntry.counterpart_id.in_(_GROUP),
        LedgerEntry.negotiation_id != _EXCLUDE,
        LedgerEntry.trade_id.is_not(None),  # spelled out: the request lines' partial index
        or_(_APPROVED_REQUEST, _REJECTED_REQUEST),
    )
    .group_by(_OWNER)
)


def recall_requests(
    session: Session, workspace_id: int, group: Sequence[int], *, exclude: int | None = None
) -> dict[int, tuple[int, int]]:
    """Per owner: trade requests with the counterpart approved (not yet debriefed) and rejected,
    counted as the ranking counts them (one statement)."""
    rows = session.execute(_RECALL_REQUESTS, _recall_params(workspace_id, group, exclude)).all()
    return {int(o): (int(a), int(r)) for o, a, r in rows}


# Every workspace's tallies from its ledger: what the tallies must equal at any moment (the app keeps
# them incrementally with tally/untally; benchmarks load a ledger in bulk and then build them;
# tests/app/test_counterpart_evidence.py compares the two after debriefs, trades and erasures).
_SQL_DEBRIEF_ACCEPTED = "(e.debrief_id IS NOT NULL AND e.kind = 'conceded' AND e.received_item IS NOT NULL)"
_SQL_APPROVED_REQUEST = (
    "(e.trade_id IS NOT NULL AND e.debrief_id IS NULL AND e.kind = 'offered'"
    " AND t.status IN ('approved', 'accepted') AND NOT EXISTS ("
    "SELECT 1 FROM debriefs d WHERE d.workspace_id = e.workspace_id AND d.negotiation_id = e.negotiation_id))"
)
_SQL_ACCEPTED = f"({_SQL_DEBRIEF_ACCEPTED} OR {_SQL_APPROVED_REQUEST})"
_SQL_REFUSED = (
    "((e.debrief_id IS NOT NULL AND e.kind = 'offered' AND NOT EXISTS ("
    "SELECT 1 FROM ledger_entries c WHERE c.workspace_id = e.workspace_id"
    " AND c.negotiation_id = e.negotiation_id AND c.kind = 'conceded' AND c.item_key = e.item_key))"
    " OR (e.trade_id IS NOT NULL AND e.debrief_id IS NULL AND e.kind = 'held' AND t.status = 'rejected'))"
)
REBUILD_TALLIES = f"""
INSERT INTO kind_trade_tallies (workspace_id, counterpart_kind, item_key, item, accepted, bucket, count)
SELECT workspace_id, counterpart_kind, item_key, min(item), accepted, bucket, count(*) FROM (
  SELECT e.workspace_id, e.counterpart_kind, e.item_key, e.item,
         CASE WHEN {_SQL_ACCEPTED} THEN 1 = 1 ELSE 1 = 0 END AS accepted,
         CASE WHEN {_SQL_ACCEPTED} AND e.value_minor > 0 AND e.received_value_minor IS NOT NULL
              THEN CASE WHEN e.received_value_minor * 10 / e.value_minor > 1000 THEN 1000
                        ELSE e.received_value_minor * 10 / e.value_minor END
              ELSE -1 END AS bucket
  FROM ledger_entries e LEFT JOIN trade_proposals t ON t.id = e.trade_id
  WHERE e.counterpart_kind IS NOT NULL AND e.item_key IS NOT NULL AND e.item_key <> ''
    AND ({_SQL_ACCEPTED} OR {_SQL_REFUSED})
) evidence
GROUP BY workspace_id, counterpart_kind, item_key, accepted, bucket
"""


def _tally(session: Session, workspace_id: int, negotiation_ids: Any, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) these negotiations' trades from their kinds' tallies.

    A negotiation's contribution depends only on its own rows (its ledger, its requests' states,
    whether it is debriefed), so the tallies stay the sum over negotiations that
    :data:`REBUILD_TALLIES` computes as long as every change to a negotiation's rows is made between
    :func:`untally` and :func:`tally` of it."""
    session.flush()
    ok = case((_EVIDENCE_ACCEPTED, True), else_=False)
    bucket = _EVIDENCE_BUCKET
    rows = session.execute(
        select(
            LedgerEntry.counterpart_kind,
            LedgerEntry.item_key,
            func.min(LedgerEntry.item),
            ok,
            bucket,
            func.count(),
        )
        .outerjoin(TradeProposal, TradeProposal.id == LedgerEntry.trade_id)
        .where(
            LedgerEntry.workspace_id == workspace_id,
            LedgerEntry.negotiation_id.in_(negotiation_ids),
            LedgerEntry.counterpart_kind.is_not(None),
            LedgerEntry.item_key.is_not(None),
            LedgerEntry.item_key != "",
            _EVIDENCE,
        )
        .group_by(LedgerEntry.counterpart_kind, LedgerEntry.item_key, ok, bucket)
    ).all()
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    for kind, key, item, accepted, bucket_value, count in rows:
        statement = insert(KindTradeTally).values(
            workspace_id=workspace_id, counterpart_kind=kind, item_key=key, item=(item or "")[:500],
            accepted=bool(accepted), bucket=int(bucket_value), count=sign * int(count),
        )  # fmt: skip
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["workspace_id", "counterpart_kind", "item_key", "accepted", "bucket"],
                set_={"count": KindTradeTally.count + statement.excluded.count},
            )
        )
    if sign < 0:
        session.execute(
            delete(KindTradeTally).where(
                KindTradeTally.workspace_id == workspace_id, KindTradeTally.count <= 0
            )
        )


def tally(session: Session, workspace_id: int, negotiation_ids: Any) -> None:
    """Add these negotiations' trades (ids, or a select of them) to their kinds' tallies."""
    _tally(session, workspace_id, negotiation_ids, 1)


def untally(session: Session, workspace_id: int, negotiation_ids: Any) -> None:
    """Take these negotiations' trades out of the tallies: call it before their ledger rows, their
    requests or their debrief change (or go), and :func:`tally` after (unless they are gone)."""
    _tally(session, workspace_id, negotiation_ids, -1)


def tally_debrief(session: Session, workspace_id: int, negotiation_id: int) -> None:
    """Add a debriefed negotiation's trades to the tallies (after :func:`untally` of it, before the
    debrief was written: a debrief supersedes the negotiation's approved requests)."""
    tally(session, workspace_id, [negotiation_id])


_MEMBER_TREE = select(Member.id, Member.manager_id).where(Member.workspace_id == _WS)


def member_tree(session: Session, workspace_id: int) -> dict[int, int | None]:
    """Every member's manager (one statement): the chain above a deal's owner sees the deal."""
    rows = session.execute(_MEMBER_TREE, {"workspace_id": workspace_id}).all()
    return {mid: manager for mid, manager in rows}


@dataclass(frozen=True)
class OverviewRow:
    counterpart_id: int
    name: str
    totals: list[OwnerTotals]


def overview_rows(session: Session, workspace_id: int, *, limit: int) -> list[OverviewRow]:
    """The counterparts most recently met (merged ones counted with their root), per-owner totals
    for each (two statements: the roots, then their sums)."""
    root = func.coalesce(Counterpart.merged_into_id, Counterpart.id)
    top = session.execute(
        select(root.label("root"), func.max(Negotiation.date), func.max(Negotiation.id))
        .select_from(Negotiation)
        .join(Counterpart, Counterpart.id == Negotiation.counterpart_id)
        .where(Negotiation.workspace_id == workspace_id, Counterpart.workspace_id == workspace_id)
        .group_by(root)
        .order_by(func.max(Negotiation.date).desc().nulls_last(), func.max(Negotiation.id).desc())
        .limit(limit * 3)
    ).all()
    roots = [r[0] for r in top]
    if not roots:
        return []
    names = dict(
        session.execute(
            select(Counterpart.id, Counterpart.name).where(
                Counterpart.workspace_id == workspace_id,
                Counterpart.id.in_(roots),
                Counterpart.deleted_at.is_(None),
            )
        ).all()
    )
    group = select(Counterpart.id).where(Counterpart.workspace_id == workspace_id, root.in_(list(names)))
    sums = _ledger_sums(workspace_id, LedgerEntry.counterpart_id.in_(group)).subquery()
    nroot = (
        select(func.coalesce(Counterpart.merged_into_id, Counterpart.id))
        .where(Counterpart.id == Negotiation.counterpart_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            nroot,
            Negotiation.owner_id,
            func.count(Negotiation.id),
            func.count().filter(Negotiation.status == "agreed"),
            func.count().filter(Negotiation.status == "no_deal"),
            func.count().filter(Negotiation.status.in_(("planned", "paused"))),
            func.coalesce(func.sum(sums.c.given), 0),
            func.coalesce(func.sum(sums.c.got), 0),
            func.coalesce(func.sum(sums.c.accepted), 0),
            func.coalesce(func.sum(sums.c.refused), 0),
            func.max(Negotiation.date),
        )
        .select_from(Negotiation)
        .outerjoin(sums, sums.c.negotiation_id == Negotiation.id)
        .where(Negotiation.workspace_id == workspace_id, Negotiation.counterpart_id.in_(group))
        .group_by(nroot, Negotiation.owner_id)
    ).all()
    per: dict[int, list[OwnerTotals]] = {}
    for r in rows:
        per.setdefault(r[0], []).append(_owner_totals(r[1], r[2:10], r[10]))
    return [OverviewRow(cid, names[cid], per.get(cid, [])) for cid in roots if cid in names][: limit * 3]


def overview_money(session: Session, workspace_id: int, roots: Sequence[int]) -> dict[int, list[OwnerMoney]]:
    """For the Home list: each root counterpart's (and its merged ones') money per owner and currency
    (one statement)."""
    if not roots:
        return {}
    root = func.coalesce(Counterpart.merged_into_id, Counterpart.id)
    rows = session.execute(
        select(root, Negotiation.owner_id, LedgerEntry.currency, _GIVEN, _GOT)
        .select_from(LedgerEntry)
        .join(Counterpart, Counterpart.id == LedgerEntry.counterpart_id)
        .join(Negotiation, Negotiation.id == LedgerEntry.negotiation_id)
        .where(
            LedgerEntry.workspace_id == workspace_id,
            Counterpart.workspace_id == workspace_id,
            root.in_(list(roots)),
        )
        .group_by(root, Negotiation.owner_id, LedgerEntry.currency)
    ).all()
    per: dict[int, list[OwnerMoney]] = {}
    for cid, owner, currency, given, got in rows:
        per.setdefault(int(cid), []).append(OwnerMoney(int(owner), currency, int(given), int(got)))
    return per


def count_overview(session: Session, workspace_id: int, owners: Sequence[int] | None) -> int:
    """How many live counterparts have negotiations here (``owners``: only those owned by these), so
    the Home list can say how many more there are than it shows (one statement)."""
    root = func.coalesce(Counterpart.merged_into_id, Counterpart.id)
    roots = (
        select(root.label("root"))
        .select_from(Negotiation)
        .join(Counterpart, Counterpart.id == Negotiation.counterpart_id)
        .where(Negotiation.workspace_id == workspace_id, Counterpart.workspace_id == workspace_id)
    )
    if owners is not None:
        roots = roots.where(Negotiation.owner_id.in_(list(owners)))
    live = aliased(Counterpart)
    return int(
        session.scalar(
            select(func.count(func.distinct(live.id))).where(
                live.workspace_id == workspace_id,
                live.deleted_at.is_(None),
                live.id.in_(roots),
            )
        )
        or 0
    )


# ------------------------------------------------------------------------------------------ review


def review_kinds(session: Session, workspace_id: int, start: datetime, end: datetime) -> list[KindOutcomes]:
    """Debriefed deals in ``[start, end)`` per counterpart kind, with how they ended (one statement)."""
    rows = session.execute(
        select(
            Negotiation.counterpart_kind,
            func.count(),
            func.count().filter(Debrief.outcome == "agreed"),
            func.count().filter(Debrief.outcome == "no_deal"),
        )
        .join(Debrief, Debrief.negotiation_id == Negotiation.id)
        .where(
            Debrief.workspace_id == workspace_id,
            Debrief.submitted_at >= start,
            Debrief.submitted_at < end,
        )
        .group_by(Negotiation.counterpart_kind)
        .order_by(Negotiation.counterpart_kind)
    ).all()
    return [KindOutcomes(k, int(n), int(a), int(d)) for k, n, a, d in rows]


def review_trades(
    session: Session, workspace_id: int, start: datetime, end: datetime, attention: Fraction
) -> list[TradeUse]:
    """Trades recorded in debriefs in ``[start, end)`` per item and kind: accepted, refused, how their
    deals ended, and how many returned less than ``attention`` × their cost (one statement)."""
    accepted = and_(LedgerEntry.kind == "conceded", LedgerEntry.received_item.is_not(None))
    refused = refused_offer()
    # "returned less than the ratio": judged only when what came back is valued in the trade's own
    # currency (a return priced in another currency is on its own ``received`` row and is never
    # compared with a cost in a different currency; an unvalued return can't be judged)
    low = and_(
        accepted,
        LedgerEntry.value_minor > 0,
        LedgerEntry.received_value_minor.is_not(None),
        LedgerEntry.received_value_minor * attention.denominator
        < LedgerEntry.value_minor * attention.numerator,
    )
    rows = session.execute(
        select(
            LedgerEntry.item_key,
            func.min(LedgerEntry.item),
            LedgerEntry.counterpart_kind,
            func.count().filter(accepted),
            func.count().filter(refused),
            func.count(func.distinct(case((Negotiation.status == "agreed", Negotiation.id), else_=None))),
            func.count(func.distinct(Negotiation.id)),
            func.count().filter(low),
        )
        .join(Negotiation, Negotiation.id == LedgerEntry.negotiation_id)
        .where(
            LedgerEntry.workspace_id == workspace_id,
            LedgerEntry.recorded_at >= start,
            LedgerEntry.recorded_at < end,
            LedgerEntry.debrief_id.is_not(None),
            or_(accepted, refused),
        )
        .group_by(LedgerEntry.item_key, LedgerEntry.counterpart_kind)
    ).all()
    return [
        TradeUse(item or key or "", kind or "other", int(a), int(r), int(ag), int(d), int(lo))
        for key, item, kind, a, r, ag, d, lo in rows
    ]


def review_breaches(session: Session, workspace_id: int, start: datetime, end: datetime) -> list[Breach]:
    """Limits breached in debriefs of ``[start, end)``, most often first (one statement; the JSON
    list is read in Python, it is short and mostly empty)."""
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for (breached,) in session.execute(
        select(Debrief.analysis["limits_breached"]).where(
            Debrief.workspace_id == workspace_id, Debrief.submitted_at >= start, Debrief.submitted_at < end
        )
    ):
        for entry in breached or []:
            limit = entry.get("limit") if isinstance(entry, dict) else None
            if isinstance(limit, str) and limit.strip():
                key = item_key(limit)
                counts[key] = counts.get(key, 0) + 1
                shown.setdefault(key, limit.strip())
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [Breach(shown[key], count) for key, count in ordered]
