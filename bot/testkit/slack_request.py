"""The signed request itself and the ids and envelope pieces every payload kind shares."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode

DEFAULT_TEAM_ID: Final = "T0EXAMPLE"
DEFAULT_TEAM_DOMAIN: Final = "example"
DEFAULT_APP_ID: Final = "A0EXAMPLE"
DEFAULT_BOT_USER_ID: Final = "U0BOT"
DEFAULT_BOT_ID: Final = "B0BOT"
VERIFICATION_TOKEN: Final = "deprecated-verification-token"  # Slack still sends it; nobody should check it
FORM: Final = "application/x-www-form-urlencoded"
JSON: Final = "application/json"

_serial = itertools.count(1)


def sign(signing_secret: str, body: bytes | str, timestamp: int) -> dict[str, str]:
    """Slack's v0 signature headers: ``v0=hex(HMAC-SHA256(secret, "v0:{ts}:{raw body}"))``."""
    raw = body.encode() if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode() + b":" + raw
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class SlackRequest:
    """One request from Slack to the app: the exact body, its content type and the decoded payload."""

    body: str
    content_type: str
    payload: dict[str, Any]  # what the body encodes, for assertions (form fields or the JSON object)
    extra_headers: Mapping[str, str] = field(default_factory=dict)  # e.g. X-Slack-Retry-Num

    def headers(self, signing_secret: str, timestamp: int | None = None) -> dict[str, str]:
        """Every header Slack would send, signed now (or at ``timestamp``, to test stale requests)."""
        ts = int(time.time()) if timestamp is None else timestamp
        return {
            "Content-Type": self.content_type,
            **self.extra_headers,
            **sign(signing_secret, self.body, ts),
        }

    def __iter__(self) -> Iterator[str]:
        """Unpacks as ``body, content_type = request``."""
        return iter((self.body, self.content_type))


def _form(fields: Mapping[str, str]) -> SlackRequest:
    return SlackRequest(urlencode(fields), FORM, dict(fields))


def _interactive(payload: dict[str, Any]) -> SlackRequest:
    """Interactive payloads arrive form-encoded as a single ``payload`` field holding JSON."""
    return SlackRequest(urlencode({"payload": json.dumps(payload)}), FORM, payload)


def _trigger_id() -> str:
    n = next(_serial)
    return f"{1000 + n}.42.{hashlib.sha1(str(n).encode()).hexdigest()[:6]}"  # Slack's "1337.42.abcdef"


def _user(user_id: str, user_name: str | None, team_id: str) -> dict[str, Any]:
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _team(team_id: str, team_domain: str, enterprise_id: str | None) -> dict[str, Any]:
    team: dict[str, Any] = {"id": team_id, "domain": team_domain}
    if enterprise_id:
        team["enterprise_id"] = enterprise_id
    return team


def _enterprise(enterprise_id: str | None) -> dict[str, Any] | None:
    return {"id": enterprise_id, "name": enterprise_id} if enterprise_id else None


def _channel_name(channel_id: str) -> str:
    return {"D": "directmessage", "G": "privategroup"}.get(channel_id[:1], channel_id.lower())


def _now_ts() -> str:
    return f"{time.time():.6f}"
