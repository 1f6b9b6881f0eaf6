"""Every card tells the truth (issue 15, item 1): after each transition of each flow, every message
recorded with the entity shows its current state and no stale buttons (``bot.testkit.cards``), on
SQLite and PostgreSQL.

Trades: approve, reject, counter and accept, counter of a counter, withdraw, expiry and escalation.
"""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, datetime

from bot.testkit.cards import assert_cards_current
from templates.ids.trades import TradeAction, TradeBlock
from tests.app.test_trade_kit import Desk, desk, later, team, text_of  # noqa: F401

APPROVE, REJECT, COUNTER = TradeAction.APPROVE, TradeAction.REJECT, TradeAction.COUNTER
ACCEPT, WITHDRAW = TradeAction.ACCEPT, TradeAction.WITHDRAW
DECIDING = [APPROVE, REJECT, COUNTER]


def settle(desk: Desk) -> None:
    """Deliver what the transition enqueued (card updates go through the outbox), at the same instant."""
    desk.tick(desk.clock.now)


def check_trade(desk: Desk, **actions: list[str]) -> None:
    settle(desk)
    assert_cards_current(desk.parley.services, desk.slack, "trade", desk.trade().id, actions=actions)


def test_approve_leaves_both_copies_decided_without_buttons(team: Desk) -> None:
    team.propose()
    check_trade(team, approver=DECIDING, proposer=[WITHDRAW])
    team.click(APPROVE, "U0BOB", team.copy("U0BOB"))
    check_trade(team, approver=[], proposer=[])
    assert "Approved" in text_of(team.copy("U0ALICE"))


def test_reject_leaves_both_copies_decided_without_buttons(team: Desk) -> None:
    team.propose()
    team.click(REJECT, "U0BOB", team.copy("U0BOB"))
    team.parley.submit({TradeBlock.REJECT_REASON: "Not this quarter."}, user_id="U0BOB")
    check_trade(team, approver=[], proposer=[])


def test_counter_then_accept_moves_the_buttons_to_whoever_is_awaited(team: Desk) -> None:
    team.propose()
    team.click(COUNTER, "U0BOB", team.copy("U0BOB"))
    team.parley.submit(
        {TradeBlock.GIVE: "one coaching session", TradeBlock.GIVE_COST: "$750"}, user_id="U0BOB"
    )
    check_trade(team, approver=[], proposer=[ACCEPT, COUNTER, WITHDRAW])
    team.click(ACCEPT, "U0ALICE", team.copy("U0ALICE"))
    check_trade(team, approver=[], proposer=[])


def test_a_counter_of_a_counter_and_its_approval(team: Desk) -> None:
    team.propose()
    team.click(COUNTER, "U0BOB", team.copy("U0BOB"))
    team.parley.submit(
        {TradeBlock.GIVE: "one coaching session", TradeBlock.GIVE_COST: "$750"}, user_id="U0BOB"
    )
    team.click(COUNTER, "U0ALICE", team.copy("U0ALICE"))
    team.parley.submit({TradeBlock.GIVE: "a session and the slides", TradeBlock.GIVE_COST: "$900"})
    check_trade(team, approver=DECIDING, proposer=[WITHDRAW])
    team.click(APPROVE, "U0BOB", team.copy("U0BOB"))
    check_trade(team, approver=[], proposer=[])


def test_withdraw_leaves_no_buttons_anywhere(team: Desk) -> None:
    team.propose()
    team.click(WITHDRAW, "U0ALICE", team.copy("U0ALICE"))
    check_trade(team, approver=[], proposer=[])


def test_expiry_updates_both_copies_in_place(team: Desk) -> None:
    team.propose()
    team.tick(later(168))  # nobody decided: expired by the clock, not by a click
    assert team.trade().status == "expired"
    check_trade(team, approver=[], proposer=[])
    for user in ("U0ALICE", "U0BOB"):
        card = team.copy(user)
        assert "Waiting on" not in text_of(card) and "xpired" in text_of(card), text_of(card)


def test_escalation_updates_every_copy_and_a_decision_by_the_escalation_target_closes_all(team: Desk) -> None:
    team.propose()
    team.tick(later(72))  # escalated to Dana (delivered when her day starts)
    team.tick(datetime(2026, 11, 26, 14, tzinfo=UTC))
    check_trade(team, approver=DECIDING, proposer=[WITHDRAW], escalation=DECIDING)
    assert "escalated" in text_of(team.copy("U0ALICE")).lower()
    team.click(APPROVE, "U0DANA", team.copy("U0DANA"))
    check_trade(team, approver=[], proposer=[], escalation=[])


def test_a_card_update_interrupted_by_a_restart_is_delivered_by_the_next_run(team: Desk) -> None:
    """The update is an outbox row: Slack failing (or the process dying) leaves it to the next run."""
    team.propose()
    settle(team)
    team.slack.fail_next("chat.update", error="internal_error", times=2)
    team.tick(later(168))  # expired; both updates fail transiently: still pending, nothing lost
    assert team.trade().status == "expired"
    rows = [row for row in team.outbox("card_update") if row.status != "sent"]
    assert rows and all(row.status == "pending" for row in rows)
    team.tick(later(170))  # the next run (after the backoff) brings both copies up to date
    check_trade(team, approver=[], proposer=[])


def test_after_the_escalation_target_counters_every_card_names_them_not_the_approver(team: Desk) -> None:
    """Escalated to Dana, countered by Dana, countered back by Alice: the cards, the thread notes and
    Dana's Home name Dana as the one who countered and the one awaited; Bob stays the approver."""
    from bot.testkit import requests as slack_requests

    team.propose()
    team.tick(later(72))  # escalated to Dana
    team.tick(datetime(2026, 11, 26, 14, tzinfo=UTC))
    team.click(COUNTER, "U0DANA", team.copy("U0DANA"))
    team.parley.submit(
        {TradeBlock.GIVE: "one coaching session", TradeBlock.GIVE_COST: "$750"}, user_id="U0DANA"
    )
    check_trade(team, approver=[], proposer=[ACCEPT, COUNTER, WITHDRAW], escalation=[])
    alice = text_of(team.copy("U0ALICE"))
    assert "<@U0DANA> countered (round 1)" in alice and "<@U0BOB> countered" not in alice, alice
    assert "Waiting on <@U0ALICE>" in alice
    assert any("<@U0DANA> countered" in text_of(reply) for reply in team.replies("U0ALICE"))

    team.click(COUNTER, "U0ALICE", team.copy("U0ALICE"))  # a counter of the counter
    team.parley.submit({TradeBlock.GIVE: "a session and the slides", TradeBlock.GIVE_COST: "$900"})
    check_trade(team, approver=DECIDING, proposer=[WITHDRAW], escalation=DECIDING)
    for user in ("U0ALICE", "U0BOB", "U0DANA"):
        card = text_of(team.copy(user))
        assert "Waiting on <@U0DANA>" in card, (user, card)
        assert "*Approver*\n<@U0BOB>, escalated to <@U0DANA>" in card, (user, card)
    dana = text_of(team.copy("U0DANA"))
    assert "has not decided" not in dana, dana  # Dana has acted since it came to her
    team.parley.send(slack_requests.app_home_opened("U0DANA", team.slack.dm_channel("U0DANA")))
    home = team.slack.home("U0DANA")
    assert home is not None and "a session and the slides" in text_of(home), text_of(home or {})
    team.click(APPROVE, "U0DANA", team.copy("U0DANA"))
    check_trade(team, approver=[], proposer=[], escalation=[])


def test_a_reminder_after_the_escalation_target_countered_names_them(team: Desk) -> None:
    team.propose()
    team.tick(later(72))
    team.tick(datetime(2026, 11, 26, 14, tzinfo=UTC))
    team.click(COUNTER, "U0DANA", team.copy("U0DANA"))
    team.parley.submit(
        {TradeBlock.GIVE: "one coaching session", TradeBlock.GIVE_COST: "$750"}, user_id="U0DANA"
    )
    team.tick(datetime(2026, 11, 27, 15, tzinfo=UTC))  # a day on, Alice has not answered
    reminders = [text_of(r) for r in team.replies("U0ALICE") if "Reminder" in text_of(r)]
    assert reminders, [text_of(r) for r in team.replies("U0ALICE")]
    assert all("<@U0DANA> countered and is waiting on you" in text for text in reminders), reminders
    check_trade(team, approver=[], proposer=[ACCEPT, COUNTER, WITHDRAW], escalation=[])
