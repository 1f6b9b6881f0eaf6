"""The trade flow's rules without Slack or a database: the row ↔ state-machine mapping, reading typed
terms (any text), and what the clock owes a waiting request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.flows.trades import TermsForm, read_terms
from bot.flows.trades_records import db_status, due_event, state_of
from coaching.money import Money
from coaching.playbook import load_default
from coaching.trades import (
    AcceptCounter,
    Approve,
    Counter,
    Escalate,
    Expire,
    IllegalTransition,
    Reject,
    Remind,
    TradeEvent,
    TradeState,
    TradeTerms,
    Withdraw,
    transition,
)
from storage.models import TradeProposal
from templates.ids.trades import TradeBlock

PLAYBOOK = load_default()
START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TERMS = TradeTerms("two sessions", Money(150_000, "USD"), "a 24-month term", Money(1_000_000, "USD"))

events = st.lists(
    st.sampled_from(
        [
            Approve(),
            Reject("not now"),
            Counter(TradeTerms("one session", Money(75_000, "USD"), "a 24-month term", None)),
            AcceptCounter(),
            Withdraw(),
            Expire(),
            Escalate(),
            Remind(),
        ]
    ),
    max_size=8,
)


def row_for(state: TradeState) -> TradeProposal:
    """A row as the flow would leave it after reaching ``state`` (not stored anywhere)."""
    terms = state.terms
    return TradeProposal(
        status=db_status(state),
        rounds=state.rounds,
        reminders=state.reminders,
        escalated_at=START if state.escalated else None,
        give_item=terms.give,
        give_cost_minor=terms.give_cost.amount_minor if terms.give_cost else None,
        get_item=terms.get,
        get_value_minor=terms.get_value.amount_minor if terms.get_value else None,
        currency="USD",
        value_currency=None,
        decision_reason=state.rejection_reason,
        turn_started_at=START,
        needed_by=None,
    )


@given(events)
def test_every_reachable_state_survives_the_row(sequence: list[TradeEvent]) -> None:
    state = TradeState.proposed(TERMS)
    for event in sequence:
        try:
            state = transition(state, event)
        except IllegalTransition:
            continue
        assert state_of(row_for(state)) == state


@settings(max_examples=200)
@given(
    st.text(max_size=600),
    st.text(max_size=80),
    st.text(max_size=600),
    st.text(max_size=80),
    st.text(max_size=2100),
)
def test_any_typed_terms_are_read_or_explained_per_field(
    get: str, get_value: str, give: str, give_cost: str, reason: str
) -> None:
    terms, errors = read_terms(
        TermsForm(get, get_value, give, give_cost, reason),
        default_currency="USD",
        style=None,
        playbook=PLAYBOOK,
    )
    assert (terms is None) == bool(errors)
    assert set(errors) <= {
        TradeBlock.GET,
        TradeBlock.GET_VALUE,
        TradeBlock.GIVE,
        TradeBlock.GIVE_COST,
        TradeBlock.REASON,
    }
    assert all(message.strip() for message in errors.values())
    if terms is not None:
        assert terms.give == give.strip() and terms.get == get.strip() and terms.get


def test_the_clock_reminds_escalates_and_expires_on_the_playbooks_hours() -> None:
    policy = PLAYBOOK.policy
    state = TradeState.proposed(TERMS)
    row = row_for(state)
    assert due_event(row, START + timedelta(hours=23), policy, "Europe/London") is None
    assert isinstance(due_event(row, START + timedelta(hours=24), policy, "Europe/London"), Remind)
    assert isinstance(due_event(row, START + timedelta(hours=72), policy, "Europe/London"), Escalate)
    assert isinstance(due_event(row, START + timedelta(hours=168), policy, "Europe/London"), Expire)
    row.needed_by = date(2026, 11, 24)
    tokyo_midnight = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Wednesday 00:00 in Tokyo
    assert isinstance(due_event(row, tokyo_midnight, policy, "Asia/Tokyo"), Expire)
    assert isinstance(due_event(row, tokyo_midnight, policy, "Europe/London"), Remind)
    done = row_for(transition(state, Approve()))
    assert due_event(done, START + timedelta(hours=500), policy, "Europe/London") is None
