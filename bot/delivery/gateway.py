"""The one gateway for outgoing *scheduled* Slack calls (STYLE §10).

It finds the workspace's bot token (``SLACK_BOT_TOKEN`` in single-workspace mode, the stored
installation in OAuth mode), waits for the pacer's slot (rate-limit waits happen here, on the
delivery thread, never on a request thread), makes the call with slack-sdk's ``WebClient`` pointed
at ``SLACK_API_URL`` and turns the answer into a :class:`SendResult` the deliverer can act on:
sent, rate limited (with ``Retry-After``), transient (retry with backoff) or permanent (record it,
never retry). slack-sdk's own retry handlers are switched off: retrying is the outbox's job, where it
is visible and bounded.
"""

from __future__ import annotations

import http.client
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine

from bot.delivery.pacing import Pacer
from bot.installations import EncryptedInstallationStore, bot_for_team, installation_store
from bot.members import fetch_profile
from bot.metrics import MeteredWebClient
from bot.settings import Settings, SlackMode
from storage.queries.members import Profile

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT_SECONDS: Final = 10
DEFAULT_RETRY_AFTER: Final = 30.0
TRANSIENT_ERRORS: Final = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout", "timeout"}
)
"""Slack errors worth retrying; every other ``ok: false`` answer is permanent for that message
(``channel_not_found``, ``user_not_found``, ``account_inactive``, ``not_in_channel``, ``token_revoked``,
``invalid_auth``, ``invalid_blocks`` …): retrying cannot change it."""
NO_INSTALLATION: Final = "no_installation"
OUTBOX_EVENT_TYPE: Final = "parley_outbox"
"""Message metadata on every outbox message names its row, so a retry can find what was already sent."""
HISTORY_PAGE: Final = 100
HISTORY_PAGES: Final = 10
"""A reclaimed row's message is looked for among the channel's messages since its earlier attempt, at
most this many pages (Slack caps pages lower for some apps; ``has_more`` and the cursor still page)."""
NOT_SEARCHABLE: Final = frozenset(
    {"missing_scope", "not_in_channel", "channel_not_found", "not_allowed_token_type"}
)


class Outcome(StrEnum):
    SENT = "sent"
    RATE_LIMITED = "rate_limited"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    channel: str | None = None
    ts: str | None = None
    error: str | None = None
    retry_after: float | None = None
    unsure: bool = False
    """The call failed in a way that may hide a delivery: the request went out and no answer came back
    (a timeout, a connection dropped mid-answer). Refused connections and Slack's own errors are sure."""


@dataclass(frozen=True, slots=True)
class Team:
    """Which Slack workspace a call is for."""

    team_id: str
    enterprise_id: str | None = None


class SlackGateway:
    """Tokens, pacing and error classification for scheduled calls; one per process is enough."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        pacer: Pacer | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._engine = engine
        self.pacer = pacer or Pacer()
        self._sleep = sleep
        self._clients: dict[str, WebClient] = {}
        self._lock = threading.Lock()
        self._store: EncryptedInstallationStore | None = None
        self._dm_channels: dict[tuple[str, str], str] = {}

    # ------------------------------------------------------------------------------------------ tokens

    def token_for(self, team: Team) -> str | None:
        slack = self._settings.require_slack()
        if slack.mode is SlackMode.SINGLE:
            return slack.bot_token.reveal() if slack.bot_token else None
        if self._store is None:
            self._store = installation_store(self._settings, self._engine)
        bot = bot_for_team(self._store, team.team_id, team.enterprise_id)
        return bot.bot_token if bot is not None else None

    def client_for(self, team: Team) -> WebClient | None:
        token = self.token_for(team)
        if token is None:
            return None
        with self._lock:
            client = self._clients.get(token)
            if client is None:
                client = MeteredWebClient(  # counts calls by method and result (bot.metrics)
                    token=token,
                    base_url=self._settings.slack_api_url,
                    timeout=REQUEST_TIMEOUT_SECONDS,
                    retry_handlers=[],
                )
                self._clients[token] = client
            return client

    # ------------------------------------------------------------------------------------------ calls

    def post_message(
        self, team: Team, channel: str, message: dict[str, Any], *, outbox_id: int | None = None
    ) -> SendResult:
        """``chat.postMessage`` (a user id as ``channel`` posts in the bot's DM with that user).

        With ``outbox_id`` the message carries metadata naming that outbox row (see :meth:`find_sent`).
        """
        client = self.client_for(team)
        if client is None:
            return SendResult(Outcome.PERMANENT, error=NO_INSTALLATION)
        if outbox_id is not None:
            message = {**message, "metadata": outbox_metadata(outbox_id)}
        self._wait(self.pacer.reserve(team.team_id, "chat.postMessage", channel))
        try:
            response = client.chat_postMessage(channel=channel, **message)
        except SlackApiError as error:
            return self._classify(error, team, "chat.postMessage", channel)
        except (SlackClientError, OSError) as error:  # timeouts, refused connections, bad responses
            return SendResult(
                Outcome.TRANSIENT,
                error=f"{type(error).__name__}: {error}"[:300],
                unsure=_maybe_delivered(error),
            )
        self.pacer.succeeded(team.team_id, "chat.postMessage", channel)
        return SendResult(Outcome.SENT, channel=str(response.get("channel")), ts=str(response.get("ts")))

    def update_message(self, team: Team, channel: str, ts: str, message: dict[str, Any]) -> SendResult:
        """``chat.update`` of an earlier message (a card brought up to date); idempotent, so a retry
        after an unsure answer simply updates again."""
        client = self.client_for(team)
        if client is None:
            return SendResult(Outcome.PERMANENT, error=NO_INSTALLATION)
        self._wait(self.pacer.reserve(team.team_id, "chat.update"))
        try:
            response = client.chat_update(channel=channel, ts=ts, **message)
        except SlackApiError as error:
            return self._classify(error, team, "chat.update", None)
        except (SlackClientError, OSError) as error:
            return SendResult(Outcome.TRANSIENT, error=f"{type(error).__name__}: {error}"[:300])
        self.pacer.succeeded(team.team_id, "chat.update")
        return SendResult(Outcome.SENT, channel=str(response.get("channel")), ts=str(response.get("ts")))

    def find_sent(self, team: Team, target: str, outbox_id: int, *, since: datetime) -> SendResult | None:
        """Look for outbox row ``outbox_id``'s message in ``target``'s history since ``since``.

        A SENT result (channel and ts of the message found), None when it is not there (post it), or a
        rate-limited/transient result when Slack could not be asked (try the row later). When the
        history cannot be read at all (no ``*:history`` scope for that kind of channel, say) the answer
        is None with a warning: the row is then delivered at least once rather than possibly never.
        """
        client = self.client_for(team)
        if client is None:
            return SendResult(Outcome.PERMANENT, error=NO_INSTALLATION)
        method = "conversations.open"
        try:
            channel = target
            if not target.startswith(("C", "G", "D")):  # a user id: the bot's DM with them (stable)
                channel = self._dm_channels.get((team.team_id, target)) or ""
                if not channel:
                    self._wait(self.pacer.reserve(team.team_id, method))
                    channel = str(client.conversations_open(users=target)["channel"]["id"])
                    self._dm_channels[(team.team_id, target)] = channel
            method = "conversations.history"
            cursor: str | None = None
            for _ in range(HISTORY_PAGES):
                self._wait(self.pacer.reserve(team.team_id, method))
                page = client.conversations_history(
                    channel=channel,
                    oldest=f"{since.timestamp():.6f}",
                    limit=HISTORY_PAGE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
                for message in page.get("messages") or []:
                    if is_outbox_message(message, outbox_id):
                        return SendResult(Outcome.SENT, channel=channel, ts=str(message.get("ts")))
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not page.get("has_more") or cursor is None:
                    return None
            logger.warning(
                "outbox row %s: not found in %s pages of history; sending it", outbox_id, HISTORY_PAGES
            )
            return None
        except SlackApiError as error:
            name = str(error.response.get("error") or "")
            if name in NOT_SEARCHABLE:
                logger.warning(
                    "outbox row %s: cannot read %s history (%s); sending it", outbox_id, target, name
                )
                return None
            return self._classify(error, team, method, None)
        except (SlackClientError, OSError) as error:
            return SendResult(Outcome.TRANSIENT, error=f"{type(error).__name__}: {error}"[:300])

    def user_profile(self, team: Team, user_id: str) -> Profile | None:
        """``users.info`` (paced), for a time zone that may have changed since the member was last seen."""
        client = self.client_for(team)
        if client is None:
            return None
        self._wait(self.pacer.reserve(team.team_id, "users.info"))
        return fetch_profile(client, user_id)

    def dnd_info(self, team: Team, user_id: str) -> dict[str, Any]:
        """``dnd.info`` for one member (paced to its Tier 3 limit): the answer's body, or
        ``{"error": name}`` when Slack says no or cannot be reached (``bot.dnd``)."""
        client = self.client_for(team)
        if client is None:
            return {"error": "no_token"}
        self._wait(self.pacer.reserve(team.team_id, "dnd.info"))
        try:
            body: dict[str, Any] = client.dnd_info(user=user_id).data  # type: ignore[assignment]
        except SlackApiError as error:
            name = str(error.response.get("error") or f"http_{error.response.status_code}")
            if error.response.status_code == 429 or name == "ratelimited":
                self.pacer.hold(team.team_id, "dnd.info", None, retry_after_of(error.response.headers))
            return {"error": name}
        except (SlackClientError, OSError) as error:
            return {"error": type(error).__name__}
        self.pacer.succeeded(team.team_id, "dnd.info")
        return body

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds)

    def _classify(self, error: SlackApiError, team: Team, method: str, channel: str | None) -> SendResult:
        response = error.response
        status = response.status_code
        name = str(response.get("error") or f"http_{status}")
        if status == 429 or name == "ratelimited":
            retry_after = retry_after_of(response.headers)
            self.pacer.hold(team.team_id, method, channel, retry_after)
            logger.info("%s rate limited in %s: retry after %.0f s", method, team.team_id, retry_after)
            return SendResult(Outcome.RATE_LIMITED, error="ratelimited", retry_after=retry_after)
        if status >= 500 or name in TRANSIENT_ERRORS:
            return SendResult(Outcome.TRANSIENT, error=name)
        return SendResult(Outcome.PERMANENT, error=name)


def _maybe_delivered(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return False
        if isinstance(seen, TimeoutError | ConnectionResetError | http.client.RemoteDisconnected):
            return True
        reason = getattr(seen, "reason", None)  # urllib's URLError wraps the socket error
        seen = reason if isinstance(reason, BaseException) else seen.__cause__ or seen.__context__
    return False


def outbox_metadata(outbox_id: int) -> dict[str, Any]:
    """Slack message metadata naming an outbox row (``chat.postMessage``'s ``metadata``)."""
    return {"event_type": OUTBOX_EVENT_TYPE, "event_payload": {"outbox_id": outbox_id}}


def is_outbox_message(message: dict[str, Any], outbox_id: int) -> bool:
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != OUTBOX_EVENT_TYPE:
        return False
    payload = metadata.get("event_payload")
    return isinstance(payload, dict) and payload.get("outbox_id") == outbox_id


def retry_after_of(headers: Any) -> float:
    """Seconds Slack asks to wait (its ``Retry-After``, at least 1), else ``DEFAULT_RETRY_AFTER``."""
    for key, value in dict(headers or {}).items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(1.0, float(raw))
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER
