"""The Slack app manifest for Parley (`parley manifest`): the contract of what Slack grants the app.

Slack refuses a Web API call whose scope the manifest lacks and never delivers an event it does not
subscribe to, so every scope and event here names the feature that needs it, and nothing else is asked
for. The fake Slack takes its grants from :func:`build_manifest`, and
``tests/foundation/test_manifest_contract.py`` fails when code and manifest disagree.
"""

from __future__ import annotations

from typing import Any

from bot.subcommands import SUBCOMMANDS

# scope -> the feature that needs it
SCOPE_USES: dict[str, str] = {
    "commands": "the /negotiate slash command",
    "chat:write": "DMs, ephemeral replies and message updates (chat.postMessage/postEphemeral/update)",
    "im:write": "opening the DM with a member (conversations.open) for prep plans, nudges and digests",
    "im:history": (
        "receiving message.im (the reply to a message typed to Parley) and reading a DM's history "
        "(conversations.history), where exactly-once delivery looks for a message before resending it"
    ),
    "users:read": "a member's name, time zone and admin flag (users.info) on first contact",
    "users:read.email": "the profile email in users.info, which `parley team import` matches by",
    "files:write": (
        "the charts in the weekly digests, members' data archives and the playbook download "
        "(files.getUploadURLExternal/completeUploadExternal)"
    ),
    "dnd:read": (
        "a member's Do Not Disturb window (dnd.info): nudges and digests due inside it wait until it ends"
    ),
    "files:read": "reading a playbook TOML an admin shares with Parley in a DM (url_private_download)",
}
# event -> the feature that needs it
EVENT_USES: dict[str, str] = {
    "app_home_opened": "publishing the Home tab when a member opens it (first contact included)",
    "message.im": "a short help reply when someone types to Parley in its Messages tab",
    "app_uninstalled": "forgetting the workspace's tokens when the app is removed",
    "tokens_revoked": "forgetting revoked tokens",
    "user_change": (
        "admin rights and Slack status (vacations) refreshed when a member's profile changes; people "
        "who leave: a deactivated member's nudges stop and their approvals move on"
    ),
}
BOT_SCOPES: tuple[str, ...] = tuple(SCOPE_USES)
BOT_EVENTS: tuple[str, ...] = tuple(EVENT_USES)
COMMAND_DESCRIPTION = "Negotiation coaching: prep, debrief, trades, commitments"
EVENTS_PATH = "/slack/events"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"


def build_manifest(base_url: str | None = None) -> dict[str, Any]:
    """With a public base URL, an HTTP-mode manifest; without one, a Socket Mode manifest."""
    base = base_url.rstrip("/") if base_url else None
    command: dict[str, Any] = {
        "command": "/negotiate",
        "description": COMMAND_DESCRIPTION,
        "usage_hint": " | ".join(sub.name for sub in SUBCOMMANDS),
        "should_escape": False,
    }
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    oauth: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if base:
        command["url"] = base + EVENTS_PATH
        events["request_url"] = base + EVENTS_PATH
        interactivity["request_url"] = base + EVENTS_PATH
        oauth["redirect_urls"] = [base + OAUTH_REDIRECT_PATH]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Parley",
            "description": "Negotiation coaching that turns training into a system.",
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "Parley", "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": oauth,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": base is None,
            "token_rotation_enabled": False,
        },
    }
