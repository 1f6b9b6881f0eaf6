"""The checks a Web API call passes before its handler runs: token, scope for the conversation kind,
and which channel a rate limit counts against. Pure reads of the workspace, so they live apart from
the server-facing :class:`FakeSlack`."""

from __future__ import annotations

from typing import Any

from bot.testkit.fake_slack.methods import SlackError
from bot.testkit.fake_slack.scopes import METHOD_SCOPES, ByConversation, Kind
from bot.testkit.fake_slack.state import Team, Workspace


def authenticate(ws: Workspace, token: str | None) -> Team:
    if not token:
        raise SlackError("not_authed")
    if token in ws.revoked:
        raise SlackError("token_revoked")
    team_id = ws.tokens.get(token)
    if team_id is None:
        raise SlackError("invalid_auth")
    return ws.teams[team_id]


def needed_scope(ws: Workspace, method: str, args: dict[str, Any]) -> str | None:
    """The scope :data:`METHOD_SCOPES` names, for the kind of conversation the call acts on."""
    scope = METHOD_SCOPES[method]
    if not isinstance(scope, ByConversation):
        return scope
    channel_id = args.get("channel")
    if (
        isinstance(channel_id, str)
        and channel_id
        and channel_id not in ws.channels
        and channel_id not in ws.users
        and not channel_id.startswith("D")
    ):
        return None  # no such conversation: its kind (and so its scope) is unknown, channel_not_found
    return scope.for_kind(conversation_kind(ws, args))


def conversation_kind(ws: Workspace, args: dict[str, Any]) -> Kind:
    channel_id = args.get("channel")
    if isinstance(channel_id, str) and channel_id:
        channel = ws.channels.get(channel_id)  # a user id means their DM; nothing is created here
        if channel is not None:
            if channel.is_im:
                return "im"
            if channel.is_mpim:
                return "mpim"
            return "private" if channel.is_private else "public"
        return "im" if channel_id in ws.users or channel_id.startswith("D") else "public"
    users = args.get("users")
    if isinstance(users, str) and "," in users.strip(","):
        return "mpim"
    return "im"


def rate_key_channel(ws: Workspace, team: Team, method: str, args: dict[str, Any], wall: float) -> str | None:
    """The channel a ``chat.postMessage`` counts against (a user id means their DM); None otherwise."""
    channel = args.get("channel")
    if method != "chat.postMessage" or not isinstance(channel, str):
        return None
    resolved = ws.resolve_channel(team, channel, wall)
    return resolved.id if resolved else channel
