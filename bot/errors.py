"""The central error handler: a failure nobody caught becomes a log line and one clear reply.

Modelled on Dispatch's error handler: whatever a listener or middleware raises is logged with its
context, sorted into a :class:`FailureKind`, and answered with that kind's one wording —

- before the ack: a slash command answers with an ephemeral notice, a modal submission with the
  wording under its first input (the modal stays open, what was typed is kept), a button with an
  empty 200 and an ephemeral notice;
- after the ack: an ephemeral notice through the response_url, or in the DM when there is none
  (a Home-tab button, a closed modal).

Events get a 500 so Slack retries them later. Transactions roll back on the way out of
``Database.session()``, so a database failure leaves nothing half-written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.context.respond import Respond
from sqlalchemy.exc import SQLAlchemyError

from bot import edge
from bot.messaging import SLACK_FAILURES, slack_error
from bot.replies import DATABASE_DOWN, answer, notice

logger = logging.getLogger(__name__)


class FailureKind(StrEnum):
    DATABASE = "database"
    SLACK = "slack"
    BUG = "bug"


TITLES: Final[Mapping[FailureKind, str]] = {
    FailureKind.DATABASE: "Nothing was saved",
    FailureKind.SLACK: "Slack didn't answer Parley",
    FailureKind.BUG: "Something went wrong",
}
WORDING: Final[Mapping[FailureKind, str]] = {
    FailureKind.DATABASE: DATABASE_DOWN,
    FailureKind.SLACK: "Slack didn't answer Parley in time, so this didn't finish — try again in a minute.",
    FailureKind.BUG: (
        "Parley hit a problem it didn't expect and stopped — try again; if it keeps happening, "
        "tell your Slack admin."
    ),
}


def failure_kind(error: BaseException) -> FailureKind:
    if isinstance(error, SQLAlchemyError):
        return FailureKind.DATABASE
    if isinstance(error, SLACK_FAILURES):
        return FailureKind.SLACK
    return FailureKind.BUG


def register_error_handler(app: App) -> None:
    """The handler for listener and middleware failures (``app.error`` sets both)."""

    @app.error
    def handle_error(
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        response: BoltResponse | None,
        respond: Respond | None = None,
    ) -> BoltResponse | None:
        return reply_to_failure(error, body, context, response, respond)


def reply_to_failure(
    error: BaseException,
    body: Mapping[str, Any],
    context: BoltContext,
    response: BoltResponse | None,
    respond: Respond | None,
) -> BoltResponse | None:
    """Log ``error`` and answer the person; returns the HTTP response when the request is not acked."""
    kind = failure_kind(error)
    request = request_kind(body)
    log = logger.warning if kind is FailureKind.DATABASE else logger.error
    log(
        "unhandled %s failure: request=%s team=%s user=%s error=%s",
        kind.value,
        request,
        edge.team_id(body, context),
        edge.user_id(body),
        slack_error(error) if kind is FailureKind.SLACK else type(error).__name__,
        exc_info=error if kind is FailureKind.BUG else None,
    )
    text = WORDING[kind]
    acked = response is None
    if request == "event":
        return None if acked else BoltResponse(status=500, body="")
    if request == "view_submission" and not acked:
        block = edge.first_input_block(edge.view_of(body))
        if block is not None:
            errors = {"response_action": "errors", "errors": {block: text}}
            return _json(errors)
    if request == "command" and not acked:
        reply = {"response_type": "ephemeral", **notice(TITLES[kind], text, "error").as_kwargs()}
        return _json(reply)
    client = context.client
    if client is not None:
        try:
            answer(respond, client, body, TITLES[kind], text, level="error")
        except Exception:  # the reply is best effort: the failure is already logged
            logger.warning("could not tell %s about the failure", edge.user_id(body))
    return None if acked else BoltResponse(status=200, body="")


def request_kind(body: Mapping[str, Any]) -> str:
    """``command``, ``event``, or the interaction's type (``block_actions``, ``view_submission``…)."""
    if "command" in body:
        return "command"
    if body.get("type") == "event_callback" or "event" in body:
        return "event"
    kind = body.get("type")
    return kind if isinstance(kind, str) else "unknown"


def _json(payload: Mapping[str, Any]) -> BoltResponse:
    return BoltResponse(status=200, body=json.dumps(payload), headers={"content-type": "application/json"})
