"""A prep's plan and Home tab are an outbox job: owed in the unit of work that saves the prep, run
right after the ack by the process that saved it, or by any deliverer when that process died first,
and delivered once either way (README, "Limits")."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.delivery import jobs
from bot.delivery.gateway import SlackGateway
from bot.delivery.pacing import Pacer
from bot.delivery.worker import Deliverer
from bot.flows.prep import PLAN_JOB
from bot.listeners.views import prep_submit
from bot.services import utc_now
from coaching.dates import DateStyle, day_words
from storage.models import OutboxMessage, PrepPlan
from storage.queries import outbox
from tests.app.conftest import Parley, response_json
from tests.app.test_prep import (
    CUSTOMER,
    MEETING,
    full_plan,
    open_prep,
    plan_messages,
    prep,
    prep_values,
    rows,
)


def deliverer(parley: Parley, *, later: timedelta = timedelta(0)) -> Deliverer:
    """A delivery pass of another process (the clock's), ``later`` in wall time (leases run out)."""
    settings = parley.services.settings
    gateway = SlackGateway(settings, parley.services.db.engine, pacer=Pacer(), sleep=lambda _: None)
    return Deliverer(parley.services, gateway, wall_clock=lambda: utc_now() + later, sleep=lambda _: None)


def plan_rows(parley: Parley) -> list[OutboxMessage]:
    return [row for row in rows(parley, OutboxMessage) if row.kind == PLAN_JOB]


def submit(parley: Parley) -> None:
    view = open_prep(parley)
    response = parley.submit(prep_values(CUSTOMER), view=view)
    assert response.status == 200 and response_json(response) == {}, response.body


def assert_one_plan(parley: Parley) -> dict[str, Any]:
    [card] = plan_messages(parley)
    reply = full_plan(parley, card)  # exactly one reply in its thread
    [stored] = rows(parley, PrepPlan)
    assert (stored.slack_ts, stored.slack_thread_ts) == (card["ts"], reply["ts"])
    [row] = plan_rows(parley)
    assert (row.status, row.slack_channel, row.slack_ts) == (outbox.SENT, stored.slack_channel, card["ts"])
    return card


def test_the_plan_arrives_with_the_ack_and_its_job_is_marked_sent(parley: Parley) -> None:
    card = prep(parley)
    assert card == assert_one_plan(parley)
    assert parley.slack.home("U0ALICE") is not None  # the Home tab was published by the same job
    report = deliverer(parley).deliver_due()  # the clock finds nothing left to do
    assert report.sent == 0
    assert_one_plan(parley)


def test_a_web_process_that_dies_after_the_ack_loses_nothing(
    parley: Parley, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The post-ack run never happens (the process was killed): the row waits; the clock delivers it."""
    monkeypatch.setattr(prep_submit, "run_after_ack", lambda *args, **kwargs: None)
    submit(parley)
    assert plan_messages(parley) == [] and parley.slack.home("U0ALICE") is None
    [row] = plan_rows(parley)
    assert row.status == outbox.PENDING
    report = deliverer(parley).deliver_due()
    assert report.sent == 1
    assert_one_plan(parley)
    assert parley.slack.home("U0ALICE") is not None
    assert deliverer(parley, later=timedelta(hours=1)).deliver_due().sent == 0  # and only once
    assert_one_plan(parley)


def test_a_run_that_dies_after_posting_is_finished_by_the_clock_without_a_second_plan(
    parley: Parley, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after Slack took the card and its reply but before the row was marked sent: the lease runs
    out, the clock takes the row back, finds the card by its metadata and updates it in place."""

    def dies(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("killed")

    monkeypatch.setattr(jobs.outbox, "mark_sent", dies)
    submit(parley)
    [card] = plan_messages(parley)
    [row] = plan_rows(parley)
    assert row.status == outbox.SENDING  # held under the dead process's lease
    [stored] = rows(parley, PrepPlan)
    assert stored.slack_ts is None  # where it went was never recorded
    monkeypatch.undo()
    assert deliverer(parley).deliver_due().sent == 0  # the lease still holds
    report = deliverer(parley, later=jobs.LEASE + timedelta(seconds=1)).deliver_due()
    assert report.sent == 1
    assert assert_one_plan(parley)["ts"] == card["ts"]


def test_a_duplicate_submission_owes_one_plan(parley: Parley) -> None:
    view = open_prep(parley)
    first = parley.submit(prep_values(CUSTOMER), view=view)
    second = parley.submit(prep_values(CUSTOMER), view=view)  # Slack's retry: same view id and hash
    assert first.status == second.status == 200
    assert_one_plan(parley)
    with parley.services.db.session() as session:
        keys = session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == PLAN_JOB))
        assert len(list(keys)) == 1


@pytest.fixture
def on_job_thread(parley: Parley, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """``parley serve``'s way: the job runs on the process's job thread, held until the event is set."""
    object.__setattr__(parley.services, "jobs_in_background", True)  # as bot.runtime builds it
    release = threading.Event()
    real = jobs.run_now

    def held(*args: Any, **kwargs: Any) -> int:
        assert threading.current_thread().name == "parley-jobs"
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "run_now", held)
    yield release
    release.set()
    assert jobs.drain(10)


def test_in_serve_the_ack_does_not_wait_for_the_plan_job(
    parley: Parley, on_job_thread: threading.Event
) -> None:
    submit(parley)  # answered while the job thread is still held
    assert plan_messages(parley) == []
    [row] = plan_rows(parley)
    assert row.status == outbox.PENDING
    on_job_thread.set()
    assert jobs.drain(10)
    assert_one_plan(parley)
    assert parley.slack.home("U0ALICE") is not None


def test_a_job_the_clock_ran_while_it_queued_is_not_run_again(
    parley: Parley, on_job_thread: threading.Event
) -> None:
    submit(parley)
    assert deliverer(parley).deliver_due().sent == 1  # the clock got there first
    card = assert_one_plan(parley)
    on_job_thread.set()
    assert jobs.drain(10)
    assert assert_one_plan(parley) == card  # the queued run found its row taken and did nothing


FRENCH_MEETING = day_words(date.fromisoformat(MEETING), style=DateStyle.SHORT, language="fr-FR")


def french(parley: Parley) -> None:
    """Alice reads Slack in French: her dates are French wherever her plan is written."""
    parley.slack.add_user("U0ALICE", tz="Europe/Paris", locale="fr-FR")


def test_the_clock_writes_the_plan_in_its_owners_date_language(
    parley: Parley, monkeypatch: pytest.MonkeyPatch
) -> None:
    french(parley)
    monkeypatch.setattr(prep_submit, "run_after_ack", lambda *args, **kwargs: None)  # the web node died
    submit(parley)
    assert deliverer(parley).deliver_due().sent == 1  # the clock has no request, no reader of its own
    card = assert_one_plan(parley)
    assert FRENCH_MEETING in json.dumps(card, ensure_ascii=False)


def test_the_job_thread_writes_the_plan_in_its_owners_date_language(
    parley: Parley, on_job_thread: threading.Event
) -> None:
    french(parley)
    submit(parley)
    on_job_thread.set()
    assert jobs.drain(10)
    assert FRENCH_MEETING in json.dumps(assert_one_plan(parley), ensure_ascii=False)
