"""The front door: size limit, signature before parsing, 400 for verified nonsense, bounded logging.

Everything goes through the real WSGI app (:class:`bot.web.ParleyWSGI`) around the real Bolt app, the
way gunicorn calls it.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt.request import BoltRequest
from sqlalchemy import func, select

from bot import front_door
from bot.front_door import FrontDoor, RejectionLog
from bot.testkit import requests as slack_requests
from bot.web import ParleyWSGI
from storage.models import Workspace
from tests.app.conftest import SIGNING_SECRET, Parley

FORM = slack_requests.FORM
JSON = slack_requests.JSON


class ExplodingStream:
    """A request body nobody may read: proves a 413 was decided from the headers alone."""

    def read(self, *_args: Any) -> bytes:
        raise AssertionError("the body was read")


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def post(
    wsgi: Any,
    body: bytes,
    *,
    content_type: str = FORM,
    headers: dict[str, str] | None = None,
    stream: Any = None,
    length: str | None = "auto",
    path: str = "/slack/events",
) -> tuple[int, bytes]:
    status: list[str] = []
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": content_type,
        "wsgi.input": stream if stream is not None else io.BytesIO(body),
    }
    if length == "auto":
        environ["CONTENT_LENGTH"] = str(len(body))
    elif length is not None:
        environ["CONTENT_LENGTH"] = length
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    chunks: Iterable[bytes] = wsgi(environ, lambda line, _headers: status.append(line))
    data = b"".join(chunks)
    return int(status[0].split()[0]), data


def signed(
    body: bytes | str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    return slack_requests.sign(secret, body, int(time.time()) if timestamp is None else timestamp)


def workspaces(parley: Parley) -> int:
    with parley.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(Workspace)) or 0


@pytest.fixture
def wsgi(parley: Parley) -> ParleyWSGI:
    return ParleyWSGI(parley.app, parley.services.db)


def help_command(parley: Parley) -> slack_requests.SlackRequest:
    return slack_requests.slash_command(
        user_id="U0ALICE",
        channel_id="D0ALICE",
        text="help",
        trigger_id=parley.slack.issue_trigger_id("U0ALICE"),
    )


def test_signed_command_passes_through_the_door(parley: Parley, wsgi: ParleyWSGI) -> None:
    request = help_command(parley)
    status, _ = post(wsgi, request.body.encode(), headers=signed(request.body))
    assert status == 200
    assert parley.slack.calls  # the help reached Slack


def test_oversized_body_is_refused_from_its_length_without_reading_it(
    parley: Parley, wsgi: ParleyWSGI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    status, _ = post(wsgi, b"", stream=ExplodingStream(), length=str(40 * 1024 * 1024))
    assert status == 413
    assert len(caplog.text) < 300


def test_body_without_a_length_is_read_only_up_to_the_limit(parley: Parley, wsgi: ParleyWSGI) -> None:
    stream = CountingStream(b"x" * (5 * front_door.MAX_BODY))
    status, _ = post(wsgi, b"", stream=stream, length=None)
    assert status == 413
    assert stream.bytes_read == front_door.MAX_BODY + 1


def test_body_without_a_length_under_the_limit_is_served(parley: Parley, wsgi: ParleyWSGI) -> None:
    request = help_command(parley)
    body = request.body.encode()
    status, _ = post(wsgi, body, stream=io.BytesIO(body), length=None, headers=signed(body))
    assert status == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "1700000000"},
        {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"},
        {"X-Slack-Request-Timestamp": "١٧٠٠٠٠٠٠٠٠", "X-Slack-Signature": "v0=abc"},  # Arabic-Indic digits
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64},
    ],
    ids=["unsigned", "no-signature", "word-timestamp", "non-ascii-digits", "wrong-signature"],
)
def test_unverifiable_requests_get_401_and_change_nothing(
    parley: Parley, wsgi: ParleyWSGI, headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    parley.slack.reset_calls()
    body = slack_requests.app_uninstalled().body.encode() + b"SECRET-BODY-MARKER"
    status, _ = post(wsgi, body, content_type=JSON, headers=headers)
    assert status == 401
    assert workspaces(parley) == 0 and parley.slack.calls == []
    assert "SECRET-BODY-MARKER" not in caplog.text
    assert "abc" not in caplog.text and "soon" not in caplog.text  # no header values either
    lines = [r for r in caplog.records if r.name == front_door.__name__]
    assert len(lines) == 1 and len(lines[0].getMessage()) < 200


def test_stale_and_tampered_requests_get_401(parley: Parley, wsgi: ParleyWSGI) -> None:
    request = help_command(parley)
    body = request.body.encode()
    stale = signed(body, timestamp=int(time.time()) - 5 * 60 - 5)
    assert post(wsgi, body, headers=stale)[0] == 401
    tampered = body.replace(b"U0ALICE", b"U0BOB0")
    assert post(wsgi, tampered, headers=signed(body))[0] == 401
    assert post(wsgi, body, headers=signed(body, secret="another-secret"))[0] == 401


def _form_payload(payload: Any) -> bytes:
    return urlencode({"payload": payload if isinstance(payload, str) else json.dumps(payload)}).encode()


def _base_action() -> dict[str, Any]:
    message = {
        "ts": "1700000000.000100",
        "blocks": [
            {
                "type": "actions",
                "block_id": "b",
                "elements": [{"type": "button", "action_id": "commitment_done", "value": "1", "text": {}}],
            }
        ],
    }
    request = slack_requests.block_actions(
        user_id="U0ALICE",
        trigger_id="1.2.abc",
        action_id="commitment_done",
        message=message,
        channel_id="D0ALICE",
    )
    return dict(request.payload)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


MALFORMED_SIGNED: list[tuple[str, bytes, str]] = [
    ("invalid-json", b'{"type": "event_callback", ', JSON),
    ("json-array", b"[1, 2, 3]", JSON),
    ("json-null", b"null", JSON),
    ("json-string", b'"hello"', JSON),
    ("json-without-type", b'{"event": {}}', JSON),
    (
        "deep-nesting",
        ('{"type":"event_callback","event":{"type":"x","a":' + _deep(100_000) + "}}").encode(),
        JSON,
    ),
    ("non-utf8", b'{"type": "\xff\xfe"}', JSON),
    ("event-string", b'{"type": "event_callback", "event": "app_home_opened"}', JSON),
    ("event-without-type", b'{"type": "event_callback", "event": {}}', JSON),
    ("payload-not-json", b"payload=%7Bnot-json", FORM),
    ("payload-array", _form_payload([1]), FORM),
    ("payload-null", _form_payload("null"), FORM),
    ("payload-deep", _form_payload('{"type":"block_actions","x":' + _deep(5000) + "}"), FORM),
    ("actions-empty", _form_payload({**_base_action(), "actions": []}), FORM),
    ("actions-string", _form_payload({**_base_action(), "actions": "go"}), FORM),
    ("user-string", _form_payload({**_base_action(), "user": "U0ALICE"}), FORM),
    (
        "view-without-type",
        _form_payload({"type": "view_submission", "user": {"id": "U0ALICE"}, "view": {}}),
        FORM,
    ),
    (
        "view-submission-without-view",
        _form_payload({"type": "view_submission", "user": {"id": "U0ALICE"}}),
        FORM,
    ),
    ("unknown-payload-type", _form_payload({"type": "rm -rf", "user": {"id": "U0ALICE"}}), FORM),
    ("form-without-command", b"text=hello", FORM),
    ("command-without-user", b"command=%2Fnegotiate&team_id=T0EXAMPLE", FORM),
    ("team-id-number", b'{"type": "event_callback", "team_id": 7, "event": {"type": "x"}}', JSON),
]


@pytest.mark.parametrize(
    ("body", "content_type"), [m[1:] for m in MALFORMED_SIGNED], ids=[m[0] for m in MALFORMED_SIGNED]
)
def test_verified_but_malformed_requests_get_400_without_a_traceback(
    parley: Parley, wsgi: ParleyWSGI, body: bytes, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    parley.slack.reset_calls()
    status, _ = post(wsgi, body, content_type=content_type, headers=signed(body))
    assert status == 400
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    assert parley.slack.calls == [] and workspaces(parley) == 0


def test_unsigned_malformed_requests_get_401_not_500(parley: Parley, wsgi: ParleyWSGI) -> None:
    for _, body, content_type in MALFORMED_SIGNED:
        assert post(wsgi, body, content_type=content_type)[0] == 401


def test_oauth_and_health_routes_need_no_signature(parley: Parley, wsgi: ParleyWSGI) -> None:
    from tests.app.conftest import wsgi_get

    assert wsgi_get(wsgi, "/healthz")[0].startswith("200")
    assert wsgi_get(wsgi, "/elsewhere")[0].startswith("404")


def test_a_flood_of_rejections_writes_a_bounded_log(parley: Parley, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    now = [0.0]
    door = FrontDoor(
        ParleyWSGI(parley.app, parley.services.db),
        SIGNING_SECRET,
        rejections=RejectionLog(burst=5, per_second=1.0, monotonic=lambda: now[0]),
    )
    for _ in range(1000):
        assert post(door, b"x" * 1000)[0] == 401
    lines = [r.getMessage() for r in caplog.records if r.name == front_door.__name__]
    assert len(lines) == 5
    now[0] += 1.0  # a second later the bucket lets one line through, carrying the count
    post(door, b"x")
    last = [r.getMessage() for r in caplog.records if r.name == front_door.__name__][-1]
    assert "995 more rejected" in last
    assert all(len(line) < 200 for line in lines)


def test_bolt_no_longer_logs_the_body_of_a_bad_signature(
    parley: Parley, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="slack_bolt.RequestVerification")  # as with LOG_LEVEL=DEBUG
    request = help_command(parley)
    headers = request.headers("wrong-secret")
    response = parley.app.dispatch(BoltRequest(body=request.body + "&x=BODY-MARKER", headers=headers))
    assert response.status == 401
    assert "Invalid request signature detected" in caplog.text
    assert "BODY-MARKER" not in caplog.text and headers["X-Slack-Signature"] not in caplog.text


# --------------------------------------------------------------------------------------------- fuzz

_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.floats(allow_nan=False))
_json = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
_KEYS = [
    "type",
    "event",
    "user",
    "team",
    "channel",
    "view",
    "actions",
    "enterprise",
    "authorizations",
    "team_id",
    "user_id",
    "message",
    "container",
    "state",
    "callback_id",
    "trigger_id",
    "response_url",
]
_TYPES = [
    "event_callback",
    "url_verification",
    "block_actions",
    "view_submission",
    "view_closed",
    "shortcut",
    "app_rate_limited",
    "block_suggestion",
    "message_action",
]


@st.composite
def slack_shaped(draw: st.DrawFn) -> dict[str, Any]:
    """A Slack-like object: a known type and known keys holding values of any JSON type."""
    payload: dict[str, Any] = {"type": draw(st.sampled_from(_TYPES))}
    for key in draw(st.lists(st.sampled_from(_KEYS), max_size=6, unique=True)):
        payload[key] = draw(_json)
    if draw(st.booleans()):
        payload["event"] = {"type": draw(st.sampled_from(["app_home_opened", "app_uninstalled", "x"]))}
        payload["event"].update(draw(st.dictionaries(st.sampled_from(_KEYS), _json, max_size=3)))
    return payload


@st.composite
def hostile_request(draw: st.DrawFn) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["bytes", "json", "form-payload", "form"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300)), draw(st.sampled_from([FORM, JSON, "text/plain", ""]))
    if kind == "json":
        value = draw(st.one_of(slack_shaped(), _json))
        return json.dumps(value).encode(), JSON
    if kind == "form-payload":
        value = draw(st.one_of(slack_shaped(), _json))
        return _form_payload(json.dumps(value)), FORM
    fields = draw(
        st.dictionaries(
            st.sampled_from(["command", "user_id", "team_id", "text", "ssl_check"]),
            st.text(max_size=12),
            max_size=5,
        )
    )
    return urlencode(fields).encode(), FORM


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=hostile_request(), sign=st.booleans())
def test_fuzz_no_5xx_and_bounded_log(
    parley: Parley, request: tuple[bytes, str], sign: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()
    body, content_type = request
    wsgi = ParleyWSGI(parley.app, parley.services.db)
    status, _ = post(wsgi, body, content_type=content_type, headers=signed(body) if sign else {})
    assert status < 500
    if not sign:
        assert status == 401
    assert not any(r.exc_info for r in caplog.records)
    assert len(caplog.text) < 2000


def _real_requests() -> list[tuple[dict[str, Any], str]]:
    """Real shapes (as ``bot.testkit.requests`` builds them): an event, a click and a form submission."""
    view = {"type": "modal", "callback_id": "prep_submit", "title": {"type": "plain_text", "text": "Prep"}}
    submission = slack_requests.view_submission({**view, "blocks": []}, {}, user_id="U0ALICE")
    return [
        (dict(slack_requests.app_home_opened("U0ALICE", "D0ALICE").payload), JSON),
        (_base_action(), FORM),
        (dict(submission.payload), FORM),
    ]


@st.composite
def mutated_real_request(draw: st.DrawFn) -> tuple[bytes, str]:
    """A real payload with one field (top level or one level down) dropped or given another JSON type."""
    payload, content_type = draw(st.sampled_from(_real_requests()))
    payload = json.loads(json.dumps(payload))
    holder: dict[str, Any] = payload
    nested = [k for k, v in payload.items() if isinstance(v, dict) and v]
    if nested and draw(st.booleans()):
        holder = payload[draw(st.sampled_from(sorted(nested)))]
    key = draw(st.sampled_from(sorted(holder)))
    if draw(st.booleans()):
        del holder[key]
    else:
        holder[key] = draw(_json)
    if content_type == JSON:
        return json.dumps(payload).encode(), JSON
    return _form_payload(json.dumps(payload)), FORM


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=mutated_real_request())
def test_fuzz_mutated_real_payloads_signed_never_5xx(
    parley: Parley, request: tuple[bytes, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()
    body, content_type = request
    status, _ = post(
        ParleyWSGI(parley.app, parley.services.db), body, content_type=content_type, headers=signed(body)
    )
    assert status < 500
    assert len(caplog.text) < 5000
