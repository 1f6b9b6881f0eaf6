"""Which bot scope each Web API method needs, and which events an app can subscribe to.

Written from Slack's method reference (docs.slack.dev/reference/methods, "Required scopes: bot token"),
not from what Parley happens to call: the fake refuses a call whose scope the app's manifest did not ask
for, answering ``missing_scope`` with ``needed`` and ``provided`` as Slack does. Methods that act on a
conversation need the scope of that conversation's kind (a DM's history needs ``im:history``, a public
channel's ``channels:history``), so those entries are keyed by kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

Kind = Literal["im", "mpim", "public", "private"]


@dataclass(frozen=True)
class ByConversation:
    """A method whose scope depends on the kind of conversation it acts on."""

    im: str
    mpim: str
    public: str
    private: str

    def for_kind(self, kind: Kind) -> str:
        scope: str = getattr(self, kind)
        return scope


Scope = str | ByConversation | None  # None: no scope (any valid token will do)

METHOD_SCOPES: Final[Mapping[str, Scope]] = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.scheduleMessage": "chat:write",
    "conversations.open": ByConversation("im:write", "mpim:write", "channels:manage", "groups:write"),
    "conversations.history": ByConversation(
        "im:history", "mpim:history", "channels:history", "groups:history"
    ),
    "conversations.replies": ByConversation(
        "im:history", "mpim:history", "channels:history", "groups:history"
    ),
    "conversations.info": ByConversation("im:read", "mpim:read", "channels:read", "groups:read"),
    "users.info": "users:read",
    "dnd.info": "dnd:read",
    "users.list": "users:read",
    "users.lookupByEmail": "users:read.email",
    "team.info": "team:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "files.info": "files:read",
    "reactions.add": "reactions:write",
    # Views need no scope: a valid trigger_id (or the app's own view/home) is the permission.
    "views.open": None,
    "views.push": None,
    "views.update": None,
    "views.publish": None,
}

# Which field of users.info / users.list appears only with which extra scope.
EMAIL_SCOPE: Final = "users:read.email"

# Bot events and the scope Slack requires before the subscription can be saved (Events API reference).
EVENT_SCOPES: Final[Mapping[str, str | None]] = {
    "app_home_opened": None,
    "app_mention": "app_mentions:read",
    "app_uninstalled": None,
    "tokens_revoked": None,
    "message.im": "im:history",
    "message.mpim": "mpim:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "user_change": "users:read",
    "team_join": "users:read",
    "dnd_updated_user": "dnd:read",
}

# A message event's subscription name follows its channel_type.
MESSAGE_SUBSCRIPTIONS: Final[Mapping[str, str]] = {
    "im": "message.im",
    "mpim": "message.mpim",
    "channel": "message.channels",
    "group": "message.groups",
}


def subscription_for(event: Mapping[str, object]) -> str:
    """The ``bot_events`` name that must be subscribed for Slack to deliver ``event``."""
    kind = str(event.get("type", ""))
    if kind == "message":
        channel_type = str(event.get("channel_type", ""))
        if channel_type not in MESSAGE_SUBSCRIPTIONS:
            raise ValueError(
                f"a message event needs channel_type (im, mpim, channel, group), got {channel_type!r}"
            )
        return MESSAGE_SUBSCRIPTIONS[channel_type]
    return kind


class EventNotSubscribed(ValueError):
    """A test tried to deliver an event Slack would never send: the manifest does not subscribe to it."""


@dataclass(frozen=True)
class AppConfig:
    """What Slack grants an app, read from its manifest: bot scopes and subscribed bot events."""

    scopes: frozenset[str]
    bot_events: frozenset[str]

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any] | None = None) -> AppConfig:
        """Parley's own manifest (``build_manifest()``) unless another one is given."""
        if manifest is None:
            from bot.manifest import build_manifest  # the contract under test

            manifest = build_manifest()
        scopes = manifest.get("oauth_config", {}).get("scopes", {}).get("bot", [])
        events = manifest.get("settings", {}).get("event_subscriptions", {}).get("bot_events", [])
        return cls(frozenset(scopes), frozenset(events))

    def check_event(self, event: Mapping[str, Any]) -> None:
        """Raise :class:`EventNotSubscribed` unless Slack would deliver ``event`` to this app."""
        name = subscription_for(event)
        if name not in self.bot_events:
            raise EventNotSubscribed(
                f"Slack never delivers {name!r} to this app: the manifest's bot_events are "
                f"{sorted(self.bot_events)}"
            )
        needed = EVENT_SCOPES.get(name)
        if needed is not None and needed not in self.scopes:
            raise EventNotSubscribed(
                f"{name!r} needs the {needed!r} scope, which the manifest does not ask for"
            )
