"""Enterprise Grid in the fake: org-wide installs, the team a call acts on, and ``oauth.v2.access``.

An org-wide install (``is_enterprise_install``) has one bot token for the whole org. Slack's rules,
from its reference for organisation-wide apps (api.slack.com/enterprise/apps):

- the token reaches every workspace of its org and nothing outside it; methods take a ``team_id`` to
  say which workspace they act on, and a ``team_id`` outside the org is refused with
  ``team_access_not_granted`` (a workspace-level token ignores ``team_id``);
- ``oauth.v2.access`` answers an org install with ``"team": null``, ``"enterprise": {id, name}`` and
  ``"is_enterprise_install": true``; a workspace install names its ``team`` (and its ``enterprise``
  when the workspace belongs to an org);
- an OAuth ``code`` is exchanged once (``invalid_code`` after), within ten minutes, by the app it was
  issued to (``invalid_client_id`` / ``bad_client_secret`` otherwise).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Final

from bot.testkit.fake_slack.methods import SlackError
from bot.testkit.fake_slack.state import OAuthCode, Team, Workspace

OAUTH_CODE_TTL: Final = 600.0  # seconds (Slack: "codes expire ten minutes after being issued")


def acting_team(ws: Workspace, token_team: Team, args: dict[str, Any]) -> Team:
    """The team a call acts as: the token's own, or for an org token the workspace ``team_id`` names
    (the org itself when none is named)."""
    if not token_team.is_enterprise_install:
        return token_team  # Slack ignores team_id for a workspace-level token
    team_id = args.get("team_id")
    if not isinstance(team_id, str) or not team_id or team_id == token_team.id:
        return token_team
    workspace = ws.teams.get(team_id)
    if workspace is None or workspace.enterprise_id != token_team.id:
        raise SlackError("team_access_not_granted")
    # The workspace as the org's bot sees it: the org install's bot, scopes and reach.
    return dataclasses.replace(
        workspace,
        bot_token=token_team.bot_token,
        bot_user_id=token_team.bot_user_id,
        bot_id=token_team.bot_id,
        app_id=token_team.app_id,
        scopes=token_team.scopes,
        is_enterprise_install=True,
    )


def oauth_access(ws: Workspace, args: dict[str, Any], now: float) -> dict[str, Any]:
    """``oauth.v2.access``: exchange a code for the bot token of the install it was issued for."""
    code = args.get("code")
    issued = ws.oauth_codes.get(code) if isinstance(code, str) else None
    if issued is None or issued.used or now - issued.issued_at >= OAUTH_CODE_TTL:
        raise SlackError("invalid_code")
    if args.get("client_id") != issued.client_id:
        raise SlackError("invalid_client_id")
    if args.get("client_secret") != issued.client_secret:
        raise SlackError("bad_client_secret")
    issued.used = True
    team = ws.teams[issued.team_id]
    enterprise = None
    if team.enterprise_id is not None:
        org = ws.teams.get(team.enterprise_id)
        enterprise = {"id": team.enterprise_id, "name": org.name if org is not None else team.enterprise_id}
    return {
        "access_token": team.bot_token,
        "token_type": "bot",
        "scope": ",".join(sorted(team.scopes)),
        "bot_user_id": team.bot_user_id,
        "app_id": team.app_id,
        "team": None if team.is_enterprise_install else {"id": team.id, "name": team.name},
        "enterprise": enterprise,
        "is_enterprise_install": team.is_enterprise_install,
        "authed_user": {"id": issued.installer_id},
    }


def new_code(
    ws: Workspace, team_id: str, installer_id: str, client_id: str, client_secret: str, now: float
) -> OAuthCode:
    code_id = f"{ws.new_id('')}.{team_id.lower()}"
    code = OAuthCode(code_id, installer_id, team_id, client_id, client_secret, now)
    ws.oauth_codes[code.code] = code
    return code
