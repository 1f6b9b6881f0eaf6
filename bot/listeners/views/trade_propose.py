"""The trade modal is submitted (a new proposal).

Field problems come back under their input and change nothing; when nobody approves for the member
the modal is replaced by who can set an approver; otherwise the modal closes and the request is DMed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.team import WhoCanSet
from bot.flows.trades import Duplicate, Invalid, ProposalForm, Proposed, submit_proposal
from bot.flows.trades_modal import terms_form
from bot.flows.trades_notifier import announce_request
from bot.flows.trades_presenter import no_approver_context
from bot.services import Services
from templates import render_view
from templates.ids.trades import TradeBlock


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    view = edge.view_of(body)
    values = edge.form_values(view)
    needed_by = edge.selected_date(values, TradeBlock.NEEDED_BY)
    if needed_by == "bad":
        ack(response_action="errors", errors={TradeBlock.NEEDED_BY: "Pick a date from the calendar."})
        return
    actor = edge.actor(context)
    form = ProposalForm(
        terms_form(values),
        edge.selected_int(values, TradeBlock.NEGOTIATION),
        needed_by if isinstance(needed_by, date) else None,
    )
    result = submit_proposal(services, actor, form, f"view:{view.get('id')}:{view.get('hash', '')}")
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
