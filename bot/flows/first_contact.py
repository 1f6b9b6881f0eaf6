"""First contact: offer the style assessment once, in a DM, to a member who has no style yet.

The ``/negotiate`` router calls :func:`offer_assessment` after the subcommand has been handled (so the
subcommand's modal opens first, inside its trigger window). The offer is recorded in
``Member.settings`` before it is sent, so it is made once even if two commands race; a member who
runs ``/negotiate style`` is taking it already and is not offered it. Members who meet Parley on the
Home tab see the same invitation there.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy.exc import SQLAlchemyError

from bot.members import Actor
from bot.messaging import post_dm, retry_rate_limited
from bot.services import Services
from storage.queries.assessments import mark_welcomed
from templates import render_message

logger = logging.getLogger(__name__)

STYLE_SUBCOMMAND = "style"


def offer_assessment(services: Services, client: WebClient, actor: Actor, subcommand: str) -> bool:
    """DM the welcome with a *Take the style assessment* button, once; True if it was sent now."""
    if subcommand == STYLE_SUBCOMMAND or actor.style is not None or actor.welcomed:
        return False  # nothing to offer, or offered already: no database work on the hot path
    try:
        with services.db.session() as session:
            if not mark_welcomed(session, actor.workspace_id, actor.member_id, services.clock()):
                return False
    except SQLAlchemyError:  # the command itself has been answered; the offer can wait for the next one
        logger.exception("could not record the first-contact offer for %s", actor.slack_user_id)
        return False
    message = render_message("messages/welcome", user_id=actor.slack_user_id)
    try:
        retry_rate_limited(lambda: post_dm(client, actor.slack_user_id, message))
    except (SlackApiError, SlackRequestError, OSError) as error:
        # The offer still stands on the Home tab; a DM Slack refuses is not worth failing a command for.
        reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
        logger.warning("welcome DM to %s failed: %s", actor.slack_user_id, reason)
        return False
    return True
