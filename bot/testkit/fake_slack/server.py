"""HTTP plumbing: read requests the way slack-sdk sends them, hand them over, write Slack's answer.

slack-sdk posts every Web API call; arguments come form-encoded, as a JSON body (chat.* and views.*),
multipart (file uploads) or in the query string. The token comes as ``Authorization: Bearer`` or as a
``token`` form/query field — never from a JSON body, which Slack ignores too.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import socket
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

logger = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
IDLE_TIMEOUT_SECONDS = 5  # a kept-alive connection with no request for this long is closed


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(body).encode(), JSON_TYPE, headers or {})


def text_reply(status: int, text: str) -> Reply:
    return Reply(status, text.encode(), TEXT_TYPE)


class Backend(Protocol):
    """What the server routes to (``FakeSlack``)."""

    def handle_api(self, method: str, args: dict[str, Any], token: str | None) -> Reply: ...

    def handle_upload(self, file_id: str, data: bytes) -> Reply: ...

    def handle_download(self, path: str, token: str | None) -> Reply: ...

    def handle_hook(self, hook_id: str, args: dict[str, Any]) -> Reply: ...


class BadRequest(Exception):
    """A body that cannot be parsed; Slack answers these with ``ok: false`` and HTTP 200."""


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    args: dict[str, Any] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(data, bytes):
            args[name] = data if part.get_filename() else data.decode("utf-8", "replace")
    return args


def parse_args(content_type: str, raw_type: str, body: bytes, query: str) -> tuple[dict[str, Any], bool]:
    """Arguments from query string and body; also says whether the body was JSON."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return args, False
    if content_type == "application/json":
        try:
            parsed = json.loads(body)
        except ValueError as error:
            raise BadRequest("invalid_json") from error
        if not isinstance(parsed, dict):
            raise BadRequest("invalid_json")
        return args | parsed, True
    if content_type == "multipart/form-data":
        return args | _multipart(raw_type, body), False
    try:
        return args | dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), False
    except UnicodeDecodeError as error:
        raise BadRequest("invalid_form_data") from error


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """``client_id`` and ``client_secret`` from HTTP Basic auth (how slack-sdk sends them to
    ``oauth.v2.access``)."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(authorization[6:].strip()).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


def bearer_token(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive, as Slack's servers do: HTTP/1.1 with Content-Length on every reply, no Nagle delay
    # between the header and body writes, and idle connections closed after a while.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT_SECONDS
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_POST(self) -> None:
        self._respond(self._route())

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read slack.calls instead
        logger.debug("fake slack: " + format, *args)

    def _route(self) -> Reply:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        backend = self.server.backend
        try:
            if url.path.startswith("/upload/v1/"):
                return backend.handle_upload(url.path.removeprefix("/upload/v1/"), body)
            if url.path.startswith("/files-pri/"):
                return backend.handle_download(url.path, bearer_token(self.headers.get("Authorization")))
            content_type = self.headers.get_content_type() if self.headers.get("Content-Type") else ""
            args, is_json = parse_args(content_type, self.headers.get("Content-Type", ""), body, url.query)
            if url.path.startswith("/hooks/"):
                return backend.handle_hook(url.path.removeprefix("/hooks/"), args)
            if not url.path.startswith("/api/"):
                return text_reply(404, "not found")
            credentials = basic_credentials(self.headers.get("Authorization"))
            if credentials is not None:
                args.setdefault("client_id", credentials[0])
                args.setdefault("client_secret", credentials[1])
            form_token = args.pop("token", None)
            token = bearer_token(self.headers.get("Authorization")) or (None if is_json else form_token)
            return backend.handle_api(url.path.removeprefix("/api/"), args, token)
        except BadRequest as error:
            return json_reply(200, {"ok": False, "error": str(error)})
        except Exception:  # a bug in the fake must surface as a failed call, not a hung client
            logger.exception("fake slack failed on %s", self.path)
            return json_reply(500, {"ok": False, "error": "fatal_error"})

    def _respond(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connects (1 s SYN retry) in benchmarks
    backend: Backend

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self.connections_accepted = 0

    def track(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._open.add(connection)
            self.connections_accepted += 1

    def untrack(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(connection)

    def close_connections(self) -> None:
        """Hang up on kept-alive clients, so no handler thread outlives the server."""
        with self._open_lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class HttpServer:
    """A ``ThreadingHTTPServer`` on a free port, served from a daemon thread."""

    def __init__(self, backend: Backend, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._server = _Server((host, port), _Handler)
        self._server.backend = backend
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._server.server_address[1]}"

    @property
    def connections_accepted(self) -> int:
        return self._server.connections_accepted

    def hang_up(self) -> None:
        self._server.close_connections()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join(timeout=5)
