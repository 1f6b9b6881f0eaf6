"""Requests as Slack sends them to the app: signed, with Slack's real field sets.

Tests and the local playground both play Slack's side of the conversation, so the payload shapes live
here once (see ``shared/slack-payloads/``) instead of being hand-built in every test. Builders take the
ids that matter (team, user, channel, trigger — normally issued by the fake Slack) and return a
:class:`SlackRequest` whose body is byte-for-byte what gets signed and sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_BOT_ID",
    "DEFAULT_BOT_USER_ID",
    "DEFAULT_TEAM_DOMAIN",
    "DEFAULT_TEAM_ID",
    "SlackRequest",
    "app_home_opened",
    "app_uninstalled",
    "block_actions",
    "event_callback",
    "sign",
    "slash_command",
    "state_entry",
    "tokens_revoked",
    "url_verification",
    "view_closed",
    "view_submission",
]

DEFAULT_TEAM_ID: Final = "T0EXAMPLE"
DEFAULT_TEAM_DOMAIN: Final = "example"
DEFAULT_APP_ID: Final = "A0EXAMPLE"
DEFAULT_BOT_USER_ID: Final = "U0BOT"
DEFAULT_BOT_ID: Final = "B0BOT"
VERIFICATION_TOKEN: Final = "deprecated-verification-token"  # Slack still sends it; nobody should check it
FORM: Final = "application/x-www-form-urlencoded"
JSON: Final = "application/json"

_serial = itertools.count(1)


def sign(signing_secret: str, body: bytes | str, timestamp: int) -> dict[str, str]:
    """Slack's v0 signature headers: ``v0=hex(HMAC-SHA256(secret, "v0:{ts}:{raw body}"))``."""
    raw = body.encode() if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode() + b":" + raw
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class SlackRequest:
    """One request from Slack to the app: the exact body, its content type and the decoded payload."""

    body: str
    content_type: str
    payload: dict[str, Any]  # what the body encodes, for assertions (form fields or the JSON object)
    extra_headers: Mapping[str, str] = field(default_factory=dict)  # e.g. X-Slack-Retry-Num

    def headers(self, signing_secret: str, timestamp: int | None = None) -> dict[str, str]:
        """Every header Slack would send, signed now (or at ``timestamp``, to test stale requests)."""
        ts = int(time.time()) if timestamp is None else timestamp
        return {
            "Content-Type": self.content_type,
            **self.extra_headers,
            **sign(signing_secret, self.body, ts),
        }

    def __iter__(self) -> Iterator[str]:
        """Unpacks as ``body, content_type = request``."""
        return iter((self.body, self.content_type))


def _form(fields: Mapping[str, str]) -> SlackRequest:
    return SlackRequest(urlencode(fields), FORM, dict(fields))


def _interactive(payload: dict[str, Any]) -> SlackRequest:
    """Interactive payloads arrive form-encoded as a single ``payload`` field holding JSON."""
    return SlackRequest(urlencode({"payload": json.dumps(payload)}), FORM, payload)


def _trigger_id() -> str:
    n = next(_serial)
    return f"{1000 + n}.42.{hashlib.sha1(str(n).encode()).hexdigest()[:6]}"  # Slack's "1337.42.abcdef"


def _user(user_id: str, user_name: str | None, team_id: str) -> dict[str, Any]:
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _team(team_id: str, team_domain: str, enterprise_id: str | None) -> dict[str, Any]:
    team: dict[str, Any] = {"id": team_id, "domain": team_domain}
    if enterprise_id:
        team["enterprise_id"] = enterprise_id
    return team


def _enterprise(enterprise_id: str | None) -> dict[str, Any] | None:
    return {"id": enterprise_id, "name": enterprise_id} if enterprise_id else None


def _channel_name(channel_id: str) -> str:
    return {"D": "directmessage", "G": "privategroup"}.get(channel_id[:1], channel_id.lower())


def _now_ts() -> str:
    return f"{time.time():.6f}"


# ---------------------------------------------------------------------------------------------- commands


def slash_command(
    *,
    user_id: str,
    channel_id: str,
    trigger_id: str,
    text: str = "",
    command: str = "/negotiate",
    user_name: str | None = None,
    channel_name: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
    enterprise_id: str | None = None,
    response_url: str | None = None,
) -> SlackRequest:
    """A slash command, form-encoded with the fields of ``slash_command.form.json``."""
    fields: dict[str, str] = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
    }
    if enterprise_id:
        fields |= {"enterprise_id": enterprise_id, "enterprise_name": enterprise_id}
    fields |= {
        "channel_id": channel_id,
        "channel_name": channel_name or _channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url or f"https://hooks.slack.com/commands/{team_id}/{next(_serial)}/abc",
        "trigger_id": trigger_id,
    }
    return _form(fields)


# ---------------------------------------------------------------------------------------------- state values

_VALUE_KEYS: Final = {
    "plain_text_input": "value",
    "email_text_input": "value",
    "url_text_input": "value",
    "number_input": "value",
    "static_select": "selected_option",
    "external_select": "selected_option",
    "radio_buttons": "selected_option",
    "overflow": "selected_option",
    "multi_static_select": "selected_options",
    "multi_external_select": "selected_options",
    "checkboxes": "selected_options",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "rich_text_input": "rich_text_value",
    "file_input": "files",
}
_INITIAL_KEYS: Final = {
    "value": "initial_value",
    "selected_option": "initial_option",
    "selected_options": "initial_options",
    "selected_user": "initial_user",
    "selected_users": "initial_users",
    "selected_conversation": "initial_conversation",
    "selected_conversations": "initial_conversations",
    "selected_channel": "initial_channel",
    "selected_channels": "initial_channels",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
}
UNSET: Any = object()  # "no value given" for builders, distinct from None (a cleared field)
_UNSET = UNSET


def _all_options(element: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    yield from element.get("options") or ()
    for group in element.get("option_groups") or ():
        yield from group.get("options") or ()


def _option(element: Mapping[str, Any], value: Any) -> dict[str, Any]:
    """The option object Slack reports for a chosen ``value`` (looked up in the element's options)."""
    if isinstance(value, Mapping):
        return dict(value)
    for option in _all_options(element):
        if option.get("value") == value:
            return option
    if element.get("type", "").endswith("external_select"):  # options come from the app at runtime
        return {"text": {"type": "plain_text", "text": str(value), "emoji": True}, "value": str(value)}
    raise ValueError(f"{element.get('action_id')!r} has no option with value {value!r}")


def _scalar(key: str, value: Any) -> Any:
    if key == "value":
        return str(value)
    if key == "selected_date" and isinstance(value, dt.date):
        return value.isoformat()
    if key == "selected_time" and isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if key == "selected_date_time" and isinstance(value, dt.datetime):
        return int(value.timestamp())
    if key == "rich_text_value" and isinstance(value, str):
        section = {"type": "rich_text_section", "elements": [{"type": "text", "text": value}]}
        return {"type": "rich_text", "elements": [section]}
    return value


def state_entry(element: Mapping[str, Any], value: Any = _UNSET) -> dict[str, Any]:
    """``view.state.values[block_id][action_id]`` for ``element`` holding ``value``.

    Slack uses a different key per element type (``value``, ``selected_option``, ``selected_date``, …).
    Without ``value`` the element keeps its initial value, like a field the user did not touch; ``None``
    means the user left it empty. Options may be given by their ``value`` string.
    """
    kind = element.get("type")
    if not isinstance(kind, str) or kind not in _VALUE_KEYS:
        raise ValueError(f"element type {kind!r} carries no state")
    key = _VALUE_KEYS[kind]
    if value is _UNSET:
        value = element.get(_INITIAL_KEYS.get(key, ""))
    if key == "selected_option":
        chosen: Any = None if value is None else _option(element, value)
    elif key == "selected_options":
        chosen = [_option(element, v) for v in value or ()]
    elif key in ("selected_users", "selected_conversations", "selected_channels", "files"):
        chosen = list(value or ())
    else:
        chosen = None if value is None else _scalar(key, value)
    return {"type": kind, key: chosen}


def _stateful_elements(blocks: Iterable[Mapping[str, Any]]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for block in blocks:
        if block.get("type") == "input" and isinstance(block.get("element"), Mapping):
            yield block.get("block_id", ""), block["element"]


def _state(blocks: Iterable[Mapping[str, Any]], values: Mapping[str, Any]) -> dict[str, Any]:
    """State of every input block; ``values`` maps block_id → what the user entered."""
    blocks = list(blocks)
    known = {block_id for block_id, _ in _stateful_elements(blocks)}
    if unknown := sorted(set(values) - known):
        raise ValueError(
            f"no input block with block_id {unknown} in this view (input blocks: {sorted(known)})"
        )
    state: dict[str, Any] = {}
    for block_id, element in _stateful_elements(blocks):
        entry = state_entry(element, values[block_id]) if block_id in values else state_entry(element)
        state[block_id] = {element.get("action_id", ""): entry}
    return {"values": state}


# ---------------------------------------------------------------------------------------------- interactivity


def _full_view(view: Mapping[str, Any], team_id: str, api_app_id: str) -> dict[str, Any]:
    """The view as Slack reports it back: what the app sent plus the fields Slack adds."""
    view_id = view.get("id") or f"V0{next(_serial):08d}"
    full: dict[str, Any] = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{hashlib.sha1(view_id.encode()).hexdigest()[:8]}",
        "title": None,
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": None,
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": api_app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": DEFAULT_BOT_ID,
    }
    full.update(view)
    return full


def _find_element(
    blocks: Iterable[Mapping[str, Any]], action_id: str, block_id: str | None
) -> tuple[str, Any]:
    for block in blocks:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        candidates = [*(block.get("elements") or ()), block.get("accessory"), block.get("element")]
        for element in candidates:
            if isinstance(element, Mapping) and element.get("action_id") == action_id:
                return block.get("block_id", ""), element
    raise ValueError(f"no element with action_id {action_id!r} (block_id {block_id!r}) in these blocks")


def _action(block_id: str, element: Mapping[str, Any], value: Any, action_ts: str) -> dict[str, Any]:
    action: dict[str, Any] = {"action_id": element.get("action_id"), "block_id": block_id}
    if element.get("type") in ("button", "workflow_button"):
        text = {**element.get("text", {}), "emoji": True}
        action |= {"text": text, "type": element["type"]}
        action |= {k: element[k] for k in ("value", "style", "url") if k in element}
    else:
        action |= state_entry(element, value)
        if "placeholder" in element:
            action["placeholder"] = element["placeholder"]
    return action | {"action_ts": action_ts}


def block_actions(
    *,
    user_id: str,
    trigger_id: str,
    action_id: str,
    block_id: str | None = None,
    value: Any = _UNSET,
    message: Mapping[str, Any] | None = None,
    channel_id: str | None = None,
    view: Mapping[str, Any] | None = None,
    state_values: Mapping[str, Any] | None = None,
    is_ephemeral: bool = False,
    user_name: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
    enterprise_id: str | None = None,
    response_url: str | None = None,
    action_ts: str | None = None,
) -> SlackRequest:
    """A click (or selection) on ``action_id`` in a posted ``message`` (give ``channel_id``) or in a ``view``.

    The action is built from the element found in those blocks, so the payload mirrors what the app sent;
    ``value`` is the selection for select/picker elements (ignored for buttons, which send their own value).
    """
    if (message is None) == (view is None):
        raise ValueError("give exactly one of message= (with channel_id=) or view=")
    source = message if message is not None else view
    assert source is not None
    found_block_id, element = _find_element(source.get("blocks") or (), action_id, block_id)
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
    }
    if message is not None:
        if channel_id is None:
            raise ValueError("a message action needs channel_id=")
        payload["container"] = {
            "type": "message",
            "message_ts": message.get("ts"),
            "channel_id": channel_id,
            "is_ephemeral": is_ephemeral,
        }
    else:
        assert view is not None
        payload["container"] = {"type": "view", "view_id": view.get("id")}
    payload |= {
        "trigger_id": trigger_id,
        "team": _team(team_id, team_domain, enterprise_id),
        "enterprise": _enterprise(enterprise_id),
        "is_enterprise_install": False,
    }
    state = _state(source.get("blocks") or (), state_values or {})
    if message is not None:
        assert channel_id is not None
        payload["channel"] = {"id": channel_id, "name": _channel_name(channel_id)}
        if not is_ephemeral:
            payload["message"] = dict(message)
        payload["state"] = state
        payload["response_url"] = (
            response_url or f"https://hooks.slack.com/actions/{team_id}/{next(_serial)}/def"
        )
    else:
        payload["view"] = _full_view(view or {}, team_id, api_app_id) | {"state": state}
    payload["actions"] = [_action(found_block_id, element, value, action_ts or _now_ts())]
    return _interactive(payload)


def view_submission(
    view: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    *,
    user_id: str,
    trigger_id: str | None = None,
    user_name: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
    enterprise_id: str | None = None,
    response_urls: Iterable[Mapping[str, Any]] = (),
) -> SlackRequest:
    """Submitting ``view`` (ideally as ``views.open`` returned it) with ``values``: ``{block_id: value}``.

    Input blocks missing from ``values`` keep their initial value; an unknown block_id raises, so a
    renamed id in a template breaks the test instead of silently submitting nothing.
    """
    full = _full_view(view, team_id, api_app_id)
    full["state"] = _state(full.get("blocks") or (), values or {})
    payload = {
        "type": "view_submission",
        "team": _team(team_id, team_domain, enterprise_id),
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or _trigger_id(),
        "view": full,
        "response_urls": [dict(r) for r in response_urls],
        "is_enterprise_install": False,
        "enterprise": _enterprise(enterprise_id),
    }
    return _interactive(payload)


def view_closed(
    view: Mapping[str, Any],
    *,
    user_id: str,
    is_cleared: bool = False,
    user_name: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
    enterprise_id: str | None = None,
) -> SlackRequest:
    """The user closed a modal opened with ``notify_on_close``."""
    payload = {
        "type": "view_closed",
        "team": _team(team_id, team_domain, enterprise_id),
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "view": _full_view(view, team_id, api_app_id),
        "is_cleared": is_cleared,
        "is_enterprise_install": False,
        "enterprise": _enterprise(enterprise_id),
    }
    return _interactive(payload)


# ---------------------------------------------------------------------------------------------- events


def event_callback(
    event: Mapping[str, Any],
    *,
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    bot_user_id: str = DEFAULT_BOT_USER_ID,
    enterprise_id: str | None = None,
    event_id: str | None = None,
    event_time: int | None = None,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
    manifest: Mapping[str, Any] | None = None,
) -> SlackRequest:
    """An Events API envelope (JSON). ``retry_num`` (1–3) adds Slack's retry headers, same ``event_id``.

    Only events Slack would deliver: the type must be in the manifest's ``bot_events`` (Parley's own
    ``build_manifest()`` unless ``manifest`` is given), else ``EventNotSubscribed`` says so.
    """
    from bot.testkit.fake_slack.scopes import AppConfig  # here: the fake package imports this module

    AppConfig.from_manifest(manifest).check_event(event)
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
                "is_enterprise_install": False,
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
