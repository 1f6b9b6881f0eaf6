"""Identity and membership: ``auth.test``, ``users.*`` and ``conversations.open`` (DMs and group DMs)."""

from __future__ import annotations

from typing import Any, Final

from bot.testkit.fake_slack.methods import Ctx, SlackError, find_channel, find_user, method
from bot.testkit.fake_slack.scopes import EMAIL_SCOPE
from bot.testkit.fake_slack.state import Channel, User

MAX_MPIM_USERS: Final = 8
USERS_LIST_MAX: Final = 1_000  # the largest page users.list answers


@method("auth.test")
def auth_test(ctx: Ctx) -> dict[str, Any]:
    team = ctx.team
    return {
        "url": f"https://{team.domain}.slack.com/",
        "team": team.name,
        "user": ctx.ws.users[team.bot_user_id].name,
        "team_id": team.id,
        "user_id": team.bot_user_id,
        "bot_id": team.bot_id,
        "app_id": team.app_id,
        "enterprise_id": team.enterprise_id,
        "is_enterprise_install": team.is_enterprise_install,
    }


@method("users.info")
def users_info(ctx: Ctx) -> dict[str, Any]:
    user = find_user(ctx, ctx.arg("user"))
    with_email = EMAIL_SCOPE in ctx.team.scopes
    body = user.to_slack(ctx.wall, with_email=with_email, app_id=ctx.team.app_id)
    if ctx.flag("include_locale"):
        body["locale"] = user.locale  # "Set this to true to receive the locale for this user"
    return {"user": body}


DAY: Final = 86_400


@method("dnd.info")
def dnd_info(ctx: Ctx) -> dict[str, Any]:
    """A member's Do Not Disturb state (``dnd:read``), shaped as Slack's reference shows it.

    ``user`` defaults to the token's own user. A schedule recurs daily, so the window reported is the
    current one or the next (``next_dnd_start_ts`` / ``next_dnd_end_ts``; both 1 without a schedule).
    "All of the snooze_* properties will only be visible if the user being queried is also the
    current user", and ``snooze_endtime`` / ``snooze_remaining`` only while ``snooze_enabled``.
    """
    user = find_user(ctx, ctx.arg("user") or ctx.team.bot_user_id)
    now = int(ctx.wall)
    body: dict[str, Any] = {"dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1}
    if user.dnd_end > user.dnd_start > 0:
        start, end = user.dnd_start, user.dnd_end
        if end <= now:
            days = (now - end) // DAY + 1
            start, end = start + days * DAY, end + days * DAY
        body = {"dnd_enabled": True, "next_dnd_start_ts": start, "next_dnd_end_ts": end}
    if user.id == ctx.team.bot_user_id:
        snoozed = user.snooze_end > now
        body["snooze_enabled"] = snoozed
        if snoozed:
            body |= {"snooze_endtime": user.snooze_end, "snooze_remaining": user.snooze_end - now}
    return body


@method("users.list")
def users_list(ctx: Ctx) -> dict[str, Any]:
    """The team's members (bots included, as Slack lists them), ``limit`` at a time with a ``next_cursor``.

    ``profile.email`` only with ``users:read.email``, like ``users.info``. The cursor here is an offset
    in a string; Slack's cursors are opaque, so callers only ever pass back what they were given.
    """
    try:
        limit = int(ctx.arg("limit") or 0) or USERS_LIST_MAX
        start = int(ctx.arg("cursor") or 0)
    except (TypeError, ValueError):
        raise SlackError("invalid_cursor") from None
    if limit < 0 or start < 0:
        raise SlackError("invalid_cursor")
    members = sorted((u for u in ctx.ws.users.values() if u.team_id == ctx.team.id), key=lambda u: u.id)
    page = members[start : start + min(limit, USERS_LIST_MAX)]
    with_email = EMAIL_SCOPE in ctx.team.scopes
    following = start + len(page)
    return {
        "members": [u.to_slack(ctx.wall, with_email=with_email, app_id=ctx.team.app_id) for u in page],
        "cache_ts": int(ctx.wall),
        "response_metadata": {"next_cursor": str(following) if following < len(members) else ""},
    }


@method("conversations.open")
def conversations_open(ctx: Ctx) -> dict[str, Any]:
    """A DM (one user) or a multi-person DM (2–8 users); the id is stable for the same people."""
    if ctx.arg("channel"):
        channel = find_channel(ctx, ctx.arg("channel"))
        if not (channel.is_im or channel.is_mpim):
            raise SlackError("channel_not_found")
    else:
        raw = ctx.arg("users")
        ids = [u.strip() for u in raw.split(",") if u.strip()] if isinstance(raw, str) else []
        if not ids:
            raise SlackError("users_list_not_supplied")
        if len(ids) > MAX_MPIM_USERS:
            raise SlackError("too_many_users")
        users = [find_user(ctx, user_id) for user_id in ids]
        if any(user.is_bot for user in users):
            raise SlackError("cannot_dm_bot")
        if any(user.deleted for user in users):  # Slack: "user_disabled" for a deactivated user
            raise SlackError("user_disabled")
        channel = ctx.ws.dm_channel(users[0], ctx.wall) if len(users) == 1 else _mpim(ctx, users)
    if not ctx.flag("return_im"):
        return {"channel": {"id": channel.id}}
    return {
        "channel": {
            "id": channel.id,
            "created": channel.created,
            "is_im": channel.is_im,
            "is_mpim": channel.is_mpim,
            "is_org_shared": False,
            "user": channel.user,
            "last_read": "0000000000.000000",
            "latest": None,
            "unread_count": 0,
            "unread_count_display": 0,
            "is_open": True,
            "priority": 0,
        }
    }


def _mpim(ctx: Ctx, users: list[User]) -> Channel:
    members = {u.id for u in users} | {ctx.team.bot_user_id}
    for channel in ctx.ws.channels.values():
        if channel.is_mpim and channel.members == members:
            return channel
    channel_id = ctx.ws.new_id("G")
    name = "mpdm-" + "--".join(sorted(u.name for u in users)) + "-1"
    channel = Channel(channel_id, ctx.team.id, name, is_mpim=True, is_private=True, members=members)
    channel.created = int(ctx.wall)
    ctx.ws.channels[channel_id] = channel
    ctx.ws.messages[channel_id] = []
    return channel
