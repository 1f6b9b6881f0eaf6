"""The fake workspace: teams, users, channels, messages, views, triggers and files.

Plain data with small helpers and no locking of its own (``FakeSlack`` holds one lock around every
access), so a playground can render it and tests can assert on it directly.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any, Final
from zoneinfo import ZoneInfo

from bot.testkit.requests import DEFAULT_APP_ID

TRIGGER_TTL: Final = 3.0  # seconds: trigger_id expiry (slack-platform.md)
RESPONSE_URL_TTL: Final = 30 * 60.0
RESPONSE_URL_USES: Final = 5

# zoneinfo only knows abbreviations; Slack shows the long name. Unknown ones fall back to "UTC+hh:mm".
TZ_LABELS: Final = {
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "IST": "Irish Standard Time",
    "WET": "Western European Time",
    "WEST": "Western European Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "AKST": "Alaska Standard Time",
    "AKDT": "Alaska Daylight Time",
    "HST": "Hawaii-Aleutian Standard Time",
    "JST": "Japan Standard Time",
    "KST": "Korea Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
    "NZST": "New Zealand Standard Time",
    "NZDT": "New Zealand Daylight Time",
    "UTC": "Coordinated Universal Time",
}


def tz_fields(tz: str, at: float) -> tuple[str, int]:
    """``(tz_label, tz_offset)`` of IANA zone ``tz`` at wall-clock instant ``at`` (DST-aware, like Slack)."""
    local = dt.datetime.fromtimestamp(at, ZoneInfo(tz))
    offset = int(local.utcoffset().total_seconds())  # type: ignore[union-attr]
    abbreviation = local.tzname() or ""
    if abbreviation in TZ_LABELS:
        return TZ_LABELS[abbreviation], offset
    sign, minutes = ("+" if offset >= 0 else "-"), abs(offset) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}", offset


@dataclass
class Team:
    id: str
    name: str
    domain: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    app_id: str = DEFAULT_APP_ID
    scopes: frozenset[str] = frozenset()  # what the app was granted: its manifest's bot scopes
    enterprise_id: str | None = None  # the Enterprise Grid org the workspace belongs to
    is_enterprise_install: bool = False  # an org-wide install: ``id`` is the org's ``E…`` id


@dataclass
class User:
    id: str
    team_id: str
    name: str
    real_name: str
    display_name: str
    tz: str
    email: str | None
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    bot_id: str | None = None
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0
    enterprise: tuple[str, str] | None = None  # (id, name) of the Enterprise Grid org, if any
    is_org_admin: bool = False
    is_org_owner: bool = False
    dnd_start: int = 0  # the member's Do Not Disturb window (Unix seconds; 0 = no schedule)
    dnd_end: int = 0
    snooze_end: int = 0  # a snooze they turned on themselves (Unix seconds; 0 = none)
    locale: str = "en-GB"  # their Slack language (users.info, include_locale); the fake's teams are in London

    def to_slack(self, at: float, *, with_email: bool, app_id: str | None = None) -> dict[str, Any]:
        """The ``user`` object of ``users.info`` (a realistic subset), time zone fields as of ``at``."""
        tz_label, tz_offset = tz_fields(self.tz, at)
        profile: dict[str, Any] = {
            "avatar_hash": "g" + hashlib.md5(self.id.encode()).hexdigest()[:11],
            "status_text": self.status_text,
            "status_emoji": self.status_emoji,
            "status_expiration": self.status_expiration,
            "real_name": self.real_name,
            "display_name": self.display_name,
            "real_name_normalized": self.real_name,
            "display_name_normalized": self.display_name,
            "image_24": f"https://avatars.example/{self.id}_24.png",
            "image_72": f"https://avatars.example/{self.id}_72.png",
            "team": self.team_id,
        }
        if with_email and self.email and not self.is_bot:
            profile["email"] = self.email
        if self.is_bot:
            profile |= {"bot_id": self.bot_id, "api_app_id": app_id, "always_active": True}
        found: dict[str, Any] = {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": tz_label,
            "tz_offset": tz_offset,
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": int(at),
            "has_2fa": False,
        }
        if self.enterprise is not None:  # Slack's users.info on Enterprise Grid
            found["enterprise_user"] = {
                "id": self.id,
                "enterprise_id": self.enterprise[0],
                "enterprise_name": self.enterprise[1],
                "is_admin": self.is_org_admin,
                "is_owner": self.is_org_owner,
                "is_primary_owner": self.is_org_owner,
                "teams": [self.team_id],
            }
        return found


@dataclass
class Channel:
    id: str
    team_id: str
    name: str
    is_im: bool = False
    is_mpim: bool = False
    is_private: bool = False
    user: str | None = None  # the other member of a DM
    members: set[str] | None = None  # None: everyone in the team
    bot_member: bool = True
    created: int = 0

    def has_member(self, user_id: str) -> bool:
        return self.members is None or user_id in self.members


@dataclass
class Trigger:
    id: str
    user_id: str
    team_id: str
    issued_at: float  # on the monotonic clock
    used: bool = False


@dataclass
class ResponseUrl:
    id: str
    team_id: str
    channel_id: str
    user_id: str
    message_ts: str | None
    issued_at: float
    uses: int = 0


@dataclass
class UploadedFile:
    id: str
    team_id: str
    filename: str
    length: int
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = None  # None until the bytes are POSTed to the upload URL
    title: str | None = None
    completed: bool = False
    channels: list[str] = field(default_factory=list)
    shared_by: str | None = None  # a member's file shared into a conversation (None: the app's upload)


@dataclass
class OAuthCode:
    """A temporary code from Slack's OAuth redirect: exchanged once, within ten minutes, for the
    install of ``team_id`` (a workspace) or ``enterprise_id`` (``is_enterprise_install``: the org)."""

    code: str
    installer_id: str
    team_id: str  # the installed team: a workspace ``T…``, or the org's ``E…`` for an org-wide install
    client_id: str
    client_secret: str  # the app's: Slack answers bad_client_secret to any other
    issued_at: float
    used: bool = False


@dataclass
class ViewRecord:
    """A live view: a modal in someone's stack or a published Home tab."""

    view: dict[str, Any]  # as Slack reports it (id, hash, state, root_view_id, ...)
    user_id: str
    team_id: str


@dataclass
class Workspace:
    """All state of the fake; ``FakeSlack`` owns the lock."""

    teams: dict[str, Team] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> team id
    revoked: set[str] = field(default_factory=set)
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> messages by ts
    ephemerals: list[dict[str, Any]] = field(default_factory=list)  # with "channel" and "recipient"
    views: dict[str, ViewRecord] = field(default_factory=dict)  # view id -> live view
    stacks: dict[str, list[str]] = field(default_factory=dict)  # user -> modal view ids, root first
    homes: dict[str, str] = field(default_factory=dict)  # user -> home view id
    triggers: dict[str, Trigger] = field(default_factory=dict)
    response_urls: dict[str, ResponseUrl] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    oauth_codes: dict[str, OAuthCode] = field(default_factory=dict)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _last_micros: int = 0

    def new_id(self, prefix: str) -> str:
        """Slack-looking ids (``V00000001``): deterministic, so snapshots and tests stay stable."""
        return f"{prefix}{next(self._serial):08d}"

    def new_ts(self, wall: float) -> str:
        """Message timestamps in Slack's ``"1732230001.000100"`` format, strictly increasing."""
        self._last_micros = max(self._last_micros + 1, int(wall * 1_000_000))
        return f"{self._last_micros // 1_000_000}.{self._last_micros % 1_000_000:06d}"

    def new_hash(self, wall: float) -> str:
        return f"{int(wall)}.{next(self._serial):08x}"

    # ------------------------------------------------------------------------------------------ lookups

    def dm_channel(self, user: User, wall: float) -> Channel:
        """The bot's DM with ``user``: ``D`` + the user id's tail (``U0ALICE`` -> ``D0ALICE``), stable."""
        for channel in self.channels.values():
            if channel.is_im and channel.user == user.id:
                return channel
        channel_id = "D" + (user.id[1:] if user.id[:1] in ("U", "W") else user.id)
        if channel_id in self.channels:
            channel_id = self.new_id("D")
        channel = Channel(channel_id, user.team_id, user.id, is_im=True, user=user.id, created=int(wall))
        channel.members = {user.id}
        self.channels[channel_id] = channel
        self.messages.setdefault(channel_id, [])
        return channel

    def resolve_channel(self, team: Team, channel_id: str, wall: float) -> Channel | None:
        """A channel id of ``team``, or a user id meaning "the DM with that user" (as Slack allows)."""
        channel = self.channels.get(channel_id)
        if channel is not None:
            return channel if self.covers(team, channel.team_id) else None
        user = self.users.get(channel_id)
        if user is not None and self.covers(team, user.team_id) and not user.is_bot:
            return self.dm_channel(user, wall)
        return None

    def covers(self, team: Team, team_id: str) -> bool:
        """Whether a token acting as ``team`` reaches workspace ``team_id``: its own, or (an org-wide
        install's token) any workspace of the same Enterprise Grid org — never one outside it."""
        if team.id == team_id:
            return True
        other = self.teams.get(team_id)
        return (
            team.is_enterprise_install
            and other is not None
            and other.enterprise_id is not None
            and other.enterprise_id == team.enterprise_id
        )

    def find_message(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(channel_id, ()) if m.get("ts") == ts), None)

    def stack(self, user_id: str) -> list[str]:
        return self.stacks.setdefault(user_id, [])

    def snapshot(self) -> dict[str, Any]:
        """Everything, JSON-serialisable (file contents as sizes), for a playground or a failing test."""
        return copy.deepcopy(
            {
                "teams": {k: {**vars(t), "scopes": sorted(t.scopes)} for k, t in self.teams.items()},
                "users": {k: vars(u) for k, u in self.users.items()},
                "channels": {
                    k: {**vars(c), "members": None if c.members is None else sorted(c.members)}
                    for k, c in self.channels.items()
                },
                "messages": self.messages,
                "ephemerals": self.ephemerals,
                "modals": {
                    user: [self.views[v].view for v in ids] for user, ids in self.stacks.items() if ids
                },
                "homes": {user: self.views[v].view for user, v in self.homes.items()},
                "files": {
                    k: {**vars(f), "content": None if f.content is None else len(f.content)}
                    for k, f in self.files.items()
                },
            }
        )
