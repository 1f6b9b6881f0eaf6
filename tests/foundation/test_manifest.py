"""`parley manifest`: a manifest Slack accepts, pointing every request at /slack/events."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from bot.cli import cli
from bot.manifest import BOT_EVENTS, BOT_SCOPES, EVENT_USES, SCOPE_USES, build_manifest
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


# Slack's app manifest reference: longest accepted values.
MANIFEST_LIMITS = {
    ("display_information", "name"): 35,
    ("display_information", "description"): 140,
    ("features", "bot_user", "display_name"): 80,
}
COMMAND_LIMITS = {"command": 32, "description": 2_000, "usage_hint": 1_000}


def test_names_descriptions_and_the_usage_hint_are_within_slacks_limits() -> None:
    manifest = build_manifest("https://parley.example.com")
    for path, limit in MANIFEST_LIMITS.items():
        value: Any = manifest
        for key in path:
            value = value[key]
        assert 0 < len(value) <= limit, path
    for command in manifest["features"]["slash_commands"]:
        for key, limit in COMMAND_LIMITS.items():
            assert 0 < len(command[key]) <= limit, key
        assert all(sub.name in command["usage_hint"] for sub in SUBCOMMANDS)


def test_the_messages_tab_is_writable_because_dms_are_answered() -> None:
    manifest = build_manifest()
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False
    assert "message.im" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "im:history" in manifest["oauth_config"]["scopes"]["bot"]


def test_readme_names_every_scope_and_event_of_the_manifest_and_nothing_else() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Create the Slack app", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| `") or line.startswith("| event")]
    named = set(re.findall(r"`([a-z_.:]+)`", " ".join(line.split(" | ")[0] for line in table)))
    assert named == set(BOT_SCOPES) | set(BOT_EVENTS)
    assert set(SCOPE_USES) == set(BOT_SCOPES) and set(EVENT_USES) == set(BOT_EVENTS)
