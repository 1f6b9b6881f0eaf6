"""`/negotiate style`: the assessment modal, its validation, storing results and delivering the style card."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from bot.flows.style import NOT_A_CHOICE, SAVE_FAILED, UNANSWERED, AssessmentOrigin, question_block_id
from bot.testkit.blockkit import validate_message, validate_view
from coaching.assessment import QUESTIONS, score
from coaching.styles import Style
from storage.models import AssessmentResult, AuditEvent, IdempotencyKey, Member
from templates.ids.style import StyleCallback
from templates.limits import OPTION_TEXT, PRIVATE_METADATA
from tests.app.conftest import Parley, response_json

FIRST_BLOCK = question_block_id(QUESTIONS[0].id)


def answers_for(style: Style) -> dict[str, str]:
    """Every question answered with that style's own option: the assessment must give ``style``."""
    return {question_block_id(q.id): next(o.id for o in q.options if o.primary == style) for q in QUESTIONS}


def open_assessment(
    parley: Parley, user_id: str = "U0ALICE", channel_id: str | None = None
) -> dict[str, Any]:
    response = parley.command("style", user_id=user_id, channel_id=channel_id or f"D{user_id[1:]}")
    assert response.status == 200
    view = parley.open_view(user_id)
    assert view["callback_id"] == StyleCallback.ASSESSMENT
    return view


def count(parley: Parley, model: Any) -> int:
    with parley.services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def style_of(parley: Parley, user_id: str = "U0ALICE") -> str | None:
    with parley.services.db.session() as session:
        return session.scalar(select(Member.style).where(Member.slack_user_id == user_id))


def results(parley: Parley) -> list[AssessmentResult]:
    with parley.services.db.session() as session:
        return list(session.scalars(select(AssessmentResult).order_by(AssessmentResult.id)))


def card_texts(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


def assert_nothing_stored(parley: Parley) -> None:
    assert results(parley) == []
    assert style_of(parley) is None
    assert count(parley, IdempotencyKey) == 0
    assert count(parley, AuditEvent) == 0


# ------------------------------------------------------------------------------------------ the modal


def test_the_modal_asks_every_question_within_block_kit_limits(parley: Parley) -> None:
    open_assessment(parley)
    view = parley.slack.calls_to("views.open")[-1].args["view"]  # as Parley sent it
    assert validate_view(view) == []
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    assert [block["block_id"] for block in inputs] == [question_block_id(q.id) for q in QUESTIONS]
    for block, question in zip(inputs, QUESTIONS, strict=True):
        element = block["element"]
        assert element["type"] == "radio_buttons"
        # Every answer is shown whole: none of the engine's texts needed cutting.
        assert [(o["value"], o["text"]["text"]) for o in element["options"]] == [
            (o.id, o.text) for o in question.options
        ]
        assert all(len(o.text) <= OPTION_TEXT for o in question.options)
        assert question.prompt in block["label"]["text"]
    assert len(view["blocks"]) <= 100
    assert len(view["private_metadata"]) <= PRIVATE_METADATA


def test_a_retake_says_what_the_current_style_is(parley: Parley) -> None:
    open_assessment(parley)
    parley.submit(answers_for(Style.CLOSER))
    view = open_assessment(parley)
    assert "Your current style is 🦁 Closer" in json.dumps(view["blocks"], ensure_ascii=False)


def test_when_slack_refuses_to_open_the_modal_the_member_is_told(parley: Parley) -> None:
    parley.slack.fail_next("views.open", error="expired_trigger_id")
    parley.command("style")
    assert parley.slack.open_views("U0ALICE") == []
    (notice,) = parley.slack.ephemerals(user="U0ALICE")
    assert "/negotiate style" in notice["text"]


# ------------------------------------------------------------------------------------------ happy paths


@pytest.mark.parametrize("style", list(Style))
def test_each_style_end_to_end(parley: Parley, style: Style) -> None:
    open_assessment(parley)
    response = parley.submit(answers_for(style))

    assert response.status == 200
    assert response_json(response) == {}  # the modal closes
    (row,) = results(parley)
    assert row.primary_style == style.value
    assert row.confidence == "clear"
    assert row.answers == {q.id: answers_for(style)[question_block_id(q.id)] for q in QUESTIONS}
    assert style_of(parley) == style.value
    with parley.services.db.session() as session:
        (event,) = session.scalars(select(AuditEvent))
        assert (event.action, event.subject_id, event.detail["style"]) == (
            "style.assessed",
            row.id,
            style.value,
        )

    (card,) = parley.dms()
    assert style.label in card["text"]
    assert validate_message(card["blocks"], card["text"]) == []
    shown = card_texts(card)
    for heading in ("Strengths", "Blind spots", "What Parley will coach you on"):
        assert heading in shown
    assert "Last time" not in shown

    home = parley.slack.home("U0ALICE")
    assert home is not None
    assert f"Your style: {style.label}" in json.dumps(home["blocks"], ensure_ascii=False)


def test_scores_are_stored_as_the_engine_computes_them(parley: Parley) -> None:
    mixed = {question_block_id(q.id): q.options[i % 4].id for i, q in enumerate(QUESTIONS)}
    expected = score({q.id: q.options[i % 4].id for i, q in enumerate(QUESTIONS)})
    open_assessment(parley)
    parley.submit(mixed)
    (row,) = results(parley)
    assert row.primary_style == expected.primary.value
    assert row.scores == {s.value: points for s, points in expected.scores.items()}
    assert row.confidence == expected.confidence.value
    assert row.secondary_style == (expected.secondary.value if expected.secondary else "")


def test_a_retake_keeps_history_and_reports_the_previous_style(parley: Parley) -> None:
    open_assessment(parley)
    parley.submit(answers_for(Style.CLOSER))
    open_assessment(parley)
    parley.submit(answers_for(Style.DIPLOMAT))

    assert [row.primary_style for row in results(parley)] == ["closer", "diplomat"]
    assert style_of(parley) == "diplomat"
    first, second = parley.dms()
    assert "Last time" not in card_texts(first)
    assert "Last time you came out as 🦁 Closer" in card_texts(second)
    with parley.services.db.session() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.detail["previous"] for e in events] == [None, "closer"]


# ------------------------------------------------------------------------------------------ bad input


def test_unanswered_questions_get_field_errors_and_nothing_is_stored(parley: Parley) -> None:
    open_assessment(parley)
    answered = dict(list(answers_for(Style.STRATEGIST).items())[:5])
    response = parley.submit(answered)

    body = response_json(response)
    assert body["response_action"] == "errors"
    missing = [question_block_id(q.id) for q in QUESTIONS[5:]]
    assert body["errors"] == dict.fromkeys(missing, UNANSWERED)
    assert_nothing_stored(parley)
    assert parley.dms() == []


def test_an_empty_submission_flags_every_question(parley: Parley) -> None:
    open_assessment(parley)
    body = response_json(parley.submit({}))
    assert set(body["errors"]) == {question_block_id(q.id) for q in QUESTIONS}
    assert_nothing_stored(parley)


def test_a_forged_answer_is_refused_under_its_question(parley: Parley) -> None:
    open_assessment(parley)
    values: dict[str, Any] = answers_for(Style.CLOSER)
    other_question = QUESTIONS[1].options[0].id
    values[FIRST_BLOCK] = {"text": {"type": "plain_text", "text": "x"}, "value": other_question}
    values[question_block_id(QUESTIONS[2].id)] = {
        "text": {"type": "plain_text", "text": "x"},
        "value": "<!here>",
    }
    body = response_json(parley.submit(values))
    assert body["errors"] == {FIRST_BLOCK: NOT_A_CHOICE, question_block_id(QUESTIONS[2].id): NOT_A_CHOICE}
    assert_nothing_stored(parley)


answer_value = st.one_of(
    st.none(),
    st.sampled_from([o.id for q in QUESTIONS for o in q.options]),
    st.text(max_size=40),
    st.sampled_from(["<!channel>", "<@U0BOB>", "&lt;", "\x00", "course-cut.", ".", ""]),
)


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.lists(answer_value, min_size=len(QUESTIONS), max_size=len(QUESTIONS)))
def test_hostile_submissions_get_errors_or_a_result_never_a_failure(
    parley: Parley, values: list[Any]
) -> None:
    before = len(results(parley))
    open_assessment(parley)
    submitted = {
        question_block_id(q.id): None
        if v is None
        else {"text": {"type": "plain_text", "text": "x"}, "value": v}
        for q, v in zip(QUESTIONS, values, strict=True)
    }
    response = parley.submit(submitted)
    assert response.status == 200
    body = response_json(response)
    valid = all(v is not None and q.option(v) is not None for q, v in zip(QUESTIONS, values, strict=True))
    if valid:
        assert body == {}
        assert len(results(parley)) == before + 1
    else:
        assert body["response_action"] == "errors"
        assert set(body["errors"]) <= {question_block_id(q.id) for q in QUESTIONS}
        assert set(body["errors"].values()) <= {UNANSWERED, NOT_A_CHOICE}
        assert len(results(parley)) == before
    for message in parley.dms():
        assert validate_message(message["blocks"], message["text"]) == []
        assert "<!" not in json.dumps(message) and "<@U0BOB>" not in json.dumps(message)


# ------------------------------------------------------------------------------------------ robustness


def test_double_submission_stores_one_result_and_sends_one_card(parley: Parley) -> None:
    view = open_assessment(parley)
    first = parley.submit(answers_for(Style.GAME_CHANGER), view=view)
    second = parley.submit(answers_for(Style.GAME_CHANGER), view=view)
    assert first.status == second.status == 200
    assert response_json(second) == {}
    assert len(results(parley)) == 1
    assert count(parley, AuditEvent) == 1
    assert len(parley.dms()) == 1


def test_two_deliveries_of_one_submission_at_once_store_one_result(parley: Parley) -> None:
    view = open_assessment(parley)
    barrier = threading.Barrier(2)

    def submit() -> int:
        barrier.wait()
        return parley.submit(answers_for(Style.CLOSER), view=view).status

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(lambda _: submit(), range(2)))
    assert statuses == [200, 200]
    assert len(results(parley)) == 1
    assert count(parley, AuditEvent) == 1
    assert len(parley.dms()) == 1


@pytest.mark.parametrize("failure", ["channel_not_found", "500", "429"])
def test_a_dm_failure_after_the_commit_keeps_the_result_and_shows_the_card_ephemerally(
    parley: Parley, failure: str
) -> None:
    open_assessment(parley, channel_id="C0GENERAL")
    if failure == "channel_not_found":
        parley.slack.fail_next("chat.postMessage", error="channel_not_found")
    elif failure == "500":  # the client retries a 500 once; a second one is a failure
        parley.slack.fail_next("chat.postMessage", status=500, times=2)
    else:  # a long Retry-After is not waited for on a listener thread
        parley.slack.rate_limit("chat.postMessage", retry_after=30)
    response = parley.submit(answers_for(Style.STRATEGIST))

    assert response.status == 200 and response_json(response) == {}
    assert [row.primary_style for row in results(parley)] == ["strategist"]
    assert style_of(parley) == "strategist"
    assert parley.dms() == []
    (shown,) = parley.slack.ephemerals(user="U0ALICE")
    assert shown["channel"] == "C0GENERAL"
    assert "Your result is saved" in card_texts(shown)
    assert Style.STRATEGIST.label in shown["text"]
    assert validate_message(shown["blocks"], shown["text"]) == []
    home = parley.slack.home("U0ALICE")
    assert home is not None and Style.STRATEGIST.label in json.dumps(home, ensure_ascii=False)


@pytest.mark.parametrize("failure", ["500", "429"])
def test_a_transient_dm_failure_is_retried(parley: Parley, failure: str) -> None:
    open_assessment(parley)
    if failure == "500":
        parley.slack.fail_next("chat.postMessage", status=500)
    else:
        parley.slack.rate_limit("chat.postMessage", retry_after=0)  # …but is when the wait is short
    parley.submit(answers_for(Style.CLOSER))
    (card,) = parley.dms()
    assert Style.CLOSER.label in card["text"]
    assert parley.slack.ephemerals(user="U0ALICE") == []
    assert len(results(parley)) == 1


def test_a_database_failure_says_so_in_the_modal_and_writes_nothing(parley: Parley) -> None:
    open_assessment(parley)
    with parley.services.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE assessment_results"))
    response = parley.submit(answers_for(Style.DIPLOMAT))

    body = response_json(response)
    assert body == {"response_action": "errors", "errors": {FIRST_BLOCK: SAVE_FAILED}}
    assert style_of(parley) is None
    assert count(parley, IdempotencyKey) == 0
    assert count(parley, AuditEvent) == 0
    assert parley.dms() == []


def test_a_response_url_parley_did_not_get_from_slack_is_never_posted_to(parley: Parley) -> None:
    view = open_assessment(parley, channel_id="C0GENERAL")
    forged = {**view, "private_metadata": json.dumps({"response_url": "https://evil.example/hook"})}
    parley.slack.fail_next("chat.postMessage", error="channel_not_found")
    response = parley.submit(answers_for(Style.CLOSER), view=forged)
    assert response.status == 200 and response_json(response) == {}
    assert len(results(parley)) == 1  # kept, and shown on the Home tab
    assert parley.slack.ephemerals(user="U0ALICE") == []
    assert Style.CLOSER.label in json.dumps(parley.slack.home("U0ALICE"), ensure_ascii=False)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "x" * 5_000,
        "javascript:alert(1)",
        "https://hooks.slack.com/a&b",
        None,
        42,
        "https://h/" + "a" * 600,
    ],
)
def test_only_plausible_response_urls_are_kept_in_the_metadata(raw: object) -> None:
    assert AssessmentOrigin.of(raw) == AssessmentOrigin()
