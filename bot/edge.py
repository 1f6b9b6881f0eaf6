"""The Slack edge: the one place that reads Slack payloads into typed values.

Listeners never dig through ``body`` or ``view.state.values`` themselves; they ask here. Every reader
tolerates what a forged or partial payload may lack (no ``response_url`` on a Home-tab button, no
``user`` on an ``app_home_opened``, a select where a text input was expected) and answers with an
empty value instead of raising, the way Sentry's Slack integration parses requests. Text read from a
form is cleaned here, before validation: NUL characters and lone surrogates (which Slack never shows,
and which PostgreSQL and UTF-8 refuse) are dropped, so what is validated is exactly what is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import BoltContext

from bot.members import Actor, MemberLookup

ACTOR_KEY = "parley_actor"
"""Where :mod:`bot.middleware` leaves the member behind the request in the Bolt context."""


def clean_text(value: str) -> str:
    """``value`` without NUL characters and lone surrogates (unencodable as UTF-8)."""
    if value.isascii():
        return value.replace("\x00", "")
    return "".join(ch for ch in value if ch != "\x00" and not "\ud800" <= ch <= "\udfff")


def _text(value: Any) -> str | None:
    return clean_text(value) if isinstance(value, str) else None


# --- who and where -------------------------------------------------------------------------------


def user_id(body: Mapping[str, Any]) -> str:
    """The Slack user behind a command, an interaction or an event ('' when the payload names none)."""
    user = body.get("user")
    if isinstance(user, Mapping):
        return _text(user.get("id")) or ""
    event = body.get("event")
    if isinstance(event, Mapping):
        found = event.get("user")
        if isinstance(found, Mapping):
            found = found.get("id")
        return _text(found) or ""
    return _text(body.get("user_id")) or _text(user) or ""


def team_id(body: Mapping[str, Any], context: BoltContext | None = None) -> str:
    """The workspace of the request: Bolt's authorised team first, then what the payload says."""
    if context is not None and context.team_id:
        return str(context.team_id)
    team = body.get("team")
    if isinstance(team, Mapping):
        return _text(team.get("id")) or ""
    return _text(body.get("team_id")) or ""


def trigger_id(body: Mapping[str, Any]) -> str:
    return _text(body.get("trigger_id")) or ""


def response_url(body: Mapping[str, Any]) -> str:
    """The interaction's response_url ('' for a Home-tab button or a modal, which have none)."""
    return _text(body.get("response_url")) or ""


def channel_id(body: Mapping[str, Any]) -> str:
    """Where the person acted: a command's channel, or the channel of the clicked message ('')."""
    direct = body.get("channel_id")
    if isinstance(direct, str):
        return direct
    channel = body.get("channel") or body.get("container") or {}
    if not isinstance(channel, Mapping):
        return ""
    value = channel.get("id") or channel.get("channel_id")
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class MessageAt:
    """Where a clicked message lives (both empty for a button outside a message)."""

    channel: str
    ts: str


def clicked_message(body: Mapping[str, Any]) -> MessageAt | None:
    """The message a button was clicked in; None for a Home-tab or modal button."""
    container = body.get("container")
    container = container if isinstance(container, Mapping) else {}
    message = body.get("message")
    message = message if isinstance(message, Mapping) else {}
    channel = container.get("channel_id") or channel_id(body)
    ts = container.get("message_ts") or message.get("ts")
    if isinstance(channel, str) and channel and isinstance(ts, str) and ts:
        return MessageAt(channel, ts)
    return None


def action(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The first (Parley's blocks only ever send one) action of a ``block_actions`` payload."""
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return first if isinstance(first, Mapping) else {}


def action_value(body: Mapping[str, Any]) -> str | None:
    """The clicked button's ``value`` (None when it has none or it is not text)."""
    return _text(action(body).get("value"))


def action_selected_user(body: Mapping[str, Any]) -> str | None:
    return _text(action(body).get("selected_user")) or None


RETRY_REASON_KEY = "parley_retry_reason"
"""Where :func:`bot.middleware.note_retry` leaves Slack's ``X-Slack-Retry-Reason`` header, if any."""


def retry_reason(context: BoltContext) -> str | None:
    """Why Slack is sending this event again (``http_timeout``, …); None on a first delivery."""
    return _text(context.get(RETRY_REASON_KEY)) or None


def actor(context: BoltContext) -> Actor:
    """The member behind the request, resolved once by :func:`bot.middleware.resolve_member`."""
    lookup = context.get(ACTOR_KEY)
    if not isinstance(lookup, MemberLookup):
        raise LookupError("no member for this request: it names no user or team")
    return lookup.get()


# --- modals --------------------------------------------------------------------------------------


def view_of(body: Mapping[str, Any]) -> Mapping[str, Any]:
    view = body.get("view")
    return view if isinstance(view, Mapping) else {}


def form_values(view: Mapping[str, Any]) -> Mapping[str, Any]:
    """``view.state.values`` (empty when the payload carries none)."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, Mapping) else None
    return values if isinstance(values, Mapping) else {}


def private_metadata(view: Mapping[str, Any]) -> str | None:
    return _text(view.get("private_metadata"))


def submission_key(view: Mapping[str, Any]) -> str:
    """One submission of one view: Slack resends the same id and hash when it redelivers it."""
    return f"view:{view.get('id')}:{view.get('hash')}"


def _entry(values: Mapping[str, Any], block_id: str) -> Mapping[str, Any] | None:
    """The state of the (single) element in input ``block_id``; None when the view has no such input."""
    actions = values.get(block_id)
    if not isinstance(actions, Mapping):
        return None
    entry = actions.get(block_id) if block_id in actions else next(iter(actions.values()), None)
    return entry if isinstance(entry, Mapping) else {}


def has_input(values: Mapping[str, Any], block_id: str) -> bool:
    return isinstance(values.get(block_id), Mapping)


def state_value(values: Mapping[str, Any], block_id: str) -> str | None:
    """What one input holds as text (``""`` if left empty); None when the view has no such input.

    Reads whichever key Slack uses for the element (``value``, ``selected_option``, ``selected_date``,
    ``selected_time``, ``selected_user``); anything that is not text (a forged payload) reads as empty.
    """
    entry = _entry(values, block_id)
    if entry is None:
        return None
    if "selected_option" in entry:
        option = entry.get("selected_option")
        value = option.get("value") if isinstance(option, Mapping) else None
    else:
        keys = ("selected_date", "selected_time", "selected_user", "value")
        value = next((entry[key] for key in keys if key in entry), None)
    return _text(value) or ""


def optional_value(values: Mapping[str, Any], block_id: str) -> str | None:
    """Like :func:`state_value`, but None for an input left empty too."""
    return state_value(values, block_id) or None


def selected_values(values: Mapping[str, Any], block_id: str) -> tuple[str, ...]:
    """The values of a multi-select or checkbox input (empty when none are chosen)."""
    entry = _entry(values, block_id) or {}
    options = entry.get("selected_options")
    if not isinstance(options, list):
        return ()
    return tuple(
        clean_text(option["value"])
        for option in options
        if isinstance(option, Mapping) and isinstance(option.get("value"), str)
    )


def selected_date(values: Mapping[str, Any], block_id: str) -> date | str | None:
    """A date picker's choice: None when empty, the date, or ``"bad"`` when it is not a date."""
    raw = state_value(values, block_id)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return "bad"


def selected_int(values: Mapping[str, Any], block_id: str) -> int | None:
    """A select whose option values are ids (None when empty or not a number)."""
    raw = state_value(values, block_id)
    return int(raw) if raw and raw.isdigit() else None


def answers(values: Mapping[str, Any], action_id: str) -> dict[str, str | None]:
    """Block id → the option chosen in its ``action_id`` element (None if unanswered), for every
    block (the style assessment's questions, whose block ids are generated)."""
    found: dict[str, str | None] = {}
    for block_id, actions in values.items():
        if not isinstance(actions, Mapping):
            continue
        state = actions.get(action_id)
        selected = state.get("selected_option") if isinstance(state, Mapping) else None
        found[str(block_id)] = _text(selected.get("value")) if isinstance(selected, Mapping) else None
    return found


def first_input_block(view: Mapping[str, Any]) -> str | None:
    """The first input block of a view: where an error about the whole form is shown."""
    blocks = view.get("blocks")
    for block in blocks if isinstance(blocks, list) else ():
        if (
            isinstance(block, Mapping)
            and block.get("type") == "input"
            and isinstance(block.get("block_id"), str)
        ):
            return str(block["block_id"])
    values = form_values(view)
    return next((str(block_id) for block_id in values), None)
