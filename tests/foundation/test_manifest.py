"""`parley manifest`: a manifest Slack accepts, pointing every request at /slack/events."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import cli
from bot.manifest import BOT_EVENTS, BOT_SCOPES, build_manifest
from bot.subcommands import SUBCOMMANDS


def test_http_manifest_points_everything_at_one_request_url() -> None:
    result = CliRunner().invoke(cli, ["manifest", "--url", "https://parley.example.com/"])
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    url = "https://parley.example.com/slack/events"
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/negotiate"
    assert command["url"] == url
    assert command["usage_hint"] == " | ".join(sub.name for sub in SUBCOMMANDS)
    assert manifest["settings"]["event_subscriptions"] == {"request_url": url, "bot_events": list(BOT_EVENTS)}
    assert manifest["settings"]["interactivity"] == {"is_enabled": True, "request_url": url}
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["oauth_config"]["redirect_urls"] == ["https://parley.example.com/slack/oauth_redirect"]
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert len(manifest["display_information"]["name"]) <= 35
    assert len(command["description"]) <= 100


def test_socket_mode_manifest_has_no_urls() -> None:
    manifest = build_manifest()
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert "url" not in manifest["features"]["slash_commands"][0]
    assert "redirect_urls" not in manifest["oauth_config"]


def test_plain_http_url_is_refused_with_one_line() -> None:
    result = CliRunner().invoke(cli, ["manifest", "--url", "http://insecure.example.com"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "parley: error: --url must be an https:// URL: Slack only sends requests to HTTPS endpoints"
    ]
