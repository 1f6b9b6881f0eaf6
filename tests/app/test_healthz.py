"""`GET /healthz` through the real WSGI app: 200 with the database up, 503 when it is unreachable."""

from __future__ import annotations

import json

from bot.web import ParleyWSGI
from storage.db import Database
from tests.app.conftest import Parley, wsgi_get


def test_healthz_ok(parley: Parley) -> None:
    status, body = wsgi_get(ParleyWSGI(parley.app, parley.services.db), "/healthz")
    assert status == "200 OK"
    assert json.loads(body) == {"status": "ok", "database": "ok"}


def test_healthz_503_when_postgresql_is_not_running(parley: Parley) -> None:
    # Port 1 on loopback: nothing listens there, exactly what a stopped PostgreSQL looks like.
    stopped = Database.from_url(
        "postgresql+psycopg://parley:parley@127.0.0.1:1/parley", connect_args={"connect_timeout": 2}
    )
    try:
        status, body = wsgi_get(ParleyWSGI(parley.app, stopped), "/healthz")
    finally:
        stopped.dispose()
    assert status == "503 Service Unavailable"
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}
