"""The commit modal is submitted: check it (errors under the fields), store it, send the card(s)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments import CommitForm, record_commitment, validate_commit
from bot.flows.commitments_cards import RECORDED, remember_card
from bot.flows.commitments_presenter import card_message
from bot.flows.home_notifier import refresh_home
from bot.members import fetch_profile
from bot.messaging import SLACK_FAILURES, post_dm, slack_error
from bot.services import Services
from coaching.dates import day_words
from storage.queries.members import Profile
from templates import mention, trusted
from templates.ids.commitments import CommitBlock

logger = logging.getLogger(__name__)


def read_form(values: Mapping[str, Any]) -> CommitForm:
    def field(block: CommitBlock) -> str | None:
        return edge.optional_value(values, block)

    negotiation = field(CommitBlock.NEGOTIATION)
    return CommitForm(
        what=field(CommitBlock.WHAT),
        owner_user_id=field(CommitBlock.OWNER),
        owed_to_user_id=field(CommitBlock.OWED_TO),
        due=field(CommitBlock.DUE),
        negotiation=None if negotiation == "none" else negotiation,
        notice_days=field(CommitBlock.NOTICE_DAYS),
        percent=field(CommitBlock.PERCENT),
        value_base=field(CommitBlock.VALUE_BASE),
        charged_to=field(CommitBlock.CHARGED_TO),
    )


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    view = edge.view_of(body)
    actor = edge.actor(context)
    user_id = actor.slack_user_id
    valid, errors = validate_commit(
        services, actor.workspace_id, actor.member_id, actor.tz, read_form(edge.form_values(view))
    )
    if valid is None:
        ack(response_action="errors", errors=errors)
        return
    ack()
    others = {uid for uid in (valid.owner_user_id, valid.owed_to_user_id) if uid and uid != user_id}
    profiles: dict[str, Profile | None] = {uid: fetch_profile(client, uid) for uid in sorted(others)}
    recorded = record_commitment(
        services, actor.workspace_id, actor.member_id, user_id, valid, profiles=profiles,
        idempotency_key=edge.submission_key(view),
    )  # fmt: skip
    if recorded is None:  # the same submission again (a double click or a redelivery)
        return
    note = RECORDED
    if valid.on_holiday:
        holiday = day_words(valid.due)
        note += f" Note: {holiday} is a holiday here, so reminders fall on the working day before."
    deliveries = [(user_id, card_message(recorded.item, note=note))]
    if recorded.owner_item is not None:
        intro = trusted(f"{mention(user_id)} recorded a commitment you own.")
        deliveries.append((recorded.owner_user_id, card_message(recorded.owner_item, note=note, intro=intro)))
    for recipient, message in deliveries:
        try:
            posted = post_dm(client, recipient, message)
        except SLACK_FAILURES as error:
            logger.warning("could not DM the commitment card to %s: %s", recipient, slack_error(error))
        else:
            remember_card(services, actor.workspace_id, recorded.item.id, recipient, posted, user_id)
        refresh_home(services, client, actor.workspace_id, recipient)
