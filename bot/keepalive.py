"""slack-sdk's WebClient over persistent HTTP connections, one per thread and host.

slack-sdk's sync client sends every call through ``urllib``, which opens a new connection (a TCP and
TLS handshake to slack.com) for each call and closes it after. A listener that opens a modal and then
posts a DM pays that twice, on a path where Slack's trigger ids expire in 3 seconds. This client keeps
the connection open between calls and reuses it from the same thread; everything else — arguments,
retry handlers, error types, response parsing — is slack-sdk's own, because only the innermost
method (request out, status/headers/body back) is replaced.

A reused connection is first checked for having been closed by the server (it is then readable, at
EOF) and dropped once it has been idle for :data:`IDLE_SECONDS`, so a request is not written into a
connection the server has already given up on. Errors surface as ``urllib`` would raise them
(``URLError``, ``HTTPError``), so slack-sdk's retry handlers and Parley's error handling see no
difference.
"""

from __future__ import annotations

import http.client
import io
import select
import ssl
import threading
import time
import urllib.error
from typing import Any
from urllib.parse import urlsplit
from urllib.request import Request

from bot.metrics import MeteredWebClient

IDLE_SECONDS = 15.0  # well under the idle timeouts of common load balancers (60 s) and servers
MAX_HOSTS_PER_THREAD = 4  # Slack's API, files upload host, a response_url host; the oldest goes first

Key = tuple[str, str, int]  # scheme, host:port, id of the SSL context


class _Idle(threading.local):
    """The connections this thread holds between calls, with when each was last used."""

    def __init__(self) -> None:
        self.connections: dict[Key, tuple[http.client.HTTPConnection, float]] = {}


_idle = _Idle()


def _still_open(connection: http.client.HTTPConnection) -> bool:
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable  # an idle connection has nothing to read unless the server closed it


def _take(key: Key, make: Any) -> http.client.HTTPConnection:
    held = _idle.connections.pop(key, None)
    if held is not None:
        connection, last_used = held
        if time.monotonic() - last_used < IDLE_SECONDS and _still_open(connection):
            return connection
        connection.close()
    fresh: http.client.HTTPConnection = make()
    return fresh


def _give_back(key: Key, connection: http.client.HTTPConnection) -> None:
    connections = _idle.connections
    while len(connections) >= MAX_HOSTS_PER_THREAD:
        oldest = min(connections, key=lambda k: connections[k][1])
        connections.pop(oldest)[0].close()
    connections[key] = (connection, time.monotonic())


def close_idle_connections() -> None:
    """Close the calling thread's idle connections (tests, and threads about to finish)."""
    while _idle.connections:
        _idle.connections.popitem()[1][0].close()


class PersistentWebClient(MeteredWebClient):
    """A ``WebClient`` whose calls reuse a keep-alive connection (see the module docstring); counted by
    :mod:`bot.metrics`."""

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        parts = urlsplit(url)
        if self.proxy is not None or parts.scheme not in ("http", "https"):
            return dict(super()._perform_urllib_http_request_internal(url, req))
        context = self.ssl
        key: Key = (parts.scheme, parts.netloc, id(context))

        def make() -> http.client.HTTPConnection:
            if parts.scheme == "https":
                return http.client.HTTPSConnection(
                    parts.netloc, timeout=self.timeout, context=context or ssl.create_default_context()
                )
            return http.client.HTTPConnection(parts.netloc, timeout=self.timeout)

        connection = _take(key, make)
        connection.timeout = self.timeout
        if connection.sock is not None:
            connection.sock.settimeout(self.timeout)
        selector = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                req.get_method(), selector or "/", body=req.data, headers=dict(req.header_items())
            )
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            if isinstance(error, urllib.error.URLError):
                raise
            raise urllib.error.URLError(error) from error  # as urlopen reports a failed connection
        if response.will_close:
            connection.close()
        else:
            _give_back(key, connection)
        headers = response.headers
        if response.status >= 400:  # urlopen raises these; slack-sdk reads status, headers and body off it
            raise urllib.error.HTTPError(url, response.status, response.reason, headers, io.BytesIO(body))
        if headers.get_content_type() == "application/gzip":  # admin.analytics.getFile
            return {"status": response.status, "headers": headers, "body": body}
        charset = headers.get_content_charset() or "utf-8"
        return {"status": response.status, "headers": headers, "body": body.decode(charset)}
