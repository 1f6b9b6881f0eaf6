"""The playground's web server: the page (static files from package data) and its small JSON API.

stdlib only (``ThreadingHTTPServer``), loopback only. Every POST must be ``application/json`` and
every request must name this machine in ``Host``, so another web site open in the same browser can
neither drive the playground (a cross-site JSON POST needs a CORS preflight nobody answers) nor read
it through DNS rebinding.

| route | does |
|---|---|
| ``GET /`` and ``GET /static/<file>`` | the page, its script, styles and fonts — nothing from the network |
| ``GET /api/state?user=U…&since=V`` | the workspace as ``user`` sees it; waits up to 20 s for news |
| ``POST /api/command`` | ``{user, channel, text}``: a slash command typed in a channel |
| ``POST /api/action`` | ``{user, container, action_id, block_id, value, values}``: a click or a selection |
| ``POST /api/submit`` / ``/api/close`` | ``{user, view_id[, values]}``: a modal's submit or cancel |
| ``POST /api/tab`` | ``{user, tab}``: the Home or Messages tab was opened |
| ``POST /api/travel`` | ``{user, to}``: move the clock (``+1 day``, ``next Monday 09:00``…) and tick |
| ``GET /files/<id>`` | an uploaded file's bytes (digest charts) |
"""

from __future__ import annotations

import json
import logging
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs, urlsplit

from bot.playground.clock import TimeTravelError
from bot.playground.slack_side import InteractionError

if TYPE_CHECKING:
    from bot.playground.demo import Playground

logger = logging.getLogger(__name__)

MAX_BODY: Final = 256 * 1024
LONG_POLL_SECONDS: Final = 20.0
STATIC_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
SECURITY_HEADERS: Final = {
    # Everything the page needs is served from here: no CDN, no inline script, works offline.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def static_file(name: str) -> tuple[bytes, str] | None:
    """A file of ``bot/playground/static`` (package data) and its content type; None if absent."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in STATIC_TYPES:
        return None
    resource = resources.files("bot.playground").joinpath("static", name)
    if not resource.is_file():
        return None
    return resource.read_bytes(), STATIC_TYPES[suffix]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("playground: " + format, *args)

    # ------------------------------------------------------------------------------------------ routing

    def do_GET(self) -> None:
        self._guard(self._get)

    def do_POST(self) -> None:
        self._guard(self._post)

    def _guard(self, route: Any) -> None:
        try:
            self._check_host()
            route(urlsplit(self.path))
        except BadRequest as error:
            self._json({"error": str(error)}, error.status)
        except InteractionError as error:
            self._json({"error": str(error)}, 409)
        except TimeTravelError as error:
            self._json({"error": str(error)}, 422)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception:
            logger.exception("playground request failed: %s", self.path)
            self._json({"error": "the playground failed on that; see the terminal's log"}, 500)

    def _check_host(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise BadRequest("the playground answers on 127.0.0.1 / localhost only", 403)

    def _get(self, url: Any) -> None:
        playground = self.server.playground
        path = url.path
        if path in ("/", "/index.html"):
            return self._static("index.html")
        if path.startswith("/static/"):
            return self._static(path.removeprefix("/static/"))
        if path == "/api/state":
            query = parse_qs(url.query)
            user = (query.get("user") or [""])[0]
            since = (query.get("since") or [""])[0]
            wait = LONG_POLL_SECONDS if since else 0.0
            return self._json(playground.state(user, since=since or None, wait=wait))
        if path.startswith("/files/"):
            found = playground.file(path.removeprefix("/files/").split("/", 1)[0])
            if found is None:
                raise BadRequest("no such file", 404)
            content, content_type = found
            return self._send(200, content, content_type)
        if path == "/favicon.ico":
            return self._send(204, b"", "image/x-icon")
        raise BadRequest("not found", 404)

    def _post(self, url: Any) -> None:
        body = self._body()
        playground = self.server.playground
        user = _text(body, "user")
        if url.path == "/api/command":
            outcome = playground.side.command(user, _text(body, "channel"), _text(body, "text", limit=4000))
        elif url.path == "/api/action":
            outcome = playground.click(user, body)
        elif url.path == "/api/submit":
            outcome = playground.side.submit(user, _text(body, "view_id"), playground.values(body))
        elif url.path == "/api/close":
            outcome = playground.side.close(user, _text(body, "view_id"))
        elif url.path == "/api/tab":
            outcome = playground.side.open_tab(user, _text(body, "tab"))
        elif url.path == "/api/travel":
            return self._json(playground.travel(user, _text(body, "to", limit=100)))
        else:
            raise BadRequest("not found", 404)
        self._json(outcome.as_json())

    # ------------------------------------------------------------------------------------------ io

    def _body(self) -> dict[str, Any]:
        if self.headers.get_content_type() != "application/json":
            raise BadRequest("send JSON (Content-Type: application/json)", 415)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise BadRequest("request too large", 413)
        try:
            parsed = json.loads(self.rfile.read(length) or b"{}")
        except ValueError as error:
            raise BadRequest("malformed JSON") from error
        if not isinstance(parsed, dict):
            raise BadRequest("send a JSON object")
        return parsed

    def _static(self, name: str) -> None:
        found = static_file(name)
        if found is None:
            raise BadRequest("not found", 404)
        self._send(200, *found)

    def _json(self, body: Any, status: int = 200) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    def _send(self, status: int, content: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)


def _text(body: dict[str, Any], key: str, *, limit: int = 300) -> str:
    value = body.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise BadRequest(f"“{key}” must be a string of at most {limit} characters")
    return value


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    playground: Playground


class PlaygroundServer:
    """The page's server on ``host:port`` (port 0: a free one), served from a daemon thread."""

    def __init__(self, playground: Playground, host: str = "127.0.0.1", port: int = 3000) -> None:
        self._server = _Server((host, port), _Handler)
        self._server.playground = playground
        self._host = host
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="playground-web",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self._host in ("0.0.0.0", "") else self._host
        return f"http://{host}:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"
