"""The style assessment's Slack effects: open the assessment, deliver the style card (to the DM, and
in place of the message it was started from), and offer the assessment on first contact."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient
from sqlalchemy.exc import SQLAlchemyError

from bot.flows.style import Assessed, AssessmentOrigin, assessment_view, style_card
from bot.members import Actor
from bot.messaging import post_dm, retry_rate_limited
from bot.services import Services
from storage.queries.assessments import mark_welcomed
from templates import render_message


def open_assessment(
    client: WebClient, trigger_id: str, current_style: str | None, origin: AssessmentOrigin
) -> None:
    """Open the modal (raises ``SlackApiError``, e.g. ``expired_trigger_id``)."""
    client.views_open(trigger_id=trigger_id, view=assessment_view(current_style, origin))


def deliver_style_card(
    client: WebClient, user_id: str, assessed: Assessed, origin: AssessmentOrigin, *, api_url: str
) -> str:
    """DM the card; if Slack refuses, show it ephemerally where the assessment was opened.

    Returns how it went: ``"dm"``, ``"ephemeral"`` or ``"kept"`` (neither worked; the result is stored
    and shows on the Home tab). ``api_url`` is the Slack Web API base in use: besides Slack's own
    ``hooks.slack.com``, only a response_url on that host (a local fake Slack) is ever posted to.
    """
    try:
        message = style_card(assessed)
        retry_rate_limited(lambda: post_dm(client, user_id, message))
        return "dm"
    except (SlackApiError, SlackRequestError, OSError) as error:
        reason = _error_name(error)
        logger.warning("style card DM to %s failed after the result was saved: %s", user_id, reason)
    if _trusted_response_url(origin.response_url, api_url):
        note = (
            "Your result is saved, but Parley couldn't send it to your DMs "
            f"(Slack said: {reason}). Here it is; it's on Parley's Home tab too."
        )
        message = style_card(assessed, note=note)
        try:
            response = WebhookClient(origin.response_url).send(
                text=message.text, blocks=message.blocks, response_type="ephemeral"
            )
            if response.status_code == 200:
                return "ephemeral"
            logger.warning("style card fallback answered %s: %s", response.status_code, response.body)
        except (SlackRequestError, OSError, ValueError) as error:
            logger.warning("style card fallback failed: %s", type(error).__name__)
    return "kept"


def _trusted_response_url(url: str, api_url: str) -> bool:
    host = urlsplit(url).hostname if url else None
    return host is not None and host in {"hooks.slack.com", urlsplit(api_url).hostname}


def _error_name(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or error.response.status_code)
    return type(error).__name__


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
