"""The front door: every request to Slack's URL is sized, verified and shape-checked before Bolt sees it.

Bolt parses a body before it verifies the signature, so malformed bytes from anyone used to reach its
JSON parser (500 and a traceback), and a bad signature was logged with the whole body at INFO (a disk
filler and a log-forging tool). This WSGI middleware runs first:

1. **Size.** A body over :data:`MAX_BODY` (1 MiB; Slack's payloads are a few KB) is answered 413 from
   ``Content-Length`` alone, without reading it; a body without a length (chunked) is read only up to
   the limit.
2. **Signature.** ``X-Slack-Signature`` and ``X-Slack-Request-Timestamp`` are checked on the raw bytes
   with slack-sdk's :class:`SignatureVerifier` (five-minute window). Anything unverifiable is answered
   401 and logged as one short line naming the reason only (never the body or a header's value), at
   most :data:`LOG_BURST` lines at once and :data:`LOG_PER_SECOND` a second after that; what the bucket
   swallows is counted and reported as "N more rejected" in the next line it lets through.
3. **Shape.** A verified body must still be what Slack sends: a JSON object, a form whose ``payload``
   is a JSON object, nesting at most :data:`MAX_DEPTH` deep, the fields Bolt and the listeners index of
   the right type (``event`` an object with a ``type``, ``actions`` a non-empty list of objects, a view
   with a ``type`` …). Anything else is answered 400 — never 500, never a traceback.

``/healthz`` and the OAuth pages (``GET /slack/install``, ``GET /slack/oauth_redirect``) are not
signed by Slack and pass through untouched; every other POST must be signed.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final
from urllib.parse import parse_qs

from slack_sdk.signature import Clock, SignatureVerifier

logger = logging.getLogger(__name__)

MAX_BODY: Final = 1024 * 1024
MAX_DEPTH: Final = 64
"""Slack's deepest payloads (a modal's state inside a view inside a block_actions) nest about a dozen
levels; Python's JSON parser overflows the stack near a thousand."""
SIGNATURE_WINDOW_SECONDS: Final = 5 * 60
LOG_BURST: Final = 20
LOG_PER_SECOND: Final = 1.0
UNSIGNED_PATHS: Final = frozenset({"/healthz", "/slack/install", "/slack/oauth_redirect"})

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Rejection(Exception):
    """Why a request is refused: an HTTP status and a short, fixed reason (never request data)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


STATUS_LINES: Final = {
    400: "400 Bad Request",
    401: "401 Unauthorized",
    411: "411 Length Required",
    413: "413 Content Too Large",
}


class RejectionLog:
    """One line per rejection, through a token bucket, so a flood writes a bounded number of bytes."""

    def __init__(
        self,
        log: logging.Logger = logger,
        *,
        burst: int = LOG_BURST,
        per_second: float = LOG_PER_SECOND,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = log
        self._burst = float(burst)
        self._rate = per_second
        self._monotonic = monotonic
        self._tokens = float(burst)
        self._last = monotonic()
        self._suppressed = 0
        self._lock = threading.Lock()

    def rejected(self, status: int, reason: str, method: str, path: str) -> None:
        with self._lock:
            now = self._monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
            self._last = now
            if self._tokens < 1:
                self._suppressed += 1
                return
            self._tokens -= 1
            suppressed, self._suppressed = self._suppressed, 0
        more = f" ({suppressed} more rejected since the last line)" if suppressed else ""
        self._log.warning(
            "front door: %s %s answered %d: %s%s", _clean(method, 8), _clean(path, 40), status, reason, more
        )

    @property
    def suppressed(self) -> int:
        return self._suppressed


def _clean(text: str, limit: int) -> str:
    """Printable ASCII only, capped: a request line cannot forge or flood a log line."""
    kept = "".join(ch if " " < ch < "\x7f" else "?" for ch in text[:limit])
    return kept + ("…" if len(text) > limit else "")


class FrontDoor:
    """WSGI middleware in front of Bolt: size limit, signature first, then shape."""

    def __init__(
        self,
        inner: WSGIApp,
        signing_secret: str,
        *,
        max_body: int = MAX_BODY,
        clock: Callable[[], float] = time.time,
        rejections: RejectionLog | None = None,
    ) -> None:
        self.inner = inner
        self.max_body = max_body
        self._verifier = SignatureVerifier(signing_secret, clock=_Clock(clock))
        self._secret = signing_secret
        self.rejections = rejections or RejectionLog()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD") or "")
        path = str(environ.get("PATH_INFO") or "")
        if method in ("GET", "HEAD") and path in UNSIGNED_PATHS:
            return self.inner(environ, start_response)
        if method != "POST":
            return _answer(start_response, 404, "not found")
        try:
            body = self._read(environ)
            self._verify(environ, body)
        except Rejection as rejection:
            self.rejections.rejected(rejection.status, rejection.reason, method, path)
            return _answer(start_response, rejection.status, "invalid request")
        try:
            check_shape(body, str(environ.get("CONTENT_TYPE") or ""))
        except Rejection as rejection:
            self.rejections.rejected(rejection.status, rejection.reason, method, path)
            return _answer(start_response, rejection.status, "bad request")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            return self.inner(environ, start_response)
        except Exception as error:  # a verified body Bolt still could not parse: the sender's fault
            self.rejections.rejected(400, f"unparseable ({type(error).__name__})", method, path)
            return _answer(start_response, 400, "bad request")

    # --------------------------------------------------------------------------------------- steps

    def _read(self, environ: Mapping[str, Any]) -> bytes:
        stream = environ.get("wsgi.input")
        raw_length = str(environ.get("CONTENT_LENGTH") or "").strip()
        if raw_length:
            if not raw_length.isdigit() or not raw_length.isascii():
                raise Rejection(400, "malformed Content-Length")
            length = int(raw_length)
            if length > self.max_body:
                raise Rejection(413, "body over the size limit")
            return stream.read(length) if stream is not None and length else b""
        if stream is None:
            return b""
        # No length (chunked, or a server that leaves it out): read one byte past the limit, no more.
        body = bytearray()
        while len(body) <= self.max_body:
            chunk = stream.read(self.max_body + 1 - len(body))
            if not chunk:
                break
            body.extend(chunk)
        if len(body) > self.max_body:
            raise Rejection(413, "body over the size limit")
        return bytes(body)

    def _verify(self, environ: Mapping[str, Any], body: bytes) -> None:
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        if not timestamp or not signature:
            raise Rejection(401, "unsigned")
        if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
            raise Rejection(401, "malformed timestamp")
        if not signature.isascii() or len(signature) > 100:
            raise Rejection(401, "bad signature")
        if abs(self._verifier.clock.now() - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
            raise Rejection(401, "stale timestamp")
        try:
            valid = self._verifier.is_valid(body, timestamp, signature)
        except UnicodeDecodeError:
            # slack-sdk decodes the body as UTF-8 before hashing; Slack never sends anything else. The
            # same HMAC over the raw bytes tells a signed-but-malformed body (400) from a forgery (401).
            if _raw_signature_matches(self._secret, timestamp, body, signature):
                raise Rejection(400, "body is not UTF-8") from None
            valid = False
        if not valid:
            raise Rejection(401, "bad signature")


class _Clock(Clock):
    """slack-sdk's verifier asks a clock object for ``now()``; tests pass a function."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


def _raw_signature_matches(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    import hashlib
    import hmac

    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}", signature)


def _answer(start_response: Callable[..., Any], status: int, text: str) -> Iterable[bytes]:
    """A short JSON answer. (No ``Connection: close``: it is hop-by-hop, which WSGI apps may not set;
    the server itself discards or drops whatever of an oversized body the app left unread.)"""
    payload = json.dumps({"error": text}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    start_response(STATUS_LINES.get(status, f"{status} Error"), headers)
    return [payload]


# ------------------------------------------------------------------------------------------- shape

OBJECT_OR_NULL: Final = (
    "enterprise",
    "team",
    "user",
    "channel",
    "container",
    "message",
    "view",
    "state",
    "item",
    "previous_message",
    "assistant_thread",
    "function_data",
    "event",
)
STRING_OR_NULL: Final = (
    "type",
    "team_id",
    "user_id",
    "channel_id",
    "enterprise_id",
    "api_app_id",
    "trigger_id",
    "response_url",
    "callback_id",
    "command",
    "text",
    "token",
    "thread_ts",
    "function_execution_id",
    "bot_access_token",
)
INTERACTIVE_TYPES: Final = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "dialog_suggestion",
        "dialog_cancellation",
        "workflow_step_edit",
    }
)


def check_shape(body: bytes, content_type: str) -> None:
    """Raise :class:`Rejection` (400) unless ``body`` is shaped the way Slack shapes its requests."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejection(400, "body is not UTF-8") from None
    if content_type.split(";", 1)[0].strip().lower() == "application/json":
        payload = _json_object(text, "body")
        if not isinstance(payload.get("type"), str):
            raise Rejection(400, "JSON body without a type")
        _check_envelope(payload)
        return
    try:
        form = parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=1000)
    except ValueError:
        raise Rejection(400, "malformed form") from None
    if "payload" in form:
        payload = _json_object(form["payload"][0], "payload")
        kind = payload.get("type")
        if not isinstance(kind, str) or kind not in INTERACTIVE_TYPES:
            raise Rejection(400, "payload of an unknown type")
        _check_envelope(payload)
        _check_interactive(payload)
        return
    if "ssl_check" in form:
        return
    command = form.get("command", [""])[0]
    if not command.startswith("/"):
        raise Rejection(400, "form without a command or payload")
    for name in ("user_id", "team_id"):
        if not form.get(name, [""])[0]:
            raise Rejection(400, f"slash command without {name}")


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise Rejection(400, f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise Rejection(400, f"{what} is not a JSON object")
    if _too_deep(value):
        raise Rejection(400, f"{what} nests too deeply")
    return value


def _too_deep(value: Any) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _check_envelope(payload: Mapping[str, Any]) -> None:
    _fields(payload, "payload")
    authorizations = payload.get("authorizations")
    if authorizations is not None:
        if not isinstance(authorizations, list) or not all(isinstance(a, dict) for a in authorizations):
            raise Rejection(400, "authorizations is not a list of objects")
        for authorization in authorizations:
            _fields(authorization, "authorization")
    if payload.get("type") == "event_callback":
        event = payload.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise Rejection(400, "event_callback without an event object and type")
        _fields(event, "event")
        for name in ("message", "previous_message", "item"):
            if isinstance(event.get(name), dict):
                _fields(event[name], f"event.{name}")
    if payload.get("type") == "url_verification" and not isinstance(payload.get("challenge"), str):
        raise Rejection(400, "url_verification without a challenge")


def _fields(payload: Mapping[str, Any], where: str) -> None:
    for name in OBJECT_OR_NULL:
        if payload.get(name) is not None and not isinstance(payload[name], dict):
            if name in ("user", "channel", "item") and isinstance(payload[name], str) and where != "payload":
                continue  # in events, ``user`` and ``channel`` are plain ids
            raise Rejection(400, f"{where}.{name} has the wrong type")
    for name in STRING_OR_NULL:
        if payload.get(name) is not None and not isinstance(payload[name], str):
            raise Rejection(400, f"{where}.{name} is not a string")
    for name in ("user", "team", "channel", "enterprise"):
        inner = payload.get(name)
        if isinstance(inner, dict) and inner.get("id") is not None and not isinstance(inner["id"], str):
            raise Rejection(400, f"{where}.{name}.id is not a string")


def _check_interactive(payload: Mapping[str, Any]) -> None:
    kind = payload["type"]
    user = payload.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        raise Rejection(400, f"{kind} without a user id")
    view = payload.get("view")
    if view is not None:
        if not isinstance(view.get("type"), str):
            raise Rejection(400, "view without a type")
        for name in ("id", "callback_id", "private_metadata", "hash", "root_view_id", "team_id"):
            if view.get(name) is not None and not isinstance(view[name], str):
                raise Rejection(400, f"view.{name} is not a string")
        state = view.get("state")
        if state is not None and (
            not isinstance(state, dict) or not isinstance(state.get("values", {}), dict)
        ):
            raise Rejection(400, "view.state is not an object of values")
        if isinstance(state, dict):
            for block in state.get("values", {}).values():
                if not isinstance(block, dict) or not all(isinstance(v, dict) for v in block.values()):
                    raise Rejection(400, "view.state.values is not an object of objects")
    if kind in ("view_submission", "view_closed") and view is None:
        raise Rejection(400, f"{kind} without a view")
    if kind in ("block_actions", "interactive_message"):
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions or not all(isinstance(a, dict) for a in actions):
            raise Rejection(400, f"{kind} without actions")
        for action in actions:
            for name in ("action_id", "block_id", "type", "value", "action_ts"):
                if action.get(name) is not None and not isinstance(action[name], str):
                    raise Rejection(400, f"action.{name} is not a string")
        if kind == "block_actions" and not all(isinstance(a.get("action_id"), str) for a in actions):
            raise Rejection(400, "block_actions action without an action_id")
    if kind in ("shortcut", "message_action") and not isinstance(payload.get("callback_id"), str):
        raise Rejection(400, f"{kind} without a callback_id")


def silence_bolt_body_logging() -> None:
    """Bolt logs a bad signature's whole body at INFO; keep the fact, drop the body and header values."""
    bolt = logging.getLogger("slack_bolt.RequestVerification")
    if not any(isinstance(f, _WithoutRequestData) for f in bolt.filters):
        bolt.addFilter(_WithoutRequestData())


class _WithoutRequestData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature detected (request data withheld)", ()
        return True
