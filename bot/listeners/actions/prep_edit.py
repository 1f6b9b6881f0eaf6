"""*Edit prep* on a prep plan: reopen the prep modal prefilled from what was saved (owner only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.flows.prep import NegotiationError, prep_form_for_edit
from bot.listeners.views.prep_delivery import answer, click_channel, clicked_negotiation, modal_did_not_open
from bot.listeners.views.prep_modal import PrepModalMeta, open_prep_modal
from bot.services import Services
from templates.ids.negotiation import NegotiationAction


class EditPrep:
    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        ack()
        clicked = clicked_negotiation(
            self.services, client, body, respond, context, instead="Run `/negotiate prep` to prepare again."
        )
        if clicked is None:
            return
        ref, actor = clicked
        try:
            form, currency = prep_form_for_edit(self.services, actor, ref.negotiation_id)
        except NegotiationError as error:
            answer(respond, client, body, "You can't edit this prep", str(error))
            return
        try:
            open_prep_modal(
                client,
                body["trigger_id"],
                form=form,
                meta=PrepModalMeta(negotiation_id=ref.negotiation_id, channel_id=click_channel(body)),
                style=actor.style,
                editing=True,
                currency=currency,
            )
        except (SlackClientError, OSError) as error:
            modal_did_not_open(respond, client, body, actor, "prep", error)


def register(app: App, services: Services) -> None:
    app.action(NegotiationAction.EDIT_PREP.value)(EditPrep(services))
