"""Global Bolt middleware: what every request needs before its listener runs.

Registered in :func:`bot.app.build_app` in this order: the prompt-ack signal, the kept-alive client,
then :func:`resolve_member`, so listeners find the member in ``context`` (read it with
:func:`bot.edge.actor`) and never resolve it themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.listener.builtins import TokenRevocationListeners
from slack_sdk.oauth.installation_store import InstallationStore

from bot import edge
from bot.members import MemberLookup
from bot.services import Services

Middleware = Callable[..., BoltResponse]


def resolve_member(services: Services) -> Middleware:
    """A middleware that puts the member behind each request (resolved once, on first use) in
    ``context``; requests that name no user or team (``app_uninstalled``, a partial payload) get none."""

    def middleware(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        user_id = edge.user_id(body)
        team_id = edge.team_id(body, context)
        if user_id and team_id:
            context[edge.ACTOR_KEY] = MemberLookup(services, context, team_id, user_id, context.enterprise_id)
        return next()

    return middleware


def note_retry(req: BoltRequest, context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Keep Slack's retry reason (a header listeners can't see) for :func:`edge.retry_reason`."""
    values = req.headers.get("x-slack-retry-reason") or []
    reason = values[0] if values else None
    if reason:
        context[edge.RETRY_REASON_KEY] = reason
    return next()


REVOCATION_KEY = "parley_token_revocation"
"""Where :func:`token_revocation` leaves Bolt's token-revocation helper (OAuth mode only)."""


def token_revocation(installation_store: InstallationStore) -> Middleware:
    """A middleware giving the uninstall listeners Bolt's helper that deletes revoked tokens."""
    revocation = TokenRevocationListeners(installation_store)

    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        context[REVOCATION_KEY] = revocation
        return next()

    return middleware


def revocation_of(context: BoltContext) -> TokenRevocationListeners | None:
    """Bolt's token-revocation helper left by :func:`token_revocation` (None outside OAuth mode)."""
    revocation = context.get(REVOCATION_KEY)
    return revocation if isinstance(revocation, TokenRevocationListeners) else None
