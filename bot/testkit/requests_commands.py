"""Slash command requests (form-encoded, as Slack posts them)."""

from __future__ import annotations

from bot.testkit.slack_request import (
    DEFAULT_APP_ID,
    DEFAULT_TEAM_DOMAIN,
    DEFAULT_TEAM_ID,
    VERIFICATION_TOKEN,
    SlackRequest,
    _channel_name,
    _form,
    _serial,
)


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
    is_enterprise_install: bool = False,
    response_url: str | None = None,
) -> SlackRequest:
    """A slash command, form-encoded with the fields of ``slash_command.form.json``.

    On Enterprise Grid ``team_id`` is the workspace the command was typed in and ``enterprise_id`` its
    org; ``is_enterprise_install`` says the app is installed org-wide (Slack sends it as text)."""
    if is_enterprise_install and not enterprise_id:
        raise ValueError("an org-wide install only exists on Enterprise Grid: give enterprise_id")
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
        "is_enterprise_install": "true" if is_enterprise_install else "false",
        "response_url": response_url or f"https://hooks.slack.com/commands/{team_id}/{next(_serial)}/abc",
        "trigger_id": trigger_id,
    }
    return _form(fields)
