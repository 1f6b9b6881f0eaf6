"""The WSGI application: Slack's request URL, OAuth routes, a health check (and /metrics, bot.metrics).

Served by gunicorn (threaded workers) from `parley serve`, which is also the Procfile's `web`, so the
benchmarks and production run the same stack.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.front_door import FrontDoor
from storage.db import Database

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ParleyWSGI:
    """Health check and Bolt behind the :class:`~bot.front_door.FrontDoor` (size, signature, shape)."""

    def __init__(self, app: App, db: Database, signing_secret: str | None = None) -> None:
        self.slack = SlackRequestHandler(app)
        self.db = db
        # Bolt keeps the secret it verifies with; the door checks with the same one, earlier.
        secret = signing_secret if signing_secret is not None else app._signing_secret
        self.door = FrontDoor(self._route, secret)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.door(environ, start_response)

    def _route(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self.healthz(start_response)
        return self.slack(environ, start_response)

    def healthz(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            self.db.ping()
        except Exception as error:  # any driver error means "not healthy"; the reason goes to the log
            logger.warning("health check: database unreachable (%s)", type(error).__name__)
            status, body = "503 Service Unavailable", {"status": "unavailable", "database": "unreachable"}
        else:
            status, body = "200 OK", {"status": "ok", "database": "ok"}
        payload = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]


def wsgi_from_env() -> WSGIApp:
    """A worker's app in `parley serve` (the Procfile's web), or `gunicorn 'bot.web:wsgi_from_env()'`."""
    from bot.metrics import wrap_web_app
    from bot.runtime import build_runtime

    runtime = build_runtime()
    db = runtime.services.db
    return wrap_web_app(ParleyWSGI(runtime.app, db), db, runtime.services.settings.metrics_token)
