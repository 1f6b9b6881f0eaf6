"""One place that turns an unexpected failure into a log line with context and a useful reply."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse

logger = logging.getLogger(__name__)


def register_error_handler(app: App) -> None:
    @app.error
    def handle_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        logger.exception(
            "unhandled error: type=%s team=%s user=%s",
            body.get("type") or body.get("command"),
            _team_id(body),
            _user_id(body),
            exc_info=error,
        )
        return BoltResponse(status=500, body="")


def _team_id(body: dict[str, Any]) -> str | None:
    team = body.get("team")
    return body.get("team_id") or (team.get("id") if isinstance(team, dict) else None)


def _user_id(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    return body.get("user_id") or (user.get("id") if isinstance(user, dict) else None)
