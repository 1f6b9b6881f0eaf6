"""The commit modal is submitted: check it (errors under the fields), store it, send the card(s)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.flows.commitments import CommitForm, card_message, record_commitment, validate_commit
from bot.flows.home import refresh_home
from bot.members import actor_for_interaction, fetch_profile
from bot.messaging import post_dm
from bot.services import Services
from storage.queries.members import Profile
from templates import mention, trusted
from templates.ids.commitments import CommitBlock, CommitCallback

logger = logging.getLogger(__name__)


def field(values: dict[str, Any], block: CommitBlock) -> str | None:
    """The submitted value of the input ``block`` (whatever its element type), or None if empty."""
    state = (values.get(block.value) or {}).get(block.value) or {}
    for key in ("value", "selected_user", "selected_date"):
        if isinstance(state.get(key), str):
            return str(state[key])
    option = state.get("selected_option")
    if isinstance(option, dict) and isinstance(option.get("value"), str):
        return str(option["value"])
    return None


def read_form(view: dict[str, Any]) -> CommitForm:
    values = (view.get("state") or {}).get("values") or {}
    negotiation = field(values, CommitBlock.NEGOTIATION)
    return CommitForm(
        what=field(values, CommitBlock.WHAT),
        owner_user_id=field(values, CommitBlock.OWNER),
        owed_to_user_id=field(values, CommitBlock.OWED_TO),
        due=field(values, CommitBlock.DUE),
        negotiation=None if negotiation == "none" else negotiation,
        notice_days=field(values, CommitBlock.NOTICE_DAYS),
        percent=field(values, CommitBlock.PERCENT),
        value_base=field(values, CommitBlock.VALUE_BASE),
        charged_to=field(values, CommitBlock.CHARGED_TO),
    )


def register(app: App, services: Services) -> None:
    @app.view(CommitCallback.CREATE.value)
    def commit_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        user_id = body["user"]["id"]
        actor = actor_for_interaction(services, client, body, context)
        valid, errors = validate_commit(
            services, actor.workspace_id, actor.member_id, actor.tz, read_form(view)
        )
        if valid is None:
            ack(response_action="errors", errors=errors)
            return
        ack()
        others = {uid for uid in (valid.owner_user_id, valid.owed_to_user_id) if uid and uid != user_id}
        profiles: dict[str, Profile | None] = {uid: fetch_profile(client, uid) for uid in sorted(others)}
        recorded = record_commitment(
            services, actor.workspace_id, actor.member_id, user_id, valid, profiles=profiles,
            idempotency_key=f"view:{view['id']}:{view['hash']}",
        )  # fmt: skip
        if recorded is None:  # the same submission again (a double click or a redelivery)
            return
        note = "Recorded. Parley reminds the owner in their own working hours."
        deliveries = [(user_id, card_message(recorded.item, note=note))]
        if recorded.owner_item is not None:
            intro = trusted(f"{mention(user_id)} recorded a commitment you own.")
            deliveries.append((recorded.owner_user_id, card_message(recorded.owner_item, intro=intro)))
        for recipient, message in deliveries:
            try:
                post_dm(client, recipient, message)
            except (SlackApiError, SlackRequestError, OSError) as error:
                logger.warning("could not DM the commitment card to %s: %s", recipient, type(error).__name__)
            refresh_home(services, client, actor.workspace_id, recipient)
