"""Interactive payloads (``block_actions``, ``view_submission``, ``view_closed``) and the
``state.values`` Slack reports for the elements in them."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from bot.testkit.slack_request import (
    DEFAULT_APP_ID,
    DEFAULT_BOT_ID,
    DEFAULT_TEAM_DOMAIN,
    DEFAULT_TEAM_ID,
    VERIFICATION_TOKEN,
    SlackRequest,
    _channel_name,
    _enterprise,
    _interactive,
    _now_ts,
    _serial,
    _team,
    _trigger_id,
    _user,
)

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


class ClientRefused(ValueError):
    """What a Slack client would not send: it shows the problem under the field instead."""


def _typed_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def check_typed(element: Mapping[str, Any], value: Any) -> None:
    """Slack's clients enforce ``max_length`` and ``min_length`` where the text is typed: an over-long or
    too-short value never reaches the app. Raises :class:`ClientRefused` for one that would not."""
    if element.get("type") != "plain_text_input" or not isinstance(value, str) or not value:
        return
    length, action = _typed_length(value), element.get("action_id")
    if "max_length" in element and length > int(element["max_length"]):
        raise ClientRefused(f"{action!r}: {length} characters, the field allows {element['max_length']}")
    if "min_length" in element and length < int(element["min_length"]):
        raise ClientRefused(f"{action!r}: {length} characters, the field needs {element['min_length']}")


def without_length_limits(view: Mapping[str, Any]) -> dict[str, Any]:
    """``view`` with no ``max_length``/``min_length`` on its inputs: what a forged request or a client
    that does not enforce them could submit, to test that the server's own check still holds."""

    def strip(block: Mapping[str, Any]) -> dict[str, Any]:
        element = block.get("element")
        if block.get("type") != "input" or not isinstance(element, Mapping):
            return dict(block)
        loose = {k: v for k, v in element.items() if k not in ("max_length", "min_length")}
        return {**block, "element": loose}

    return {**view, "blocks": [strip(block) for block in view.get("blocks") or ()]}


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
        if block_id in values:
            check_typed(element, values[block_id])
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
    is_enterprise_install: bool = False,
    user_team_id: str | None = None,
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
        "user": _user(user_id, user_name, user_team_id or team_id),
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
        "is_enterprise_install": is_enterprise_install,
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
    is_enterprise_install: bool = False,
    user_team_id: str | None = None,
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
        "user": _user(user_id, user_name, user_team_id or team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or _trigger_id(),
        "view": full,
        "response_urls": [dict(r) for r in response_urls],
        "is_enterprise_install": is_enterprise_install,
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
    is_enterprise_install: bool = False,
    user_team_id: str | None = None,
) -> SlackRequest:
    """The user closed a modal opened with ``notify_on_close``."""
    payload = {
        "type": "view_closed",
        "team": _team(team_id, team_domain, enterprise_id),
        "user": _user(user_id, user_name, user_team_id or team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "view": _full_view(view, team_id, api_app_id),
        "is_cleared": is_cleared,
        "is_enterprise_install": is_enterprise_install,
        "enterprise": _enterprise(enterprise_id),
    }
    return _interactive(payload)
