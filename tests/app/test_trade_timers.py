"""Waiting trade requests through `parley tick`: reminders in the approver's working hours,
escalation to the approver's manager or the fallback, expiry (after the playbook's delay or the
needed-by date) with both sides told — all as outbox rows, exactly once however often the clock runs.

Alice (London) proposes on Monday 23 November 2026 at 09:30 UTC; Bob, her approver, is in New York
(working hours 09:00–18:00 there, i.e. 14:00–23:00 UTC); Dana is Bob's manager.
"""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, date, datetime

from templates.ids.trades import TradeAction, TradeBlock
from tests.app.test_trade_kit import Desk, buttons, desk, later, team, text_of  # noqa: F401


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def notes(desk: Desk, user_id: str, word: str) -> list[str]:
    return [text_of(m) for m in desk.replies(user_id) if word in text_of(m)]


def test_a_waiting_request_is_reminded_once_inside_the_approvers_working_hours(team: Desk) -> None:
    team.propose()
    team.tick(later(24))  # Tuesday 04:30 in New York: due, but not a time to ping Bob
    (row,) = team.outbox("trade_reminder")
    assert (row.target, row.due_at, row.status) == ("U0BOB", utc(24, 14), "pending")
    assert notes(team, "U0BOB", "Reminder") == []
    assert team.trade().reminders == 1

    team.tick(later(24))  # the same instant again (a second clock, a rerun): nothing new
    assert len(team.outbox("trade_reminder")) == 1

    team.tick(utc(24, 14))  # 09:00 in New York
    (note,) = notes(team, "U0BOB", "Reminder")
    assert "<@U0ALICE> is waiting on your decision since Mon 23 Nov 2026 at 04:30 EST" in note
    assert team.outbox("trade_reminder")[0].status == "sent"
    reminder = next(m for m in team.replies("U0BOB") if "Reminder" in text_of(m))
    assert reminder["thread_ts"] == team.copy("U0BOB")["ts"]
    assert "trade.reminded" in team.actions(team.trade().id)


def test_a_reminder_for_a_request_decided_meanwhile_is_not_sent(team: Desk) -> None:
    team.propose()
    team.tick(later(24))
    team.at(later(25))
    team.click(TradeAction.APPROVE, "U0BOB", team.copy("U0BOB"))
    team.tick(utc(24, 14))
    assert notes(team, "U0BOB", "Reminder") == []
    assert team.outbox("trade_reminder")[0].status == "skipped"


def test_a_counter_waiting_on_the_proposer_reminds_the_proposer(team: Desk) -> None:
    team.propose()
    team.click(TradeAction.COUNTER, "U0BOB", team.copy("U0BOB"))
    team.parley.submit({TradeBlock.GIVE: "one coaching session"}, user_id="U0BOB")
    team.tick(later(24))  # Tuesday 09:30 in London: inside Alice's hours
    (note,) = notes(team, "U0ALICE", "Reminder")
    assert "<@U0BOB> countered and is waiting on you" in note


def test_after_the_escalation_delay_it_goes_to_the_approvers_manager_who_may_decide(team: Desk) -> None:
    team.propose()
    team.tick(later(72))  # Thursday 09:30 UTC
    trade = team.trade()
    assert (trade.escalated_to, trade.escalated_at, trade.status) == ("U0DANA", later(72), "pending")
    assert any("escalated to <@U0DANA>" in note for note in notes(team, "U0ALICE", "escalated"))
    assert any("escalated to <@U0DANA>" in note for note in notes(team, "U0BOB", "escalated"))
    assert team.parley.dms("U0DANA") == []  # 04:30 in New York: Dana gets it when her day starts

    team.tick(utc(26, 14))
    dana = team.copy("U0DANA")
    assert buttons(dana) == [TradeAction.APPROVE, TradeAction.REJECT, TradeAction.COUNTER]
    assert "Trade escalated to you" in text_of(dana) and "<@U0BOB> has not decided" in text_of(dana)

    team.tick(later(100))  # escalation happens once
    assert [e.action for e in team.audit(trade.id)].count("trade.escalated") == 1

    team.click(TradeAction.APPROVE, "U0DANA", dana)
    assert team.trade().status == "approved"
    assert "*Approved* by <@U0DANA>" in text_of(team.copy("U0DANA"))  # her copy, updated in place
    assert "*Approved* by <@U0DANA>" in text_of(team.copy("U0BOB"))
    assert "<@U0DANA> approved your trade" in text_of(team.replies("U0ALICE")[-1])


def test_an_approver_without_a_manager_escalates_to_the_fallback_approver(desk: Desk) -> None:
    desk.set_manager("U0ALICE", "U0BOB")
    desk.set_fallback("U0CAROL")
    desk.propose()
    desk.tick(later(72))
    assert desk.trade().escalated_to == "U0CAROL"
    desk.tick(utc(26, 14))
    assert "Trade escalated to you" in text_of(desk.copy("U0CAROL"))


def test_with_nobody_above_the_approver_escalation_is_recorded_and_the_proposer_told(desk: Desk) -> None:
    desk.set_manager("U0ALICE", "U0BOB")
    desk.propose()
    desk.tick(later(72))
    trade = desk.trade()
    assert trade.escalated_at == later(72) and trade.escalated_to is None
    assert any("nobody above <@U0BOB>" in note for note in notes(desk, "U0ALICE", "Nobody decided"))
    desk.tick(later(73))
    assert [e.action for e in desk.audit(trade.id)].count("trade.escalated") == 1


def test_nobody_deciding_in_time_expires_the_request_and_tells_both_sides(team: Desk) -> None:
    negotiation = team.negotiation()
    team.propose(**{TradeBlock.NEGOTIATION: str(negotiation)})
    stale = team.copy("U0BOB")
    team.tick(later(168))
    trade = team.trade()
    assert trade.status == "expired"
    assert any("expired before anyone decided" in note for note in notes(team, "U0ALICE", "expired"))
    assert any("expired before anyone decided" in note for note in notes(team, "U0BOB", "expired"))
    expired = team.audit(trade.id)[-1]
    assert (expired.action, expired.detail["reason"], expired.actor_id) == (
        "trade.expired",
        "no_decision",
        None,
    )
    (entry,) = team.ledger()
    assert (entry.kind, entry.item, entry.received_item) == ("held", "two extra coaching sessions", None)

    team.click(TradeAction.APPROVE, "U0BOB", stale)
    assert "Already decided" in team.ephemerals("U0BOB")[-1]
    assert buttons(team.copy("U0BOB")) == []  # the stale copy is redrawn as it stands
    team.tick(later(169))
    assert team.trade().status == "expired" and len(team.ledger()) == 1


def test_a_request_expires_once_its_needed_by_day_is_over_for_the_proposer(team: Desk) -> None:
    team.propose(**{TradeBlock.NEEDED_BY: date(2026, 11, 24)})
    team.tick(utc(24, 23, 59))  # still Tuesday in London
    assert team.trade().status == "pending"
    team.tick(utc(25, 0, 0))
    assert team.trade().status == "expired"
    assert team.audit(team.trade().id)[-1].detail["reason"] == "needed_by"
