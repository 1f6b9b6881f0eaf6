"""``FakeSlack``: a strict, local Slack Web API for tests, benchmarks and the playground.

It answers real HTTP from a real ``slack_sdk.WebClient`` (``base_url=slack.api_url``), rejects what
Slack would reject (``invalid_blocks``, expired or reused trigger ids, 429 with ``Retry-After``) and
records every call with its parsed arguments, so tests assert on what the app actually sent.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.testkit.fake_slack.calls import Call, Injected, decode_json_args
from bot.testkit.fake_slack.gate import authenticate, needed_scope, rate_key_channel
from bot.testkit.fake_slack.grid import acting_team, new_code, oauth_access
from bot.testkit.fake_slack.methods import METHODS, Ctx, SlackError, accept_upload, respond
from bot.testkit.fake_slack.methods_files import download, shared_file_object
from bot.testkit.fake_slack.ratelimit import RateLimiter
from bot.testkit.fake_slack.scopes import AppConfig
from bot.testkit.fake_slack.server import HttpServer, Reply, json_reply, text_reply
from bot.testkit.fake_slack.state import Channel, ResponseUrl, Team, Trigger, UploadedFile, User, Workspace
from bot.testkit.requests import (
    DEFAULT_APP_ID,
    DEFAULT_BOT_ID,
    DEFAULT_BOT_USER_ID,
    DEFAULT_TEAM_DOMAIN,
    DEFAULT_TEAM_ID,
)

logger = logging.getLogger(__name__)

DEFAULT_BOT_TOKEN: Final = "xoxb-test-token"
OAUTH_ACCESS: Final = "oauth.v2.access"


class FakeSlack:
    """A fake Slack workspace behind a real HTTP server on 127.0.0.1 (random free port).

    ``clock`` (monotonic) drives trigger expiry, response_url expiry and rate limits; ``wall_clock``
    drives message ``ts``, view hashes and time zone offsets. Inject both to test time without sleeping.
    ``manifest`` (default: Parley's ``build_manifest()``) decides the scopes every install is granted.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        enforce_rate_limits: bool = False,
        team_id: str = DEFAULT_TEAM_ID,
        bot_token: str = DEFAULT_BOT_TOKEN,
        bot_user_id: str = DEFAULT_BOT_USER_ID,
        host: str = "127.0.0.1",
        port: int = 0,
        manifest: Mapping[str, Any] | None = None,
    ) -> None:
        self.app = AppConfig.from_manifest(manifest)  # Parley's manifest unless a test passes another
        self._clock = clock
        self._wall_clock = wall_clock
        self._limiter = RateLimiter(clock) if enforce_rate_limits else None
        self._host, self._port = host, port
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: HttpServer | None = None
        self._ws = Workspace()
        self._calls: list[Call] = []
        self._injected: dict[str, deque[Injected]] = {}
        self._subscribers: list[Callable[[Call], None]] = []
        self._version = 0
        self.add_team(team_id, bot_token=bot_token, bot_user_id=bot_user_id, bot_id=DEFAULT_BOT_ID)

    # ------------------------------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        if self._server is None:
            self._server = HttpServer(self, self._host, self._port)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (upload and response URLs live here too)."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not running: use `with FakeSlack() as slack:` or start()")
        return self._server.base_url

    @property
    def api_url(self) -> str:
        """Give this to ``WebClient(base_url=...)`` / ``SLACK_API_URL``."""
        return f"{self.base_url}/api/"

    @property
    def connections_accepted(self) -> int:
        """TCP connections clients have opened so far (keep-alive clients reuse theirs)."""
        return self._server.connections_accepted if self._server is not None else 0

    def hang_up(self) -> None:
        """Close every kept-alive connection, as a server does with idle ones."""
        if self._server is not None:
            self._server.hang_up()

    # ------------------------------------------------------------------------------------------ directory

    def add_team(
        self,
        team_id: str,
        *,
        bot_token: str | None,
        bot_user_id: str | None = None,
        bot_id: str | None = None,
        name: str | None = None,
        domain: str | None = None,
        app_id: str = DEFAULT_APP_ID,
        scopes: frozenset[str] | set[str] | None = None,
        enterprise_id: str | None = None,
    ) -> Team:
        """A workspace with the app installed: its bot token, bot user (``users.info``-able) and scopes.

        ``scopes`` defaults to everything the manifest asks for; fewer model an install made before a
        scope was added. More is refused: Slack never grants a scope the app does not ask for.
        """
        if bot_token is None and enterprise_id is None:
            raise ValueError("a workspace without its own bot token must belong to an org (enterprise_id)")
        granted = self.app.scopes if scopes is None else frozenset(scopes)
        if not granted <= self.app.scopes:
            extra = sorted(granted - self.app.scopes)
            raise ValueError(f"scopes {extra} are not in the manifest: Slack would not grant them")
        tail = team_id[1:]
        domain = domain or (DEFAULT_TEAM_DOMAIN if team_id == DEFAULT_TEAM_ID else tail.lower())
        team = Team(
            team_id,
            name or domain.title(),
            domain,
            bot_token or "",
            bot_user_id or f"U{tail}BOT",
            bot_id or f"B{tail}BOT",
            app_id,
            granted,
            enterprise_id,
        )
        bot = User(team.bot_user_id, team_id, "parley", "Parley", "Parley", "America/Los_Angeles", None)
        bot.is_bot, bot.bot_id = True, team.bot_id
        with self._lock:
            self._ws.teams[team_id] = team
            if bot_token is not None:
                self._ws.tokens[bot_token] = team_id
                self._ws.users[bot.id] = bot
            self._bump()
        return team

    def add_org(
        self,
        enterprise_id: str,
        *,
        bot_token: str,
        workspaces: dict[str, str] | None = None,
        name: str | None = None,
        bot_user_id: str | None = None,
        app_id: str = DEFAULT_APP_ID,
    ) -> Team:
        """An Enterprise Grid org with the app installed org-wide (``is_enterprise_install``): one bot
        token for every workspace of the org. ``workspaces`` (team id -> name) adds the org's
        workspaces, reached through that token only."""
        if not enterprise_id.startswith("E"):
            raise ValueError("Enterprise Grid org ids start with E")
        tail = enterprise_id[1:]
        org = Team(
            enterprise_id,
            name or tail.title(),
            tail.lower(),
            bot_token,
            bot_user_id or f"W{tail}BOT",
            f"B{tail}BOT",
            app_id,
            self.app.scopes,
            enterprise_id,
            is_enterprise_install=True,
        )
        bot = User(org.bot_user_id, enterprise_id, "parley", "Parley", "Parley", "America/Los_Angeles", None)
        bot.is_bot, bot.bot_id = True, org.bot_id
        with self._lock:
            self._ws.teams[enterprise_id] = org
            self._ws.tokens[bot_token] = enterprise_id
            self._ws.users[bot.id] = bot
            self._bump()
        for team_id, team_name in (workspaces or {}).items():
            self.add_team(team_id, bot_token=None, name=team_name, enterprise_id=enterprise_id)
        return org

    def issue_oauth_code(self, team_id: str, *, installer_id: str, client_id: str, client_secret: str) -> str:
        """The ``code`` Slack's OAuth redirect carries after ``installer_id`` installs the app on
        ``team_id`` (a workspace, or an org's ``E…`` id for an org-wide install); ``oauth.v2.access``
        exchanges it only with the app's ``client_id`` and ``client_secret``."""
        with self._lock:
            if team_id not in self._ws.teams:
                raise ValueError(f"unknown team {team_id!r}: add_team() or add_org() first")
            code = new_code(self._ws, team_id, installer_id, client_id, client_secret, self._clock())
            self._bump()
            return code.code

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "Europe/London",
        is_admin: bool = False,
        is_owner: bool = False,
        is_org_admin: bool = False,
        is_org_owner: bool = False,
        team_id: str | None = None,
        email: str | None = None,
        deleted: bool = False,
        status_text: str = "",
        status_emoji: str = "",
        status_expiration: int = 0,
        locale: str = "en-GB",
    ) -> dict[str, Any]:
        """A member (with a DM channel to the bot); returns the ``users.info`` ``user`` object.

        ``locale``: the language they use Slack in (``users.info`` gives it for ``include_locale``).

        ``status_*`` is the member's Slack status (``status_expiration``: Unix seconds, 0 = none).
        ``is_org_admin`` / ``is_org_owner``: an admin or owner of the Enterprise Grid org the team
        belongs to (``users.info`` then carries ``enterprise_user``)."""
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {tz!r}") from error
        with self._lock:
            team = self._ws.teams.get(team_id or DEFAULT_TEAM_ID)
            if team is None:
                raise ValueError(f"unknown team {team_id!r}: add_team() first")
            name = name or user_id.lower()
            user = User(
                user_id,
                team.id,
                name,
                real_name or name.title(),
                display_name if display_name is not None else name,
                tz,
                email or f"{name}@{team.domain}.example",
                is_admin=is_admin,
                is_owner=is_owner,
                deleted=deleted,
                status_text=status_text,
                status_emoji=status_emoji,
                status_expiration=status_expiration,
                locale=locale,
            )
            if team.enterprise_id is not None:
                org = self._ws.teams.get(team.enterprise_id)
                user.enterprise = (team.enterprise_id, org.name if org else team.enterprise_id)
                user.is_org_admin, user.is_org_owner = is_org_admin, is_org_owner
            elif is_org_admin or is_org_owner:
                raise ValueError("only a member of an Enterprise Grid workspace can be an org admin")
            self._ws.users[user_id] = user
            self._ws.dm_channel(user, self._wall_clock())
            self._bump()
            return user.to_slack(self._wall_clock(), with_email=True)

    def set_wall_clock(self, wall_clock: Callable[[], float]) -> None:
        """Follow another wall clock from now on (a test's movable clock, for time-dependent answers)."""
        with self._lock:
            self._wall_clock = wall_clock

    def set_dnd(self, user_id: str, *, start: int = 0, end: int = 0, snooze_until: int = 0) -> None:
        """A member's Do Not Disturb schedule (a daily window from ``start`` to ``end``, Unix seconds;
        0 for none) and snooze, as ``dnd.info`` reports them."""
        with self._lock:
            user = self._known_user(user_id)
            user.dnd_start, user.dnd_end, user.snooze_end = start, end, snooze_until
            self._bump()

    def deactivate_user(self, user_id: str) -> dict[str, Any]:
        """Deactivate a member as a Slack admin would; returns the ``user`` object a ``user_change``
        event carries (``deleted: true``)."""
        with self._lock:
            user = self._ws.users[user_id]
            user.deleted = True
            self._bump()
            return user.to_slack(self._wall_clock(), with_email=True)

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        team_id: str = DEFAULT_TEAM_ID,
        members: set[str] | None = None,
        is_private: bool = False,
        bot_member: bool = True,
    ) -> str:
        """A channel; ``members=None`` means everyone, ``bot_member=False`` makes posts ``not_in_channel``."""
        with self._lock:
            channel = Channel(channel_id, team_id, name or channel_id.lower(), is_private=is_private)
            channel.members = None if members is None else set(members)
            channel.bot_member, channel.created = bot_member, int(self._wall_clock())
            self._ws.channels[channel_id] = channel
            self._ws.messages.setdefault(channel_id, [])
            self._bump()
        return channel_id

    def revoke_token(self, token: str) -> None:
        """Later calls with ``token`` answer ``token_revoked`` (after an uninstall, say)."""
        with self._lock:
            self._ws.revoked.add(token)
            self._bump()

    # ------------------------------------------------------------------------------------------ interaction

    def issue_trigger_id(self, user_id: str) -> str:
        """A trigger id as Slack puts in a command/action payload: valid 3 s (on ``clock``), usable once."""
        with self._lock:
            user = self._known_user(user_id)
            serial = len(self._ws.triggers) + 1
            trigger_id = f"{1000 + serial}.42.{serial:06x}"  # Slack's "1337.42.abcdef" shape
            self._ws.triggers[trigger_id] = Trigger(trigger_id, user_id, user.team_id, self._clock())
            self._bump()
            return trigger_id

    def issue_response_url(self, channel_id: str, user_id: str, *, message_ts: str | None = None) -> str:
        """A ``response_url`` served by this fake (5 uses, 30 minutes), for command/action payloads."""
        with self._lock:
            user = self._known_user(user_id)
            channel = self._ws.resolve_channel(self._ws.teams[user.team_id], channel_id, self._wall_clock())
            if channel is None:
                raise ValueError(f"unknown channel {channel_id!r}")
            hook_id = self._ws.new_id("H")
            self._ws.response_urls[hook_id] = ResponseUrl(
                hook_id, user.team_id, channel.id, user_id, message_ts, self._clock()
            )
            self._bump()
        return f"{self.base_url}/hooks/{hook_id}"

    # ------------------------------------------------------------------------------------------ behaviour

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 2) -> None:
        """The next ``times`` calls to ``method`` answer HTTP 429 with ``Retry-After: retry_after``."""
        self._inject(method, times, Injected(429, "ratelimited", retry_after))

    def fail_next(self, method: str, *, error: str | None = None, status: int = 200, times: int = 1) -> None:
        """The next ``times`` calls to ``method`` fail: ``{"ok": false, "error": error}`` with ``status``."""
        default = "internal_error" if status >= 500 else "fatal_error"
        self._inject(method, times, Injected(status, error or default))

    def _inject(self, method: str, times: int, injected: Injected) -> None:
        with self._lock:
            self._injected.setdefault(method, deque()).extend(copy.copy(injected) for _ in range(times))

    # ------------------------------------------------------------------------------------------ inspection

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if c.method == method]

    def reset_calls(self) -> None:
        with self._lock:
            self._calls.clear()
            self._bump()

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages in a channel (or the DM of a user id), oldest first, replies included."""
        with self._lock:
            return copy.deepcopy(self._ws.messages.get(self._channel_id(channel), []))

    def all_messages(self) -> dict[str, list[dict[str, Any]]]:
        """Every channel's messages (channel id -> oldest first), for checks across the workspace."""
        with self._lock:
            return copy.deepcopy(self._ws.messages)

    def last_message(self, channel: str) -> dict[str, Any] | None:
        messages = self.messages(channel)
        return messages[-1] if messages else None

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """The replies to ``thread_ts`` (without the parent)."""
        return [m for m in self.messages(channel) if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts]

    def dm_channel(self, user_id: str) -> str:
        """The id of the bot's DM with ``user_id`` (what ``conversations.open`` answers)."""
        with self._lock:
            return self._ws.dm_channel(self._known_user(user_id), self._wall_clock()).id

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[dict[str, Any]]:
        """Ephemeral messages, each with ``channel`` and ``recipient``; filter by channel and/or user."""
        with self._lock:
            channel_id = None if channel is None else self._channel_id(channel)
            return copy.deepcopy(
                [
                    e
                    for e in self._ws.ephemerals
                    if (channel_id is None or e["channel"] == channel_id)
                    and (user is None or e["recipient"] == user)
                ]
            )

    def open_views(self, user_id: str) -> list[dict[str, Any]]:
        """The user's modal stack, root first (as Slack reports each view)."""
        with self._lock:
            return copy.deepcopy([self._ws.views[v].view for v in self._ws.stacks.get(user_id, [])])

    def home(self, user_id: str) -> dict[str, Any] | None:
        """The user's published Home tab view, if any."""
        with self._lock:
            view_id = self._ws.homes.get(user_id)
            return copy.deepcopy(self._ws.views[view_id].view) if view_id else None

    def user(self, user_id: str) -> dict[str, Any]:
        """The ``users.info`` object (time zone fields as of ``wall_clock`` now)."""
        with self._lock:
            return self._known_user(user_id).to_slack(self._wall_clock(), with_email=True)

    def files(self) -> list[dict[str, Any]]:
        """Uploaded files with their bytes (``content``), ``title`` and shared ``channels``."""
        with self._lock:
            return [copy.deepcopy(vars(f)) for f in self._ws.files.values()]

    def close_view(self, user_id: str) -> None:
        """What the user's client does on Cancel/Back: pop the top modal."""
        with self._lock:
            stack = self._ws.stack(user_id)
            if stack:
                self._ws.views.pop(stack.pop(), None)
            self._bump()

    def clear_views(self, user_id: str) -> None:
        """Close every modal of the user (``response_action: clear``)."""
        with self._lock:
            while self._ws.stack(user_id):
                self._ws.views.pop(self._ws.stack(user_id).pop(), None)
            self._bump()

    def snapshot(self) -> dict[str, Any]:
        """All state as JSON-serialisable data, plus ``version``."""
        with self._lock:
            return {**self._ws.snapshot(), "version": self._version}

    # ------------------------------------------------------------------------------------------ change feed

    @property
    def version(self) -> int:
        """Increases on every recorded call and every change made through this object."""
        with self._lock:
            return self._version

    def subscribe(self, callback: Callable[[Call], None]) -> Callable[[], None]:
        """Call ``callback(call)`` after each recorded call (outside the lock); returns an unsubscribe."""
        with self._lock:
            self._subscribers.append(callback)
        return lambda: self._unsubscribe(callback)

    def _unsubscribe(self, callback: Callable[[Call], None]) -> None:
        with self._lock:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

    def wait_for(self, predicate: Callable[[], object], timeout: float = 2.0) -> bool:
        """Block (real time) until ``predicate()`` is truthy — for work the app does after ``ack()``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True

    def _known_user(self, user_id: str) -> User:
        user = self._ws.users.get(user_id)
        if user is None:
            raise ValueError(f"unknown user {user_id!r}: add_user() first")
        return user

    def _bump(self) -> None:
        self._version += 1
        self._changed.notify_all()

    def _channel_id(self, channel: str) -> str:
        user = self._ws.users.get(channel)
        return self._ws.dm_channel(user, self._wall_clock()).id if user and not user.is_bot else channel

    # ------------------------------------------------------------------------------------------ dispatch

    def handle_api(self, method: str, args: dict[str, Any], token: str | None) -> Reply:
        with self._lock:
            args = decode_json_args(args)
            status, headers, body = self._answer(method, args, token)
            reply = json_reply(status, body, headers)  # serialised under the lock: body shares live state
            call = Call(method, args, reply.body, status, token)  # the bytes sent: a copy for free
            subscribers = self._append(call)
        self._notify(call, subscribers)
        return reply

    def _answer(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, str], Any]:
        spec = METHODS.get(method)
        if spec is None and method != OAUTH_ACCESS:
            return 200, {}, {"ok": False, "error": "unknown_method", "req_method": method}
        injected = self._injected.get(method)
        if injected:
            fake = injected.popleft()
            headers = {"Retry-After": str(fake.retry_after)} if fake.status == 429 else {}
            return fake.status, headers, {"ok": False, "error": fake.error}
        try:
            if spec is None:  # oauth.v2.access: the app authenticates with its client id and secret
                return 200, {}, {"ok": True, **oauth_access(self._ws, args, self._clock())}
            team = acting_team(self._ws, authenticate(self._ws, token), args)
            if self._limiter is not None:
                retry_after = self._limiter.check(
                    team.id, method, rate_key_channel(self._ws, team, method, args, self._wall_clock())
                )
                if retry_after is not None:
                    return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
            needed = needed_scope(self._ws, method, args)
            if needed is not None and needed not in team.scopes:
                raise SlackError("missing_scope", needed=needed, provided=",".join(sorted(team.scopes)))
            body = spec.handler(self._ctx(args, team))
            return 200, {}, {"ok": True, **body}
        except SlackError as error:
            return 200, {}, {"ok": False, "error": error.error, **error.extra}

    def _ctx(self, args: dict[str, Any], team: Team) -> Ctx:
        return Ctx(args, team, self._ws, self._clock, self._wall_clock(), self.base_url)

    def handle_upload(self, file_id: str, data: bytes) -> Reply:
        with self._lock:
            status, text = accept_upload(self._ws, file_id, data)
            call = Call("upload_url", {"file_id": file_id, "bytes": len(data)}, {"ok": status == 200}, status)
            subscribers = self._append(call)
        self._notify(call, subscribers)
        return text_reply(status, text)

    def handle_download(self, path: str, token: str | None) -> Reply:
        """``url_private_download``: the file's bytes for a token of its team with ``files:read``
        (Slack's file servers answer anything else with a sign-in page, not the file)."""
        with self._lock:
            status, body, content_type = download(self._ws, path, token)
            call = Call("files-pri", {"path": path}, {"ok": status == 200}, status, token)
            subscribers = self._append(call)
        self._notify(call, subscribers)
        return Reply(status, body, content_type)

    def share_file(
        self, user_id: str, filename: str, content: bytes, channel_id: str | None = None
    ) -> dict[str, Any]:
        """A member shares a file into ``channel_id`` (default: their DM with the app); the file
        object as a ``file_share`` message event carries it."""
        with self._lock:
            user = self._known_user(user_id)
            channel = channel_id or self._ws.dm_channel(user, self._wall_clock()).id
            file_id = self._ws.new_id("F")
            upload = UploadedFile(file_id, user.team_id, filename, len(content), content=content)
            upload.completed, upload.channels, upload.title = True, [channel], filename
            upload.shared_by = user.id
            self._ws.files[file_id] = upload
            self._bump()
            return shared_file_object(upload, user.id, self.base_url, self._wall_clock())

    def handle_hook(self, hook_id: str, args: dict[str, Any]) -> Reply:
        with self._lock:
            if isinstance(args.get("payload"), str):  # form-encoded webhook body
                args = json.loads(args["payload"])
            hook = self._ws.response_urls.get(hook_id)
            if hook is None:
                status, text = 404, "no_service"
            else:
                team = self._ws.teams[hook.team_id]
                org = self._ws.teams.get(team.enterprise_id or "")
                if not team.bot_token and org is not None:  # reached only through its org's install
                    team = acting_team(self._ws, org, {"team_id": team.id})
                status, text = respond(self._ctx(decode_json_args(args), team), hook)
            call = Call(
                "response_url", {"hook_id": hook_id, **args}, {"ok": status == 200, "text": text}, status
            )
            subscribers = self._append(call)
        self._notify(call, subscribers)
        return text_reply(status, text)

    def _append(self, call: Call) -> list[Callable[[Call], None]]:
        """Record ``call`` (caller holds the lock, so state and record change together)."""
        self._calls.append(call)
        self._bump()
        return list(self._subscribers)

    @staticmethod
    def _notify(call: Call, subscribers: list[Callable[[Call], None]]) -> None:
        for callback in subscribers:
            try:
                callback(call)
            except Exception:  # a broken listener must not break the API for everyone else
                logger.exception("fake slack subscriber failed")
