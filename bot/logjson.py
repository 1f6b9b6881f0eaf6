"""JSON log lines (``LOG_FORMAT=json``): one object a line, with the request's id, workspace and entry point.

Log shippers (Loki, CloudWatch, Datadog, journald's JSON export) index fields without a parsing rule,
so "every error for team T0…" or "everything request 4f2c… did" is a query instead of a grep. The
request fields live in a :class:`~contextvars.ContextVar` set by the Bolt middleware in
:mod:`bot.metrics` on the request thread (and cleared when Bolt's dispatch returns); the
listener pool (:class:`bot.prompt_ack.AckWaitingExecutor`) runs each listener in a copy of that
context, so lines logged after the ack carry them too.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

_NOTHING: Mapping[str, str] = MappingProxyType({})
_REQUEST: ContextVar[Mapping[str, str]] = ContextVar("parley_request", default=_NOTHING)
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id(given: str | None) -> str:
    """The proxy's ``X-Request-ID`` when it looks like one (Heroku's router sends it), else a new one."""
    if given and _SAFE_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def bind(**fields: str | None) -> Token[Mapping[str, str]]:
    """Attach ``fields`` to every line logged in this context until :func:`reset`."""
    current = dict(_REQUEST.get())
    current.update({key: value for key, value in fields.items() if value})
    return _REQUEST.set(current)


def reset(token: Token[Mapping[str, str]]) -> None:
    _REQUEST.reset(token)


def start_request(**fields: str | None) -> None:
    """This thread now serves a new request: its fields replace whatever an earlier one left."""
    _REQUEST.set({key: value for key, value in fields.items() if value})


@contextmanager
def request_scope() -> Iterator[None]:
    """A request's fields last until the block ends (the WSGI layer wraps each request in one)."""
    token = _REQUEST.set(_NOTHING)
    try:
        yield
    finally:
        _REQUEST.reset(token)


def current() -> Mapping[str, str]:
    return _REQUEST.get()


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", request fields…, "exception"}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_REQUEST.get())
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


def use_json_lines() -> None:
    """Switch every handler on the root logger (set up by ``logging.basicConfig``) to JSON lines."""
    formatter = JsonFormatter()
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
