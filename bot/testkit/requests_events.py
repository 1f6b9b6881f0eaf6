"""Events API envelopes (``event_callback`` and the event kinds Parley subscribes to)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from typing import Any

from bot.testkit.slack_request import (
    DEFAULT_APP_ID,
    DEFAULT_BOT_USER_ID,
    DEFAULT_TEAM_ID,
    JSON,
    VERIFICATION_TOKEN,
    SlackRequest,
    _now_ts,
    _serial,
)


def event_callback(
    event: Mapping[str, Any],
    *,
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    bot_user_id: str = DEFAULT_BOT_USER_ID,
    enterprise_id: str | None = None,
    is_enterprise_install: bool = False,
    event_id: str | None = None,
    event_time: int | None = None,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
    manifest: Mapping[str, Any] | None = None,
) -> SlackRequest:
    """An Events API envelope (JSON). ``retry_num`` (1–3) adds Slack's retry headers, same ``event_id``.

    ``is_enterprise_install``: the app is installed org-wide; ``authorizations`` (Slack truncates it to
    one) then names that installation, ``team_id`` staying the workspace the event happened in.

    Only events Slack would deliver: the type must be in the manifest's ``bot_events`` (Parley's own
    ``build_manifest()`` unless ``manifest`` is given), else ``EventNotSubscribed`` says so.
    """
    from bot.testkit.fake_slack.scopes import AppConfig  # here: the fake package imports this module

    AppConfig.from_manifest(manifest).check_event(event)
    if is_enterprise_install and not enterprise_id:
        raise ValueError("an org-wide install only exists on Enterprise Grid: give enterprise_id")
    event_time = int(time.time()) if event_time is None else event_time
    n = next(_serial)
    body_event = {**event}
    body_event.setdefault("event_ts", f"{event_time}.{n % 1_000_000:06d}")
    payload = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": enterprise_id,
        "api_app_id": api_app_id,
        "event": body_event,
        "type": "event_callback",
        "event_id": event_id or f"Ev0{n:09d}",
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": enterprise_id,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": is_enterprise_install,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{hashlib.sha1(str(n).encode()).hexdigest()}",
    }
    headers = {}
    if retry_num is not None:
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
    return SlackRequest(json.dumps(payload), JSON, payload, headers)


def app_home_opened(
    user_id: str,
    channel_id: str,
    *,
    tab: str = "home",
    view: Mapping[str, Any] | None = None,
    **envelope: Any,
) -> SlackRequest:
    """The user opened the app's Home (or Messages) tab; ``view`` is the published home view, if any."""
    event: dict[str, Any] = {"type": "app_home_opened", "user": user_id, "channel": channel_id, "tab": tab}
    if view is not None:
        event["view"] = dict(view)
    return event_callback(event, **envelope)


def message_im(
    user_id: str,
    channel_id: str,
    text: str,
    *,
    ts: str | None = None,
    thread_ts: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
    **envelope: Any,
) -> SlackRequest:
    """A message in the app's DM (its Messages tab): ``message.im``. ``bot_id`` marks a bot's message."""
    event: dict[str, Any] = {
        "type": "message",
        "channel_type": "im",
        "channel": channel_id,
        "user": user_id,
        "text": text,
        "ts": ts or _now_ts(),
        "team": envelope.get("team_id", DEFAULT_TEAM_ID),
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    if subtype is not None:
        event["subtype"] = subtype
    if bot_id is not None:
        event["bot_id"] = bot_id
    return event_callback(event, **envelope)


def user_change(user: Mapping[str, Any], **envelope: Any) -> SlackRequest:
    """Slack's ``user_change``: a member's profile changed (``deleted: true`` when deactivated)."""
    event = {"type": "user_change", "user": dict(user), "cache_ts": int(time.time())}
    return event_callback(event, **envelope)


def app_uninstalled(**envelope: Any) -> SlackRequest:
    """The app was removed from the workspace in ``team_id``."""
    return event_callback({"type": "app_uninstalled"}, **envelope)


def tokens_revoked(
    *, bot_user_ids: Iterable[str] = (), user_ids: Iterable[str] = (), **envelope: Any
) -> SlackRequest:
    """Tokens were revoked: bot tokens by bot user id, user tokens by user id."""
    event = {"type": "tokens_revoked", "tokens": {"oauth": list(user_ids), "bot": list(bot_user_ids)}}
    return event_callback(event, **envelope)


def url_verification(challenge: str) -> SlackRequest:
    """The handshake Slack sends when the request URL is configured."""
    payload = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
    return SlackRequest(json.dumps(payload), JSON, payload)
