"""Submissions of the trade modals: propose, counter and reject.

Field problems come back under their input (``response_action: errors``) and change nothing; when
nobody approves for the member the modal is replaced by who can set an approver; otherwise the modal
closes and the request is DMed (or updated in place) after the ack.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.flows.team import WhoCanSet
from bot.flows.trades import (
    Decided,
    Duplicate,
    Invalid,
    Move,
    ProposalForm,
    Proposed,
    Refused,
    TermsForm,
    TradeRef,
    announce_decision,
    announce_request,
    decide,
    no_approver_context,
    submit_proposal,
)
from bot.members import actor_for_interaction
from bot.metadata import MetadataError, load
from bot.services import Services
from templates import render_view
from templates.ids.trades import TradeBlock, TradeCallback


def _entry(values: dict[str, Any], block: str) -> dict[str, Any]:
    entry = (values.get(block) or {}).get(block)
    return entry if isinstance(entry, dict) else {}


def _text(values: dict[str, Any], block: str) -> str:
    value = _entry(values, block).get("value")
    return value if isinstance(value, str) else ""


def _terms(values: dict[str, Any]) -> TermsForm:
    return TermsForm(
        get=_text(values, TradeBlock.GET),
        get_value=_text(values, TradeBlock.GET_VALUE),
        give=_text(values, TradeBlock.GIVE),
        give_cost=_text(values, TradeBlock.GIVE_COST),
        reason=_text(values, TradeBlock.REASON),
    )


def _negotiation_id(values: dict[str, Any]) -> int | None:
    option = _entry(values, TradeBlock.NEGOTIATION).get("selected_option") or {}
    raw = option.get("value") if isinstance(option, dict) else None
    return int(raw) if isinstance(raw, str) and raw.isdigit() else None


def _needed_by(values: dict[str, Any]) -> date | str | None:
    raw = _entry(values, TradeBlock.NEEDED_BY).get("selected_date")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        return "bad"


def _ref(view: dict[str, Any]) -> TradeRef | None:
    try:
        return load(TradeRef, view.get("private_metadata"))
    except MetadataError:
        return None


def register(app: App, services: Services) -> None:
    @app.view(TradeCallback.PROPOSE.value)
    def propose(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        view = body["view"]
        values = view["state"]["values"]
        needed_by = _needed_by(values)
        if needed_by == "bad":
            ack(response_action="errors", errors={TradeBlock.NEEDED_BY: "Pick a date from the calendar."})
            return
        actor = actor_for_interaction(services, client, body, context)
        form = ProposalForm(
            _terms(values), _negotiation_id(values), needed_by if isinstance(needed_by, date) else None
        )
        result = submit_proposal(services, actor, form, f"view:{view['id']}:{view.get('hash', '')}")
        if isinstance(result, Invalid):
            ack(response_action="errors", errors=result.errors)
        elif isinstance(result, WhoCanSet):
            ack(
                response_action="update",
                view=render_view("views/trade_no_approver", **no_approver_context(result)),
            )
        elif isinstance(result, Duplicate):
            ack()
        else:
            assert isinstance(result, Proposed)
            ack()
            announce_request(services, client, result)

    @app.view(TradeCallback.COUNTER.value)
    def counter(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        _decide_in_modal(
            services,
            ack,
            body,
            client,
            context,
            Move.COUNTER,
            TradeBlock.GIVE,
            terms=_terms(body["view"]["state"]["values"]),
        )

    @app.view(TradeCallback.REJECT.value)
    def reject(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        reason = _text(body["view"]["state"]["values"], TradeBlock.REJECT_REASON)
        _decide_in_modal(
            services, ack, body, client, context, Move.REJECT, TradeBlock.REJECT_REASON, reason=reason
        )


def _decide_in_modal(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    move: Move,
    error_block: str,
    *,
    reason: str = "",
    terms: TermsForm | None = None,
) -> None:
    ref = _ref(body["view"])
    if ref is None:
        ack(
            response_action="errors",
            errors={error_block: "This form is out of date: close it and click again."},
        )
        return
    actor = actor_for_interaction(services, client, body, context)
    result = decide(services, actor, ref, move, reason=reason, terms=terms)
    if isinstance(result, Invalid):
        ack(response_action="errors", errors=result.errors)
    elif isinstance(result, Refused):
        ack(response_action="errors", errors={error_block: result.text})
    else:
        assert isinstance(result, Decided)
        ack()
        announce_decision(services, client, result)
