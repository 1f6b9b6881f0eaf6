"""The context for trades' templates: the request as each side sees it, notices, the overview, the
modals (propose, counter, reject), and times in the reader's zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.flows.team import WhoCanSet
from bot.flows.trades import ProposeModal, TradeLine, TradeOverview, TradeRef
from bot.flows.trades_decisions import Draft, Refused
from bot.flows.trades_records import (
    COUNTERED,
    PENDING,
    Role,
    Users,
    _day,
    _negotiation_label,
    _prep_limits,
    approver_side,
    countered_by,
    slack_id,
    terms_of,
    users_of,
    zone,
)
from coaching.dates import ENGLISH_SHORT, DateReader, date_reader_of, dates_as, moment_words
from coaching.styles import profile_for
from coaching.zones import parse_style as _style
from storage.models import Member, TradeProposal
from storage.queries.members import find_member, get_member
from storage.queries.negotiations import find_negotiation
from storage.queries.trades import (
    FINAL_STATUSES,
)
from templates import Message, render_message


def request_context(session: Session, trade: TradeProposal, role: Role) -> dict[str, Any]:
    """The ``messages/trade_request`` context for one copy of the request."""
    users = users_of(session, trade)
    requester = get_member(session, trade.workspace_id, trade.requester_id)
    negotiation = (
        find_negotiation(session, trade.workspace_id, trade.negotiation_id) if trade.negotiation_id else None
    )
    decided_by = get_member(session, trade.workspace_id, trade.decided_by_id) if trade.decided_by_id else None
    reader = _reader_tz(session, trade, role)
    terms = terms_of(trade)
    profile = profile_for(_style(requester.style if requester else None))
    final = trade.status in FINAL_STATUSES
    if final:
        actions: list[str] = []
    elif role is Role.PROPOSER:
        actions = ["accept", "counter", "withdraw"] if trade.status == COUNTERED else ["withdraw"]
    else:
        actions = ["approve", "reject", "counter"] if trade.status == PENDING else []
    waiting_on = (
        "" if final else (approver_side(session, trade, users) if trade.status == PENDING else users.proposer)
    )
    escalated_this_turn = trade.escalated_at is not None and (
        trade.turn_started_at is None or trade.escalated_at >= trade.turn_started_at
    )
    return {
        "ref": {"trade_id": trade.id, "round": trade.rounds},
        "role": role.value,
        "status": trade.status,
        "sentence": terms.sentence,
        "negotiation": _negotiation_label(negotiation) if negotiation else "",
        "receive": terms.get,
        "receive_value": terms.get_value.format() if terms.get_value else "",
        "give": terms.give,
        "give_cost": terms.give_cost.format() if terms.give_cost else "",
        "reason": trade.reason or "",
        "needed_by": _day(trade.needed_by) if trade.needed_by else "",
        "checks": [
            {"severity": str(check.get("severity", "info")), "message": str(check.get("message", ""))}
            for check in (trade.checks or [])
        ],
        "limits": list(_prep_limits(session, trade.workspace_id, negotiation)),
        "proposer": users.proposer,
        "approver": users.approver,
        "escalated_to": users.escalated_to,
        "style": profile.label,
        "concedes": profile.concedes,
        "rounds": trade.rounds,
        "countered_by": countered_by(session, trade, users),
        "escalated_this_turn": escalated_this_turn,
        "waiting_on": waiting_on,
        "since": when(trade.turn_started_at, reader),
        "decided_by": slack_id(decided_by),
        "decided_at": when(trade.decided_at, reader),
        "decision_reason": trade.decision_reason or "",
        "actions": actions,
    }


def request_message(session: Session, trade: TradeProposal, role: Role) -> Message:
    with dates_as(_dates_of(session, trade, role)):  # each copy in its reader's way, whoever triggered it
        return render_message("messages/trade_request", trade=request_context(session, trade, role))


def notice_message(
    session: Session, trade: TradeProposal, kind: str, to: Role, *, by_user_id: str = ""
) -> Message:
    """A short note in a side's thread: decided, countered, withdrawn, reminded, escalated, expired."""
    users = users_of(session, trade)
    with dates_as(_dates_of(session, trade, to)):
        return _notice(session, trade, kind, to, by_user_id, users)


def _notice(
    session: Session, trade: TradeProposal, kind: str, to: Role, by_user_id: str, users: Users
) -> Message:
    return render_message(
        "messages/trade_notice",
        kind=kind,
        to=to.value,
        by=by_user_id,
        sentence=terms_of(trade).sentence,
        reason=trade.decision_reason or "",
        proposer=users.proposer,
        approver=approver_side(session, trade, users),
        escalated_to=users.escalated_to,
        since=when(trade.turn_started_at, _reader_tz(session, trade, to)),
    )


def thread_of(trade: TradeProposal, to: Role) -> str | None:
    """The ts of ``to``'s copy of the request, to thread notes under it."""
    if to is Role.PROPOSER:
        return trade.proposer_ts
    if to is Role.APPROVER:
        return trade.slack_ts
    return None


def overview_message(overview: TradeOverview, tz: str) -> Message:
    return render_message(
        "messages/trade_list",
        mine=[_line_context(line, tz) for line in overview.mine],
        waiting=[_line_context(line, tz) for line in overview.waiting],
    )


def refused_message(refused: Refused, tz: str) -> Message:
    return render_message(
        "messages/trade_refused",
        kind=refused.kind.value,
        status=refused.status,
        user=refused.user_id,
        at=when(refused.at, tz),
    )


def _line_context(line: TradeLine, tz: str) -> dict[str, Any]:
    return {
        "sentence": line.sentence,
        "status": line.status,
        "other": line.other_user_id,
        "since": when(line.since, tz),
        "needed_by": _day(line.needed_by) if line.needed_by else "",
    }


def no_approver_context(who: WhoCanSet) -> dict[str, Any]:
    return {"admins": who.admins[:20], "can_set_own": who.can_set_own}


def propose_view_context(modal: ProposeModal) -> dict[str, Any]:
    terms = modal.terms
    return {
        "mode": "propose",
        "metadata": {},
        "approver": modal.approver_user_id,
        "negotiations": [{"id": str(n.id), "label": n.label} for n in modal.negotiations[:100]],
        "selected": str(modal.selected) if modal.selected is not None else "",
        "suggestions": [
            {
                "label": f"{s.give} for {s.get}",
                "value": {"negotiation_id": modal.selected, "index": index},
                "chosen": s == terms,
            }
            for index, s in enumerate(modal.suggestions)
        ],
        "terms": (
            {
                "receive": terms.get,
                "receive_value": terms.get_value,
                "give": terms.give,
                "give_cost": terms.give_cost,
                "reason": "",
            }
            if terms is not None
            else {"receive": "", "receive_value": "", "give": "", "give_cost": "", "reason": ""}
        ),
        "currency": modal.currency,
        "sentence": "",
        "author": "",
        "their_reason": "",
    }


def counter_view_context(ref: TradeRef, draft: Draft) -> dict[str, Any]:
    form = draft.form
    return {
        "mode": "counter",
        "metadata": {"trade_id": ref.trade_id, "round": ref.round},
        "approver": "",
        "negotiations": [],
        "selected": "",
        "suggestions": [],
        "terms": {
            "receive": form.get,
            "receive_value": form.get_value,
            "give": form.give,
            "give_cost": form.give_cost,
            "reason": "",  # why *this* counter: the other side's reason is shown above, not pre-filled
        },
        "currency": draft.currency,
        "sentence": draft.sentence,
        "author": draft.author_user_id,
        "their_reason": form.reason,
    }


def reject_view_context(ref: TradeRef, draft: Draft) -> dict[str, Any]:
    return {
        "metadata": {"trade_id": ref.trade_id, "round": ref.round},
        "sentence": draft.sentence,
        "proposer": draft.author_user_id,
    }


def when(moment: datetime | None, tz: str | None) -> str:
    """``Mon 23 Nov 2026 at 09:30 GMT`` in the reader's time zone ("" for no moment)."""
    if moment is None:
        return ""
    return moment_words(moment.astimezone(zone(tz)), zone_name=True)


def _reader(session: Session, trade: TradeProposal, role: Role) -> Member | None:
    """Who reads ``role``'s copy of the request."""
    if role is Role.PROPOSER:
        return get_member(session, trade.workspace_id, trade.requester_id)
    if role is Role.APPROVER:
        return get_member(session, trade.workspace_id, trade.approver_id) if trade.approver_id else None
    return find_member(session, trade.workspace_id, trade.escalated_to) if trade.escalated_to else None


def _reader_tz(session: Session, trade: TradeProposal, role: Role) -> str:
    member = _reader(session, trade, role)
    return member.tz if member is not None else "UTC"


def _dates_of(session: Session, trade: TradeProposal, role: Role) -> DateReader:
    member = _reader(session, trade, role)
    return date_reader_of(member.settings) if member is not None else ENGLISH_SHORT
