from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from coaching.money import Money
from coaching.phrasing import format_ratio, plural, quoted, trade_sentence
from coaching.playbook import Playbook, parse_playbook
from coaching.trades import (
    FINAL_STATUSES,
    AcceptCounter,
    Approve,
    CheckKind,
    Counter,
    Escalate,
    Expire,
    IllegalTransition,
    Party,
    Reject,
    Remind,
    Severity,
    TradeCheck,
    TradeEvent,
    TradeProposal,
    TradeState,
    TradeStatus,
    TradeTerms,
    Withdraw,
    check_trade,
    event_name,
    next_timed_event,
    transition,
    worst_severity,
)


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


def usd(major: int | str) -> Money:
    return Money.of(major, "USD")


TERMS = TradeTerms("Half a day off the course", usd(3000), "Seat at quarterly planning", usd(5000))
COUNTER_TERMS = TradeTerms(
    "Half a day off the course", usd(3000), "Seat at planning and a sponsor", usd(6000)
)
LIMITS = ("Cutting a full day",)


def checks(terms: TradeTerms, reason: str = "Exec asked", **kwargs: object) -> list[tuple[str, str, str]]:
    result = check_trade(TradeProposal(terms, reason, kwargs.pop("needed_by", None)), limits=LIMITS, **kwargs)  # type: ignore[arg-type]
    return [(c.kind.value, c.severity.value, c.message) for c in result]


class TestChecks:
    def test_a_balanced_trade(self, playbook: Playbook) -> None:
        assert checks(TERMS, playbook=playbook) == [
            (
                "value_balance",
                "info",
                "We give 3,000 USD and get 5,000 USD (1.7×), at or above the playbook's 1× balance.",
            )
        ]

    def test_a_giveaway_is_blocked(self, playbook: Playbook) -> None:
        giveaway = TradeTerms("Extra coaching session", usd(300), "  ", None)
        assert checks(giveaway, reason="", playbook=playbook) == [
            (
                "giveaway",
                "block",
                "Nothing is asked in return: a giveaway invites the next request. Add what they give.",
            ),
            ("reason", "info", "No reason given for the trade."),
        ]

    def test_out_of_bounds_and_over_the_maximum(self, playbook: Playbook) -> None:
        terms = TradeTerms("Cutting a full day", usd(6000), "Seat", usd(5000))
        assert checks(terms, playbook=playbook) == [
            (
                "out_of_bounds",
                "block",
                "“Cutting a full day” matches the limit “Cutting "
                "a full day” set in the prep: it is out of bounds.",
            ),
            (
                "value_balance",
                "warn",
                "We give 6,000 USD and get 5,000 USD (0.8×), below the playbook's 1× balance.",
            ),
            (
                "over_max",
                "warn",
                "Costs 6,000 USD, above the playbook's 5,000 USD maximum for one concession: "
                "counter with less, or approve it knowingly.",
            ),
        ]

    def test_the_playbook_ratio_is_used(self) -> None:
        strict = parse_playbook("[policy]\nbalance_attention_ratio = 2", "strict.toml")
        assert checks(TERMS, playbook=strict)[0] == (
            "value_balance",
            "warn",
            "We give 3,000 USD and get 5,000 USD (1.7×), below the playbook's 2× balance.",
        )

    def test_unpriced_and_mixed_currencies(self, playbook: Playbook) -> None:
        assert checks(TradeTerms("A", None, "B", None), playbook=playbook) == [
            ("unpriced", "warn", "What we give has no cost: add one so the balance can be checked."),
            ("unpriced", "warn", "What we get has no value: add one so the balance can be checked."),
        ]
        mixed = TradeTerms("A", Money.of(10, "EUR"), "B", usd(20))
        assert checks(mixed, playbook=playbook) == [
            (
                "currency",
                "warn",
                "The cost is in EUR and the value in USD; Parley "
                "does not convert, so judge the balance yourself.",
            ),
            (
                "over_max",
                "info",
                "The playbook's maximum for one concession is 5,000 USD; this cost is in EUR.",
            ),
        ]

    def test_free_and_late(self, playbook: Playbook) -> None:
        free = TradeTerms("Earlier start", usd(0), "Seat", usd(100))
        assert checks(free, playbook=playbook, needed_by=date(2025, 3, 1), today=date(2025, 3, 3)) == [
            ("needed_by", "warn", "Needed by 2025-03-01, which has already passed."),
            ("value_balance", "info", "Costs us nothing; we get 100 USD."),
        ]
        assert checks(free, playbook=playbook, needed_by=date(2025, 3, 3), today=date(2025, 3, 3)) == [
            ("value_balance", "info", "Costs us nothing; we get 100 USD."),
        ]

    def test_worst_severity(self) -> None:
        assert worst_severity([]) is None
        info = TradeCheck(CheckKind.REASON, Severity.INFO, "")
        warn = TradeCheck(CheckKind.UNPRICED, Severity.WARN, "")
        block = TradeCheck(CheckKind.GIVEAWAY, Severity.BLOCK, "")
        assert worst_severity([info, warn]) is Severity.WARN
        assert worst_severity([info, block, warn]) is Severity.BLOCK

    def test_trade_sentence(self) -> None:
        assert TERMS.sentence == (
            "If you agree to “Seat at quarterly planning”, then we’ll agree to “Half a day off the course”."
        )
        assert replace(TERMS, get="").sentence == trade_sentence("Half a day off the course", None)


class TestPhrasing:
    def test_helpers(self) -> None:
        assert quoted("x") == "“x”"
        assert [format_ratio(Fraction(n, d)) for n, d in [(4, 1), (5, 2), (1, 6), (20, 3), (1, 20)]] == [
            "4×",
            "2.5×",
            "0.2×",
            "6.7×",
            "0.1×",
        ]
        assert plural(1, "giveaway") == "1 giveaway" and plural(2, "giveaway") == "2 giveaways"
        assert plural(3, "entry", "entries") == "3 entries"


PENDING = TradeState.proposed(TERMS)
COUNTERED = transition(PENDING, Counter(COUNTER_TERMS))
COUNTERED_BACK = transition(COUNTERED, Counter(TERMS))

EVENTS: dict[str, TradeEvent] = {
    "approve": Approve(),
    "reject": Reject("Not this quarter"),
    "counter": Counter(COUNTER_TERMS),
    "accept_counter": AcceptCounter(),
    "withdraw": Withdraw(),
    "expire": Expire(),
    "escalate": Escalate(),
    "remind": Remind(),
}

# state name → event name → resulting status (None: illegal).
TABLE: dict[str, dict[str, TradeStatus | None]] = {
    "pending": {
        "approve": TradeStatus.APPROVED,
        "reject": TradeStatus.REJECTED,
        "counter": TradeStatus.COUNTERED,
        "accept_counter": None,
        "withdraw": TradeStatus.WITHDRAWN,
        "expire": TradeStatus.EXPIRED,
        "escalate": TradeStatus.PENDING,
        "remind": TradeStatus.PENDING,
    },
    "countered": {
        "approve": None,
        "reject": TradeStatus.REJECTED,
        "counter": TradeStatus.COUNTERED,
        "accept_counter": TradeStatus.ACCEPTED,
        "withdraw": TradeStatus.WITHDRAWN,
        "expire": TradeStatus.EXPIRED,
        "escalate": None,  # waiting on the proposer
        "remind": TradeStatus.COUNTERED,
    },
    "countered_back": {
        "approve": None,
        "reject": TradeStatus.REJECTED,
        "counter": TradeStatus.COUNTERED,
        "accept_counter": TradeStatus.ACCEPTED,
        "withdraw": TradeStatus.WITHDRAWN,
        "expire": TradeStatus.EXPIRED,
        "escalate": TradeStatus.COUNTERED,  # waiting on the approver again
        "remind": TradeStatus.COUNTERED,
    },
    **{status.value: dict.fromkeys(EVENTS) for status in sorted(FINAL_STATUSES)},
}

# Why an illegal event is refused, where it is not "the decision is final".
WHY_ILLEGAL: dict[tuple[str, str], str] = {
    ("pending", "accept_counter"): "there is no counter to accept",
    ("countered", "approve"): "a counter is answered with accept_counter",
    ("countered", "escalate"): "it is waiting on the proposer, not the approver",
    ("countered_back", "approve"): "a counter is answered with accept_counter",
}

STATES: dict[str, TradeState] = {
    "pending": PENDING,
    "countered": COUNTERED,
    "countered_back": COUNTERED_BACK,
    **{status.value: replace(PENDING, status=status, awaiting=None) for status in sorted(FINAL_STATUSES)},
}


class TestStateMachine:
    @pytest.mark.parametrize(
        ("state_name", "event_name_"),
        [(state, event) for state in TABLE for event in EVENTS],
    )
    def test_transition_table(self, state_name: str, event_name_: str) -> None:
        state, event = STATES[state_name], EVENTS[event_name_]
        expected = TABLE[state_name][event_name_]
        if expected is None:
            with pytest.raises(IllegalTransition) as caught:
                transition(state, event)
            why = WHY_ILLEGAL.get((state_name, event_name_), "the decision is final")
            assert str(caught.value) == f"cannot {event_name_} a {state.status.value} trade: {why}"
            assert caught.value.state is state and caught.value.event is event
        else:
            after = transition(state, event)
            assert after.status is expected
            if after.is_final:
                assert after.awaiting is None
            else:
                assert after.awaiting is not None

    def test_states_built_at_test_time(self) -> None:
        """The module's PENDING/COUNTERED constants are built at import; mutation testing needs calls
        made inside a test too."""
        pending = TradeState.proposed(TERMS)
        assert pending == TradeState(TradeStatus.PENDING, TERMS, Party.APPROVER, False, 0, 0, None)
        countered = transition(transition(pending, Remind()), Counter(COUNTER_TERMS))
        assert countered == TradeState(
            TradeStatus.COUNTERED, COUNTER_TERMS, Party.PROPOSER, False, 0, 1, None
        )
        back = transition(countered, Counter(TERMS))
        assert back == TradeState(TradeStatus.COUNTERED, TERMS, Party.APPROVER, False, 0, 2, None)

    def test_the_table_covers_every_state(self) -> None:
        assert {s.status for s in STATES.values()} == set(TradeStatus)

    def test_new_requests_wait_on_the_approver(self) -> None:
        assert TradeState(TradeStatus.PENDING, TERMS, Party.APPROVER, False, 0, 0, None) == PENDING
        assert not PENDING.is_final

    def test_a_counter_passes_the_turn_and_a_counter_of_a_counter_passes_it_back(self) -> None:
        assert (COUNTERED.terms, COUNTERED.awaiting, COUNTERED.rounds) == (
            COUNTERER_TERMS := COUNTER_TERMS,
            Party.PROPOSER,
            1,
        )
        assert COUNTERER_TERMS == COUNTER_TERMS
        assert (COUNTERED_BACK.terms, COUNTERED_BACK.awaiting, COUNTERED_BACK.rounds) == (
            TERMS,
            Party.APPROVER,
            2,
        )
        accepted = transition(COUNTERED_BACK, AcceptCounter())
        assert (accepted.status, accepted.terms, accepted.awaiting, accepted.is_final) == (
            TradeStatus.ACCEPTED,
            TERMS,
            None,
            True,
        )

    def test_reject_needs_a_reason_and_keeps_it(self) -> None:
        with pytest.raises(
            IllegalTransition, match=exactly("cannot reject a pending trade: a rejection needs a reason")
        ):
            transition(PENDING, Reject("   "))
        rejected = transition(PENDING, Reject("  Not this quarter "))
        assert rejected.rejection_reason == "Not this quarter" and rejected.awaiting is None

    def test_escalation_is_a_sticky_flag(self) -> None:
        escalated = transition(PENDING, Escalate())
        assert escalated.escalated and escalated.status is TradeStatus.PENDING
        with pytest.raises(
            IllegalTransition, match=exactly("cannot escalate a pending trade: it has already been escalated")
        ):
            transition(escalated, Escalate())
        assert transition(escalated, Counter(COUNTER_TERMS)).escalated
        assert transition(escalated, Approve()).status is TradeStatus.APPROVED

    def test_reminders_count_and_reset_on_a_counter(self) -> None:
        reminded = transition(transition(PENDING, Remind()), Remind())
        assert reminded.reminders == 2
        assert transition(reminded, Counter(COUNTER_TERMS)).reminders == 0

    def test_final_states_explain_themselves(self) -> None:
        approved = transition(PENDING, Approve())
        with pytest.raises(IllegalTransition) as caught:
            transition(approved, Withdraw())
        assert str(caught.value) == "cannot withdraw a approved trade: the decision is final"

    def test_event_names(self) -> None:
        assert {event_name(event) for event in EVENTS.values()} == set(EVENTS)


class TestTimedEvents:
    START = datetime(2025, 3, 3, 9, tzinfo=UTC)

    def at(self, hours: float) -> datetime:
        return self.START + timedelta(hours=hours)

    def test_reminders_then_escalation_then_expiry(self, playbook: Playbook) -> None:
        policy = playbook.policy
        state = PENDING
        assert next_timed_event(state, waiting_since=self.START, now=self.at(23.9), policy=policy) is None
        assert next_timed_event(state, waiting_since=self.START, now=self.at(24), policy=policy) == Remind()
        state = transition(state, Remind())
        assert next_timed_event(state, waiting_since=self.START, now=self.at(30), policy=policy) is None
        assert next_timed_event(state, waiting_since=self.START, now=self.at(48), policy=policy) == Remind()
        state = transition(transition(state, Remind()), Remind())
        assert next_timed_event(state, waiting_since=self.START, now=self.at(72), policy=policy) == Escalate()
        state = transition(state, Escalate())
        assert next_timed_event(state, waiting_since=self.START, now=self.at(95), policy=policy) is None
        assert next_timed_event(state, waiting_since=self.START, now=self.at(96), policy=policy) == Remind()
        assert next_timed_event(state, waiting_since=self.START, now=self.at(168), policy=policy) == Expire()

    def test_waiting_on_the_proposer_is_never_escalated(self, playbook: Playbook) -> None:
        event = next_timed_event(COUNTERED, waiting_since=self.START, now=self.at(80), policy=playbook.policy)
        assert event == Remind()

    def test_final_states_have_no_timed_events(self, playbook: Playbook) -> None:
        approved = transition(PENDING, Approve())
        assert (
            next_timed_event(approved, waiting_since=self.START, now=self.at(500), policy=playbook.policy)
            is None
        )
