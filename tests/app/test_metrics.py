"""`GET /metrics` on the web app: ack latency per entry point, Slack calls by result, HTTP responses by
status class, the outbox backlog read at scrape time, pool use, the optional token — through the real
WSGI stack with signed requests against the strict fake Slack, on SQLite and PostgreSQL.

Counters are process-wide (as in production), so every assertion is on the change a test caused.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from bot import metrics
from bot.metrics import MAX_ENTRY_POINTS, OutboxCollector, entry_point, exposition_registry, wrap_web_app
from bot.settings import Secret
from bot.testkit import requests as slack_requests
from bot.web import ParleyWSGI
from storage.db import Database
from storage.queries import outbox
from storage.queries.workspaces import ensure_workspace
from tests.app.conftest import NOW, SIGNING_SECRET, Parley, wsgi_get

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(wsgi: Callable[..., Any], headers: dict[str, str] | None = None) -> Samples:
    status, body = wsgi_request(wsgi, "GET", "/metrics", headers=headers)
    assert status == "200 OK", body
    return parse(body)


def parse(text: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, /, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def wsgi_request(
    wsgi: Callable[..., Any], method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[str, str]:
    status: list[str] = []
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_LENGTH": str(len(body.encode())),
        "wsgi.input": io.BytesIO(body.encode()),
    }
    for name, item in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = item
    out = b"".join(wsgi(environ, lambda line, _headers, *_: status.append(line)))
    return status[0], out.decode()


def post_slack(wsgi: Callable[..., Any], request: slack_requests.SlackRequest) -> str:
    status, _ = wsgi_request(wsgi, "POST", "/slack/events", request.body, request.headers(SIGNING_SECRET))
    return status


@pytest.fixture
def web(parley: Parley) -> Callable[..., Any]:
    db = parley.services.db
    return wrap_web_app(ParleyWSGI(parley.app, db), db, None)


def command(parley: Parley, text: str) -> slack_requests.SlackRequest:
    return slack_requests.slash_command(
        user_id="U0ALICE",
        channel_id="D0ALICE",
        text=text,
        trigger_id=parley.slack.issue_trigger_id("U0ALICE"),
        response_url=parley.slack.issue_response_url("D0ALICE", "U0ALICE"),
    )


def test_ack_latency_http_status_and_slack_calls_are_counted(parley: Parley, web: Callable[..., Any]) -> None:
    before = scrape(web)
    assert post_slack(web, command(parley, "prep")) == "200 OK"  # opens the prep modal: views.open
    assert parley.slack.calls_to("views.open"), "the prep command should open a modal"
    parley.slack.fail_next("views.open", error="invalid_arguments")
    post_slack(web, command(parley, "prep"))
    parley.slack.rate_limit("views.open")
    post_slack(web, command(parley, "prep"))
    forged = command(parley, "help")
    wsgi_request(web, "POST", "/slack/events", forged.body, forged.headers("wrong-secret"))
    after = scrape(web)

    ack = {"kind": "command", "name": "/negotiate"}
    assert (
        value(after, "parley_ack_seconds_count", **ack) - value(before, "parley_ack_seconds_count", **ack)
        == 3
    )
    assert value(after, "parley_ack_seconds_bucket", **ack, le="+Inf") >= 3
    assert value(after, "parley_ack_seconds_sum", **ack) > value(before, "parley_ack_seconds_sum", **ack)

    def delta(name: str, /, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("parley_http_responses_total", route="/slack/events", status="2xx") == 3
    assert delta("parley_http_responses_total", route="/slack/events", status="4xx") == 1  # the forgery
    calls = "parley_slack_api_calls_total"
    assert delta(calls, method="views.open", result="ok") == 1
    assert delta(calls, method="views.open", result="invalid_arguments") == 1
    assert delta(calls, method="views.open", result="ratelimited") == 1
    # The scrape is not a Slack request and is not counted as one.
    assert delta("parley_http_responses_total", route="other", status="2xx") == 0


def test_every_kind_of_entry_point_has_its_own_label(parley: Parley, web: Callable[..., Any]) -> None:
    before = scrape(web)
    post_slack(web, command(parley, "prep"))
    view = parley.open_view()
    post_slack(web, slack_requests.view_submission(view, {}, user_id="U0ALICE"))
    post_slack(web, slack_requests.app_home_opened("U0ALICE", parley.slack.dm_channel("U0ALICE")))
    after = scrape(web)
    kinds = {
        dict(labels)["kind"]: dict(labels)["name"]
        for (name, labels), count in after.items()
        if name == "parley_ack_seconds_count" and count > before.get((name, labels), 0)
    }
    assert kinds["command"] == "/negotiate"
    assert kinds["view_submission"] == view["callback_id"]
    assert kinds["event"] == "app_home_opened"


def test_outbox_depth_and_oldest_due_age_come_from_one_query_at_scrape_time(db: Database) -> None:
    with db.session() as session:
        workspace_id = ensure_workspace(session, "T0METRICS").id
        for key, due in (("old", NOW - timedelta(minutes=7)), ("new", NOW - timedelta(seconds=5))):
            outbox.enqueue(
                session,
                workspace_id=workspace_id,
                kind="notice",
                target="U0ALICE",
                payload={"text": key},
                dedupe_key=key,
                due_at=due,
            )
        outbox.enqueue(
            session,
            workspace_id=workspace_id,
            kind="notice",
            target="U0ALICE",
            payload={"text": "later"},
            dedupe_key="later",
            due_at=NOW + timedelta(days=1),
        )
    samples = parse_collector(OutboxCollector(db, clock=lambda: NOW))
    assert samples[("parley_outbox_rows", (("status", "pending"),))] == 3
    assert samples[("parley_outbox_rows", (("status", "sending"),))] == 0
    assert samples[("parley_outbox_due_rows", ())] == 2
    assert samples[("parley_outbox_oldest_due_age_seconds", ())] == 7 * 60
    assert samples[("parley_database_up", ())] == 1

    with db.session() as session:  # claimed: no longer waiting, now being sent
        outbox.claim_due(session, now=NOW, wall_now=NOW, lease=timedelta(minutes=2), limit=10)
    samples = parse_collector(OutboxCollector(db, clock=lambda: NOW))
    assert samples[("parley_outbox_rows", (("status", "sending"),))] == 2
    assert samples[("parley_outbox_due_rows", ())] == 0
    assert samples[("parley_outbox_oldest_due_age_seconds", ())] == 0


def test_an_empty_outbox_reads_zero() -> None:
    # Any migrated database will do; the fixture-free path keeps this one on SQLite in memory.
    from storage import migrate

    db = Database.from_url("sqlite://")
    migrate.upgrade(db.engine)
    try:
        samples = parse_collector(OutboxCollector(db, clock=lambda: NOW))
    finally:
        db.dispose()
    assert samples[("parley_outbox_due_rows", ())] == 0
    assert samples[("parley_outbox_oldest_due_age_seconds", ())] == 0


def test_a_scrape_still_answers_when_the_database_is_down(parley: Parley) -> None:
    stopped = Database.from_url(
        "postgresql+psycopg://parley:parley@127.0.0.1:1/parley", connect_args={"connect_timeout": 2}
    )
    try:
        wsgi = wrap_web_app(ParleyWSGI(parley.app, stopped), stopped, None)
        samples = scrape(wsgi)
    finally:
        stopped.dispose()
    assert value(samples, "parley_database_up") == 0
    assert ("parley_outbox_due_rows", ()) not in samples


def parse_collector(collector: OutboxCollector) -> Samples:
    samples: Samples = {}
    for family in collector.collect():
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_pool_use_is_counted(parley: Parley, web: Callable[..., Any]) -> None:
    db = parley.services.db
    before = scrape(web)
    with db.session() as session:
        session.execute(text("SELECT 1"))  # a unit of work holds its connection from the first statement
        during = scrape(web)
    after = scrape(web)
    in_use = "parley_db_connections_in_use"
    assert value(during, in_use) - value(before, in_use) == 1
    assert value(after, in_use) == value(before, in_use)
    assert value(after, "parley_db_pool_capacity") > 0


def test_metrics_token_is_required_when_set(parley: Parley) -> None:
    db = parley.services.db
    wsgi = wrap_web_app(ParleyWSGI(parley.app, db), db, Secret("s3cret-scrape"))
    assert wsgi_request(wsgi, "GET", "/metrics")[0] == "401 Unauthorized"
    assert wsgi_request(wsgi, "GET", "/metrics", headers={"Authorization": "Bearer nope"})[0].startswith(
        "401"
    )
    samples = scrape(wsgi, {"Authorization": "Bearer s3cret-scrape"})
    assert any(name == "parley_http_responses_total" for name, _ in samples)
    assert wsgi_get(wsgi, "/healthz")[0] == "200 OK"  # the token guards /metrics only


def test_entry_point_labels_stay_bounded() -> None:
    metrics._seen.clear()
    try:
        names = {
            entry_point({"type": "block_actions", "actions": [{"action_id": f"a{n}"}]}) for n in range(300)
        }
        assert len(names) == MAX_ENTRY_POINTS + 1  # the first MAX, then "other"
        assert ("action", "other") in names
    finally:
        metrics._seen.clear()


ANY = st.one_of(st.none(), st.integers(), st.text(max_size=80), st.lists(st.text(max_size=20), max_size=2))
NAMED = st.one_of(
    ANY, st.fixed_dictionaries({}, optional={"action_id": ANY, "callback_id": ANY, "type": ANY})
)
TYPES = st.sampled_from(
    [
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "event_callback",
        "url_verification",
    ]
) | st.text(max_size=20)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "type": TYPES,
            "command": ANY,
            "actions": st.one_of(ANY, st.lists(NAMED, max_size=2)),
            "action_id": ANY,
            "view": NAMED,
            "event": NAMED,
            "callback_id": ANY,
        },
    )
)
def test_any_payload_gives_a_safe_label(body: dict[str, Any]) -> None:
    kind, name = entry_point(body)
    assert kind in {
        "command",
        "action",
        "options",
        "view_submission",
        "view_closed",
        "shortcut",
        "event",
        "other",
    }
    assert name == "other" or metrics._NAME.fullmatch(name)


def test_exposition_registry_sees_this_process_without_multiprocess_mode() -> None:
    metrics.record_call("chat.postMessage", "channel_not_found")
    text = exposition_registry().collect()
    names = {sample.name for family in text for sample in family.samples}
    assert "parley_slack_api_calls_total" in names
