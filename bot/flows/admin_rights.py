"""Admin rights follow Slack: a ``user_change`` event refreshes a member's cached profile at once.

Parley treats Slack workspace admins and owners (``is_admin`` / ``is_owner``) as its admins. The flag
is cached with the member's profile for at most 24 hours (``bot.members.PROFILE_TTL``: the next
request after that asks ``users.info`` again), and Slack's ``user_change`` event — sent when a
member's profile or role changes — refreshes it immediately, so someone who loses admin rights in
Slack loses them in Parley at their next request. The same event keeps the cached Slack status
(vacations) fresh. Members Parley has never met are not recorded: the event is not first contact.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.members import profile_of
from bot.services import Services
from storage.queries import audit
from storage.queries.members import find_member, save_profile
from storage.queries.workspaces import find_workspace

logger = logging.getLogger(__name__)


def on_user_change(services: Services, team_id: str, user: Mapping[str, Any]) -> bool:
    """Refresh the member's cached profile from the event's ``user`` object; whether one was known.

    A change of admin rights is audited (before, after)."""
    user_id = user.get("id")
    if not isinstance(user_id, str) or not user_id or not team_id:
        return False
    profile = profile_of(dict(user), user_id)
    now = services.clock()
    with services.db.session() as session:
        workspace = find_workspace(session, team_id)
        if workspace is None or find_member(session, workspace.id, user_id) is None:
            return False
        member = find_member(session, workspace.id, user_id)
        assert member is not None
        before = member.is_slack_admin
        save_profile(session, workspace.id, user_id, profile, now)
        if before != member.is_slack_admin:
            audit.record(
                session, workspace.id, "member.admin_rights", "member", member.id, now,
                before=before, after=member.is_slack_admin, via="user_change",
            )  # fmt: skip
            logger.info("admin rights of %s in %s: %s -> %s", user_id, team_id, before, member.is_slack_admin)
    return True
