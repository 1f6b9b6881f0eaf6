"""Prometheus metrics (docs/operations.md): what an operator watches, collected where it happens.

Each measurement hooks in at one place and stays out of the features' code:

* :func:`instrument_app` — each Slack request's time from Bolt's dispatch to the ack, per entry point
  (slash command, action id, view callback id, event type; bounded label values);
* :class:`MeteredWebClient` — every Slack Web API call by method and result (``ok``, Slack's error code,
  ``ratelimited`` for 429s, ``http_5xx``, ``connection_error``);
* :class:`MetricsWSGI` — HTTP responses by route and status class, and ``GET /metrics`` itself;
* :func:`count_deliveries`, :func:`run_timed` — the clock's outbox deliveries and job runs;
* :func:`instrument_pool` — database connections in use;
* :class:`OutboxCollector` — outbox depth and the age of the oldest due row, read at scrape time with one
  query, so the number is the database's, whichever process is scraped.

Under gunicorn several worker processes serve requests, each with its own counters; ``parley serve``
runs prometheus-client's multiprocess mode (:mod:`bot.metrics_dir`), and a scrape of any worker adds up
every worker's files.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Final, TypeVar
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, func, select

from bot import logjson
from bot.settings import Secret
from storage.db import Database
from storage.models.outbox import OutboxMessage

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Slack retries after 3 s; the buckets are dense below that so the SLO (ack < 3 s) reads straight off them.
ACK_BUCKETS: Final = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0, 10.0)
JOB_BUCKETS: Final = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0)
MAX_ENTRY_POINTS: Final = 200
"""Distinct entry-point labels one process keeps; more (only a bug or a hand-made payload could cause
it: Parley's own action ids are a fixed set) are counted as ``other``, so the series stay bounded."""

ACK_SECONDS: Final = Histogram(
    "parley_ack_seconds",
    "Seconds from a Slack request's arrival to Parley's ack, per entry point.",
    ["kind", "name"],
    buckets=ACK_BUCKETS,
)
HTTP_RESPONSES: Final = Counter(
    "parley_http_responses_total", "HTTP responses by route and status class.", ["route", "status"]
)
SLACK_CALLS: Final = Counter(
    "parley_slack_api_calls_total", "Slack Web API calls by method and result.", ["method", "result"]
)
DELIVERIES: Final = Counter(
    "parley_outbox_deliveries_total",
    "Outbox rows handled by the delivery loop, by outcome (sent, retrying, rate_limited, failed …).",
    ["outcome"],
)
JOB_RUNS: Final = Counter(
    "parley_job_runs_total",
    "Periodic job runs by result (ok, or failed: an item or the listing failed).",
    ["job", "result"],
)
JOB_ITEMS_FAILED: Final = Counter(
    "parley_job_items_failed_total", "Items a periodic job could not handle.", ["job"]
)
JOB_SECONDS: Final = Histogram(
    "parley_job_duration_seconds", "Seconds one periodic job run took.", ["job"], buckets=JOB_BUCKETS
)
JOB_LAST_SUCCESS: Final = Gauge(
    "parley_job_last_success_timestamp_seconds",
    "Unix time of the job's last run without failures.",
    ["job"],
    multiprocess_mode="max",
)
POOL_IN_USE: Final = Gauge(
    "parley_db_connections_in_use",
    "Database connections checked out of the pools (summed over live processes).",
    multiprocess_mode="livesum",
)
POOL_CAPACITY: Final = Gauge(
    "parley_db_pool_capacity",
    "Connections the pools may hold (pool_size + max_overflow, summed over live processes).",
    multiprocess_mode="livesum",
)

# ------------------------------------------------------------------------------------ entry points

_NAME = re.compile(r"/?[A-Za-z][A-Za-z0-9_.:-]{0,63}")
_seen: set[tuple[str, str]] = set()
_seen_lock = threading.Lock()


def entry_point(body: dict[str, Any]) -> tuple[str, str]:
    """``(kind, name)`` of a Slack request: what a person did, as few distinct values as Parley has."""
    if "command" in body:
        kind, name = "command", body.get("command")
    else:
        payload_type = str(body.get("type") or "unknown")
        if payload_type in ("block_actions", "block_suggestion"):
            actions = body.get("actions") or [{}]
            first = actions[0] if isinstance(actions, list) and actions else {}
            kind = "action" if payload_type == "block_actions" else "options"
            name = (first or {}).get("action_id") if isinstance(first, dict) else None
            if payload_type == "block_suggestion":
                name = body.get("action_id")
        elif payload_type in ("view_submission", "view_closed"):
            view = body.get("view")
            kind, name = payload_type, view.get("callback_id") if isinstance(view, dict) else None
        elif payload_type in ("shortcut", "message_action"):
            kind, name = "shortcut", body.get("callback_id")
        elif payload_type == "event_callback":
            event = body.get("event")
            kind, name = "event", event.get("type") if isinstance(event, dict) else None
        else:
            kind, name = "other", payload_type
    return kind, _bounded(kind, name)


def _bounded(kind: str, name: Any) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return "other"
    key = (kind, name)
    if key in _seen:
        return name
    with _seen_lock:
        if len(_seen) >= MAX_ENTRY_POINTS:
            return "other"
        _seen.add(key)
    return name


# ------------------------------------------------------------------------------------ request path

_request = threading.local()  # the entry point of the request this thread is serving, once Bolt knows it


def instrument_app(app: App) -> None:
    """Time every request Bolt dispatches (HTTP or Socket Mode) to its ack, per entry point.

    Bolt runs listeners only after every global middleware has called ``next()``, so a middleware
    cannot time them; ``dispatch`` — signature check, authorization, middleware, the listener up to its
    ack — is timed instead, and labelled with what :func:`label_request` noted. The request's fields for
    JSON logs end with it too (the listener's own thread keeps a copy).
    """
    dispatch = app.dispatch

    def timed_dispatch(req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        _request.entry = None
        with logjson.request_scope():
            try:
                return dispatch(req)
            finally:
                entry, _request.entry = getattr(_request, "entry", None), None
                if entry is not None:  # a request that passed the signature check
                    ACK_SECONDS.labels(*entry).observe(time.perf_counter() - started)

    app.dispatch = timed_dispatch  # type: ignore[method-assign]
    app.use(label_request)


def label_request(req: BoltRequest, context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Bolt global middleware: name the request's entry point (for the ack histogram and JSON logs)."""
    kind, name = entry_point(req.body if isinstance(req.body, dict) else {})
    _request.entry = (kind, name)
    given = req.headers.get("x-request-id") or []
    logjson.start_request(
        request_id=logjson.request_id(given[0] if given else None),
        workspace=context.team_id,
        entry_point=f"{kind}:{name}",
    )
    return next()


ROUTES: Final = {
    "/slack/events": "/slack/events",
    "/slack/install": "/slack/install",
    "/slack/oauth_redirect": "/slack/oauth_redirect",
    "/healthz": "/healthz",
}


def _status_class(status: str) -> str:
    return f"{status[:1]}xx" if status[:1] in "12345" and status[:1] else "unknown"


class MetricsWSGI:
    """Wraps the web app: serves ``GET /metrics`` and counts every other response by route and status."""

    def __init__(
        self, app: Callable[..., Iterable[bytes]], registry: CollectorRegistry, token: Secret | None = None
    ) -> None:
        self.app = app
        self.registry = registry
        self.token = token

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/metrics" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self.metrics(environ, start_response)
        route = ROUTES.get(environ.get("PATH_INFO") or "", "other")
        seen: list[str] = []

        def recording(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            seen.append(status)
            return start_response(status, headers, *exc_info)

        try:
            body = self.app(environ, recording)
        except BaseException:
            HTTP_RESPONSES.labels(route, "5xx").inc()
            raise
        HTTP_RESPONSES.labels(route, _status_class(seen[-1]) if seen else "unknown").inc()
        return body

    def metrics(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.token is not None and not _authorized(environ, self.token):
            start_response(
                "401 Unauthorized",
                [("Content-Type", "text/plain"), ("WWW-Authenticate", 'Bearer realm="metrics"')],
            )
            return [b"PARLEY_METRICS_TOKEN is set: send it as 'Authorization: Bearer <token>'\n"]
        payload = generate_latest(self.registry)
        start_response(
            "200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(payload)))]
        )
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [payload]


def _authorized(environ: dict[str, Any], token: Secret) -> bool:
    given = str(environ.get("HTTP_AUTHORIZATION") or "")
    return hmac.compare_digest(given.encode(), f"Bearer {token.reveal()}".encode())


# ------------------------------------------------------------------------------------ Slack calls

_ERROR_CODE = re.compile(r"[a-z][a-z0-9_]{0,47}")


def call_result(error: SlackApiError) -> str:
    """The ``result`` label of a failed call: ``ratelimited``, ``http_5xx`` or Slack's error code."""
    response = error.response
    status = int(getattr(response, "status_code", 0) or 0)
    code = response.get("error") if isinstance(getattr(response, "data", None), dict) else None
    if status == 429 or code == "ratelimited":
        return "ratelimited"
    if status >= 500:
        return "http_5xx"
    return code if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else "other_error"


def record_call(method: str, result: str) -> None:
    SLACK_CALLS.labels(method if _NAME.fullmatch(method) else "other", result).inc()


class MeteredWebClient(WebClient):
    """slack-sdk's ``WebClient``, counting each API call by method and result (after its retries)."""

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        try:
            response = super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            record_call(api_method, call_result(error))
            raise
        except Exception:
            record_call(api_method, "connection_error")
            raise
        record_call(api_method, "ok")
        return response


# ------------------------------------------------------------------------------------ clock process


def count_deliveries(report: Any) -> None:
    """Add a :class:`~bot.delivery.worker.DeliveryReport`'s numbers to the outcome counters."""
    for outcome in ("sent", "failed", "skipped", "retrying", "rate_limited", "deferred", "lost_claims"):
        value = int(getattr(report, outcome, 0) or 0)
        if value:
            DELIVERIES.labels(outcome).inc(value)


def run_timed(job_id: str, run: Callable[[], T]) -> T:
    """Run one periodic job, counting it and timing it; ``run`` returns a ``JobRun``."""
    started = time.perf_counter()
    try:
        result = run()
    except BaseException:
        JOB_RUNS.labels(job_id, "failed").inc()
        raise
    finally:
        JOB_SECONDS.labels(job_id).observe(time.perf_counter() - started)
    failed = int(getattr(result, "failed", 0) or 0)
    JOB_RUNS.labels(job_id, "failed" if failed else "ok").inc()
    if failed:
        JOB_ITEMS_FAILED.labels(job_id).inc(failed)
    else:
        JOB_LAST_SUCCESS.labels(job_id).set(time.time())
    return result


# ------------------------------------------------------------------------------------ database


def instrument_pool(engine: Engine) -> None:
    """Count this engine's checked-out connections, and add its capacity to the pools' total."""
    from sqlalchemy import event

    pool = engine.pool
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    if callable(size):
        POOL_CAPACITY.inc(int(size()) + max(0, int(overflow)))
    event.listen(engine, "checkout", lambda *_: POOL_IN_USE.inc())
    event.listen(engine, "checkin", lambda *_: POOL_IN_USE.dec())


class OutboxCollector(Collector):
    """Outbox backlog at scrape time, in one indexed query (``status, due_at``)."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        rows = GaugeMetricFamily(
            "parley_outbox_rows", "Outbox rows waiting or being sent, by status.", labels=["status"]
        )
        due = GaugeMetricFamily("parley_outbox_due_rows", "Pending outbox rows that are due now.")
        age = GaugeMetricFamily(
            "parley_outbox_oldest_due_age_seconds",
            "How long the oldest due pending row has waited (0: none).",
        )
        up = GaugeMetricFamily("parley_database_up", "1 if the scrape's outbox query succeeded, else 0.")
        now = self.clock()
        query = (
            select(
                OutboxMessage.status,
                func.count(),
                func.count().filter(OutboxMessage.due_at <= now),
                func.min(OutboxMessage.due_at),
            )
            .where(OutboxMessage.status.in_(("pending", "sending")))
            .group_by(OutboxMessage.status)
        )
        try:
            with self.db.read_core() as connection:
                found = {
                    status: (total, due_now, oldest)
                    for status, total, due_now, oldest in connection.execute(query)
                }
        except Exception as error:  # the scrape must still answer: database_up says what went wrong
            logger.warning("metrics: outbox query failed (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for status in ("pending", "sending"):
            rows.add_metric([status], found.get(status, (0, 0, None))[0])
        _, pending_due, oldest = found.get("pending", (0, 0, None))
        due.add_metric([], pending_due)
        waited = 0.0
        if oldest is not None and pending_due:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            waited = max(0.0, (now - oldest).total_seconds())
        age.add_metric([], waited)
        yield from (rows, due, age, up)


# ------------------------------------------------------------------------------------ exposition


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition_registry(*extra: Collector) -> CollectorRegistry:
    """What ``/metrics`` shows: every process's files in multiprocess mode, else this process's metrics,
    plus ``extra`` collectors (the outbox's)."""
    registry = CollectorRegistry(auto_describe=False)
    directory = multiprocess_dir()
    if directory:
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        registry.register(_Forward(REGISTRY))
    for collector in extra:
        registry.register(collector)
    return registry


def wrap_web_app(app: Callable[..., Iterable[bytes]], db: Database, token: Secret | None) -> MetricsWSGI:
    """The web process's front: ``/metrics`` plus HTTP counts around ``app`` (and its pool's use)."""
    instrument_pool(db.engine)
    return MetricsWSGI(app, exposition_registry(OutboxCollector(db)), token)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # scrapes every 15 s would flood the log
        pass


def _not_found(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found: the clock serves /metrics only\n"]


def serve_metrics(db: Database, host: str, port: int, token: Secret | None = None) -> WSGIServer:
    """Serve ``/metrics`` for the clock process on a daemon thread; ``shutdown()`` the result to stop."""
    instrument_pool(db.engine)
    app = MetricsWSGI(_not_found, exposition_registry(OutboxCollector(db)), token)
    server = make_server(host, port, app, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="parley-metrics", daemon=True).start()
    logger.info("metrics on http://%s:%d/metrics", host, server.server_port)
    return server
