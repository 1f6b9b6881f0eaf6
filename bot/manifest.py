"""The Slack app manifest for Parley as built so far (`parley manifest`)."""

from __future__ import annotations

from typing import Any

from bot.subcommands import SUBCOMMANDS

BOT_SCOPES: tuple[str, ...] = ("commands", "chat:write", "im:write", "users:read", "files:write")  # charts
BOT_SCOPES += ("im:history",)  # exactly-once delivery looks for a message in the DM before resending
BOT_EVENTS: tuple[str, ...] = ("app_uninstalled", "tokens_revoked")
EVENTS_PATH = "/slack/events"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"


def build_manifest(base_url: str | None = None) -> dict[str, Any]:
    """With a public base URL, an HTTP-mode manifest; without one, a Socket Mode manifest."""
    base = base_url.rstrip("/") if base_url else None
    command: dict[str, Any] = {
        "command": "/negotiate",
        "description": "Negotiation coaching: prep, debrief, trades, commitments",
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
