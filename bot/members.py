"""First contact and the member's cached Slack profile (display name, time zone, admin flag).

``users.info`` is asked only when the member is new or their cached profile is older than
:data:`PROFILE_TTL`; if Slack cannot answer, the member is still recorded and served with what Parley
already knows, because a profile refresh must never block someone's negotiation prep.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.services import Services
from coaching.dates import ENGLISH_SHORT, DateReader, date_reader_of, read_dates_as
from storage.queries.assessments import WELCOMED_KEY
from storage.queries.members import (
    ORG_ADMIN_KEY,
    Profile,
    find_asker,
    find_member,
    save_profile,
    touch_member,
)
from storage.queries.workspaces import ensure_workspace

PROFILE_TTL = timedelta(hours=24)
logger = logging.getLogger(__name__)


class MemberFields(Protocol):
    """A ``Member`` row, or the columns of it that :func:`~storage.queries.members.find_asker` reads."""

    workspace_id: int
    id: int
    slack_user_id: str
    display_name: str
    tz: str
    style: str | None
    is_slack_admin: bool
    role: str
    manager_id: int | None
    settings: dict[str, Any]


@dataclass(frozen=True)
class Actor:
    """The member behind a request, as plain data listeners and flows can pass around."""

    workspace_id: int
    member_id: int
    slack_user_id: str
    display_name: str
    tz: str
    style: str | None
    is_admin: bool
    manager_id: int | None
    is_new: bool = False
    welcomed: bool = False  # offered the style assessment already (first contact is over)
    is_org_admin: bool = False  # an admin or owner of the Enterprise Grid org (sets the org's values)
    dates: DateReader = ENGLISH_SHORT  # how they want dates written (coaching.dates)

    @classmethod
    def of(cls, member: MemberFields, *, is_new: bool = False) -> Actor:
        return cls(
            workspace_id=member.workspace_id,
            member_id=member.id,
            slack_user_id=member.slack_user_id,
            display_name=member.display_name,
            tz=member.tz,
            style=member.style,
            is_admin=member.is_slack_admin or member.role == "admin",
            manager_id=member.manager_id,
            is_new=is_new,
            welcomed=bool((member.settings or {}).get(WELCOMED_KEY)),
            is_org_admin=bool((member.settings or {}).get(ORG_ADMIN_KEY)),
            dates=date_reader_of(member.settings),
        )


def resolve_actor(
    services: Services, client: WebClient, team_id: str, user_id: str, enterprise_id: str | None = None
) -> Actor:
    now = services.clock()
    # The common case — a known member with a fresh profile — is one read that takes no write lock.
    with services.db.read_core() as connection:
        known = find_asker(connection, team_id, user_id)
    if (
        known is not None
        and known.profile_refreshed_at is not None
        and now - known.profile_refreshed_at < PROFILE_TTL
    ):
        return Actor.of(known)
    with services.db.session() as session:
        workspace = ensure_workspace(session, team_id, enterprise_id)
        member = find_member(session, workspace.id, user_id)
        refreshed = member.profile_refreshed_at if member is not None else None
        if member is not None and refreshed is not None and now - refreshed < PROFILE_TTL:
            return Actor.of(member)
        workspace_id = workspace.id
    profile = fetch_profile(client, user_id)  # outside any transaction: it is a network call
    with services.db.session() as session:
        if profile is None:
            member, created = touch_member(session, workspace_id, user_id)
        else:
            member, created = save_profile(session, workspace_id, user_id, profile, now)
        return Actor.of(member, is_new=created)


class MemberLookup:
    """The member behind one request, resolved on first use and then kept (``bot.middleware`` puts
    one in every request's Bolt context that names a user and a team).

    Resolving is deferred to the first listener that asks so that nothing touches the database or
    ``users.info`` before an ack that needs neither (help, a malformed button).
    """

    def __init__(
        self, services: Services, context: BoltContext, team_id: str, user_id: str, enterprise_id: str | None
    ) -> None:
        self.services, self.context = services, context
        self.team_id, self.user_id, self.enterprise_id = team_id, user_id, enterprise_id
        self._actor: Actor | None = None

    def get(self) -> Actor:
        if self._actor is None:
            client = self.context.client
            assert client is not None, "Bolt gives every request a client"
            self._actor = resolve_actor(self.services, client, self.team_id, self.user_id, self.enterprise_id)
            read_dates_as(self._actor.dates)  # this listener's replies write dates their way
        return self._actor


def record_members(
    services: Services, client: WebClient, team_id: str, user_ids: Iterable[str], enterprise_id: str | None
) -> None:
    """Record other members a request named (their names and time zones from Slack)."""
    for user_id in user_ids:
        resolve_actor(services, client, team_id, user_id, enterprise_id)


def fetch_profile(client: WebClient, user_id: str) -> Profile | None:
    try:
        user: dict[str, Any] = client.users_info(user=user_id, include_locale=True)["user"]
    except (SlackApiError, SlackRequestError, OSError) as error:
        logger.warning("users.info failed for %s: %s", user_id, _error_name(error))
        return None
    return profile_of(user, user_id)


def profile_of(user: dict[str, Any], user_id: str) -> Profile:
    """What Parley keeps from a Slack ``user`` object (``users.info``, or a ``user_change`` event)."""
    profile = user.get("profile") or {}
    grid = user.get("enterprise_user")  # Enterprise Grid: the member's role in the org
    grid = grid if isinstance(grid, dict) else {}
    expiration = profile.get("status_expiration")
    status = {
        "text": str(profile.get("status_text") or "")[:100],
        "emoji": str(profile.get("status_emoji") or "")[:100],
        "expiration": expiration if isinstance(expiration, int) and not isinstance(expiration, bool) else 0,
    }
    return Profile(
        display_name=(
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or user_id
        )[:255],
        tz=user.get("tz") or "UTC",
        email=profile.get("email"),
        is_slack_admin=bool(user.get("is_admin") or user.get("is_owner")),
        deleted=bool(user.get("deleted")),
        status=status,
        is_org_admin=bool(grid.get("is_admin") or grid.get("is_owner")),
        locale=str(user["locale"])[:20] if isinstance(user.get("locale"), str) else None,
    )


def _error_name(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    return type(error).__name__
