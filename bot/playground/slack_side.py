"""Slack's half of the conversation: what the Slack client and Slack's servers do for the page.

The page says "Maya typed ``/negotiate prep`` in her DM" or "Leo clicked *Approve*"; this module turns
that into the request Slack would send — built by :mod:`bot.testkit.requests`, signed with the app's
signing secret, POSTed over HTTP to the app's request URL — and then does what Slack does with the
app's answer: a slash command's ack body becomes the ephemeral reply, a view submission's
``response_action`` (``errors`` / ``update`` / ``push`` / ``clear``) changes the modal stack, an empty
ack closes the modal. Nothing here calls Parley's Python code: the app only ever sees HTTP.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import FakeSlack
from bot.testkit.requests import DEFAULT_TEAM_ID, SlackRequest

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT: Final = 15


class InteractionError(ValueError):
    """The page asked for something Slack's client could not have sent (a stale view, say)."""


@dataclass(frozen=True)
class Outcome:
    """What the person should see after an interaction (besides the state the app changes)."""

    status: int
    errors: dict[str, str] = field(default_factory=dict)  # response_action: errors, by block_id
    notice: str | None = None  # something went wrong on the app's side, in words

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "errors": self.errors, "notice": self.notice}


@dataclass(frozen=True)
class Container:
    """Where a clicked element lives: a message (or an ephemeral one) in a channel, a modal, App Home."""

    kind: str  # message | ephemeral | view | home
    channel: str | None = None
    ts: str | None = None
    view_id: str | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Container:
        kind = raw.get("kind")
        if kind not in ("message", "ephemeral", "view", "home"):
            raise InteractionError("unknown container")
        return cls(
            kind=str(kind),
            channel=_str_or_none(raw.get("channel")),
            ts=_str_or_none(raw.get("ts")),
            view_id=_str_or_none(raw.get("view_id")),
        )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class SlackSide:
    """Plays Slack for one fake workspace, sending to the app at ``request_url``."""

    def __init__(
        self,
        slack: FakeSlack,
        request_url: str,
        signing_secret: str,
        bot_token: str,
        *,
        team_id: str = DEFAULT_TEAM_ID,
    ) -> None:
        self.slack = slack
        self.request_url = request_url
        self._secret = signing_secret
        self.team_id = team_id
        # Slack's own servers apply response_action; here they are the fake's Web API.
        self._client = WebClient(base_url=slack.api_url, token=bot_token, timeout=REQUEST_TIMEOUT)

    # ------------------------------------------------------------------------------------------ sending

    def send(self, request: SlackRequest) -> tuple[int, bytes]:
        """POST ``request`` to the app, signed now, exactly as Slack would; returns status and body."""
        body = request.body.encode()
        http = urllib.request.Request(
            self.request_url, data=body, headers=request.headers(self._secret), method="POST"
        )
        try:
            with urllib.request.urlopen(http, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            logger.warning("the app did not answer: %s", error)
            return 0, b""

    # ------------------------------------------------------------------------------------------ commands

    def command(self, user_id: str, channel_id: str, text: str, command: str = "/negotiate") -> Outcome:
        """A slash command typed in ``channel_id``; an ack with a body is shown as Slack shows it."""
        self._known(user_id)
        response_url = self.slack.issue_response_url(channel_id, user_id)
        request = slack_requests.slash_command(
            user_id=user_id,
            user_name=self._user_name(user_id),
            channel_id=channel_id,
            channel_name=self._channel_name(channel_id),
            trigger_id=self.slack.issue_trigger_id(user_id),
            text=text,
            command=command,
            team_id=self.team_id,
            response_url=response_url,
        )
        status, body = self.send(request)
        if status != 200:
            return self._failed(status, command)
        answer = _json(body)
        if answer and (answer.get("text") or answer.get("blocks")):
            # Slack shows a slash command's ack body as the reply (ephemeral unless in_channel); the
            # fake's response_url does exactly that, so the reply lands where a response would.
            self._post_json(response_url, answer)
        return Outcome(status)

    # ------------------------------------------------------------------------------------------ actions

    def click(
        self,
        user_id: str,
        container: Container,
        action_id: str,
        *,
        block_id: str | None = None,
        value: Any = slack_requests.UNSET,
        state_values: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """A ``block_actions`` for an element of a message, an ephemeral message, a modal or App Home."""
        self._known(user_id)
        common: dict[str, Any] = {
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "trigger_id": self.slack.issue_trigger_id(user_id),
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
            "team_id": self.team_id,
        }
        try:
            if container.kind in ("message", "ephemeral"):
                if container.channel is None or container.ts is None:
                    raise InteractionError("a message click needs its channel and ts")
                message = self._message(user_id, container)
                request = slack_requests.block_actions(
                    **common,
                    message=message,
                    channel_id=container.channel,
                    is_ephemeral=container.kind == "ephemeral",
                    state_values=state_values,
                    response_url=self.slack.issue_response_url(
                        container.channel, user_id, message_ts=container.ts
                    ),
                )
            else:
                view = self._view(user_id, container)
                request = slack_requests.block_actions(**common, view=view, state_values=state_values)
        except ValueError as error:  # an element or option the view no longer has: the page is stale
            raise InteractionError(str(error)) from error
        status, _body = self.send(request)
        return Outcome(status) if status == 200 else self._failed(status, "that button")

    # ------------------------------------------------------------------------------------------ modals

    def submit(self, user_id: str, view_id: str, values: Mapping[str, Any]) -> Outcome:
        """Submit the user's top modal; apply the app's ``response_action`` like Slack."""
        view = self._top_view(user_id, view_id)
        try:
            request = slack_requests.view_submission(
                view,
                values,
                user_id=user_id,
                user_name=self._user_name(user_id),
                trigger_id=self.slack.issue_trigger_id(user_id),
                team_id=self.team_id,
            )
        except ValueError as error:
            raise InteractionError(str(error)) from error
        status, body = self.send(request)
        if status != 200:
            return self._failed(status, "the form")
        answer = _json(body)
        action = answer.get("response_action")
        try:
            if action == "errors":
                errors = answer.get("errors") or {}
                return Outcome(status, errors={str(k): str(v) for k, v in errors.items()})
            if action == "update" and isinstance(answer.get("view"), dict):
                self._client.views_update(view_id=view_id, view=answer["view"])
            elif action == "push" and isinstance(answer.get("view"), dict):
                self._client.views_push(trigger_id=self.slack.issue_trigger_id(user_id), view=answer["view"])
            elif action == "clear":
                self.slack.clear_views(user_id)
            else:
                self._close(user_id, view_id)
        except SlackApiError as error:
            return Outcome(status, notice=f"Slack refused the app's answer: {error.response.get('error')}")
        return Outcome(status)

    def close(self, user_id: str, view_id: str) -> Outcome:
        """Cancel / ×: a ``view_closed`` if the app asked for one, then the modal goes."""
        view = self._top_view(user_id, view_id)
        status = 200
        if view.get("notify_on_close"):
            stack = self.slack.open_views(user_id)
            request = slack_requests.view_closed(
                view,
                user_id=user_id,
                user_name=self._user_name(user_id),
                is_cleared=len(stack) > 1 and bool(view.get("clear_on_close")),
                team_id=self.team_id,
            )
            status, _body = self.send(request)
        if view.get("clear_on_close"):
            self.slack.clear_views(user_id)
        else:
            self._close(user_id, view_id)
        return Outcome(status) if status == 200 else self._failed(status, "closing the form")

    # ------------------------------------------------------------------------------------------ events

    def open_tab(self, user_id: str, tab: str) -> Outcome:
        """The user opened the app's Home or Messages tab: Slack's ``app_home_opened`` event."""
        self._known(user_id)
        if tab not in ("home", "messages"):
            raise InteractionError("the tab is home or messages")
        request = slack_requests.app_home_opened(
            user_id,
            self.slack.dm_channel(user_id),
            tab=tab,
            view=self.slack.home(user_id) if tab == "home" else None,
            team_id=self.team_id,
        )
        status, _body = self.send(request)
        return Outcome(status) if status == 200 else self._failed(status, "App Home")

    # ------------------------------------------------------------------------------------------ helpers

    def _known(self, user_id: str) -> None:
        try:
            self.slack.user(user_id)
        except ValueError as error:
            raise InteractionError(f"unknown user {user_id!r}") from error

    def _user_name(self, user_id: str) -> str:
        return str(self.slack.user(user_id).get("name") or user_id.lower())

    def _channel_name(self, channel_id: str) -> str:
        channel = self.slack.snapshot()["channels"].get(channel_id)
        if channel is None:
            raise InteractionError(f"unknown channel {channel_id!r}")
        return "directmessage" if channel["is_im"] else str(channel["name"])

    def _message(self, user_id: str, container: Container) -> dict[str, Any]:
        assert container.channel is not None
        if container.kind == "ephemeral":
            found = [
                e for e in self.slack.ephemerals(container.channel, user_id) if e.get("ts") == container.ts
            ]
        else:
            found = [m for m in self.slack.messages(container.channel) if m.get("ts") == container.ts]
        if not found:
            raise InteractionError("that message is gone")
        message = found[-1]
        message.pop("recipient", None)
        message.pop("channel", None)
        return message

    def _view(self, user_id: str, container: Container) -> dict[str, Any]:
        if container.kind == "home":
            home = self.slack.home(user_id)
            if home is None or (container.view_id and home["id"] != container.view_id):
                raise InteractionError("App Home has changed since it was shown")
            return home
        if container.view_id is None:
            raise InteractionError("a modal click needs the view id")
        for view in self.slack.open_views(user_id):
            if view["id"] == container.view_id:
                return view
        raise InteractionError("that form is no longer open")

    def _top_view(self, user_id: str, view_id: str) -> dict[str, Any]:
        views = self.slack.open_views(user_id)
        if not views or views[-1]["id"] != view_id:
            raise InteractionError("that form is no longer the one open")
        return views[-1]

    def _close(self, user_id: str, view_id: str) -> None:
        """Close ``view_id`` and anything pushed above it (Slack returns to the view below)."""
        while any(v["id"] == view_id for v in self.slack.open_views(user_id)):
            self.slack.close_view(user_id)

    def _post_json(self, url: str, body: dict[str, Any]) -> None:
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                response.read()
        except (urllib.error.URLError, OSError) as error:
            logger.warning("could not show the command's reply: %s", error)

    @staticmethod
    def _failed(status: int, what: str) -> Outcome:
        if status == 0:
            return Outcome(status, notice=f"Parley didn't answer {what}: is the app running?")
        if status == 404:
            # Bolt answers 404 when no listener matched: Slack shows nothing useful either.
            return Outcome(status, notice=f"Parley doesn't handle {what} yet (it answered 404).")
        return Outcome(status, notice=f"Parley answered {what} with HTTP {status}; see the terminal's log.")


def _json(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
