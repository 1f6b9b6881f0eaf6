"""The concession-trade approval loop through the real Bolt app (DESIGN §5 flow 4), on both databases.

Proposing (checks, giveaways refused, no approver), deciding (approve, reject with a reason, counter,
a counter of a counter, withdraw), who may decide, exactly one decision under concurrency, and what
each side sees in Slack.
"""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

import json
import threading
from datetime import date

from slack_bolt import BoltResponse

from bot.flows.trades import TradeRef
from bot.metadata import NegotiationRef, dump
from bot.testkit import requests as slack_requests
from storage.models import Workspace
from storage.queries.workspaces import find_workspace
from templates.ids.trades import TradeAction, TradeBlock, TradeCallback
from tests.app.conftest import response_json
from tests.app.test_trade_kit import TERMS, Desk, buttons, desk, team, text_of  # noqa: F401

APPROVE, REJECT, COUNTER = TradeAction.APPROVE, TradeAction.REJECT, TradeAction.COUNTER
ACCEPT, WITHDRAW = TradeAction.ACCEPT, TradeAction.WITHDRAW
SENTENCE = (
    "If you agree to “Acme extends the contract to 24 months”, "
    "then we’ll agree to “two extra coaching sessions”."
)


# ---------------------------------------------------------------------------------------------- proposing


def test_a_proposal_reaches_the_approver_with_the_checks_the_limits_and_the_style(team: Desk) -> None:
    negotiation = team.negotiation(limits="Price below 40k\nExtra coaching sessions")
    team.parley.command("trade")
    response = team.parley.submit(
        {**TERMS, TradeBlock.NEGOTIATION: str(negotiation), TradeBlock.NEEDED_BY: date(2026, 11, 30)}
    )
    assert response.status == 200 and response_json(response) == {}

    request = team.copy("U0BOB")
    assert buttons(request) == [APPROVE, REJECT, COUNTER]
    shown = text_of(request)
    assert "Trade for your approval" in shown
    assert SENTENCE in shown
    assert "10,000 USD" in shown and "1,500 USD" in shown
    assert "Acme renewal · Acme" in shown
    assert "matches the limit “Extra coaching sessions” set in the prep: it is out of bounds" in shown
    assert ":no_entry: *Block:*" in shown
    assert "*Limits set in the prep*\n• Price below 40k\n• Extra coaching sessions" in shown
    assert "<@U0ALICE>'s style:" in shown
    assert "Needed by*\nMon 30 Nov 2026" in shown
    assert "Waiting on <@U0BOB> since Mon 23 Nov 2026 at 04:30 EST" in shown  # Bob's own time zone

    mine = team.copy("U0ALICE")
    assert buttons(mine) == [WITHDRAW]
    assert "Your trade request" in text_of(mine) and "out of bounds" in text_of(mine)

    trade = team.trade()
    assert (trade.status, trade.rounds, trade.negotiation_id) == ("pending", 0, negotiation)
    assert (trade.give_cost_minor, trade.get_value_minor, trade.currency) == (150_000, 1_000_000, "USD")
    assert {check["kind"] for check in trade.checks} >= {"out_of_bounds", "value_balance"}
    assert (trade.slack_channel, trade.slack_ts) == (team.slack.dm_channel("U0BOB"), request["ts"])
    assert team.actions(trade.id) == ["trade.proposed", "trade.checked"]
    proposed = team.audit(trade.id)[0]
    assert proposed.actor_id is not None and proposed.at is not None
    assert proposed.detail["approver"] == "U0BOB"


def test_a_giveaway_is_refused_in_the_modal_with_the_coaching_and_nothing_is_sent(team: Desk) -> None:
    response = team.propose(**{TradeBlock.GET: "", TradeBlock.GET_VALUE: ""})
    body = response_json(response)
    assert body["response_action"] == "errors"
    assert "Nothing is asked in return: a giveaway invites the next request" in body["errors"][TradeBlock.GET]
    assert "No style yet" in body["errors"][TradeBlock.GET]  # followed by how the member's style concedes
    assert team.trades() == []
    assert [m for m in team.parley.dms("U0BOB") if "trade" in m.get("text", "").lower()] == []


def test_amounts_are_read_like_people_type_them_and_bad_ones_are_field_errors(team: Desk) -> None:
    response = team.propose(**{TradeBlock.GIVE_COST: "12abc", TradeBlock.GET_VALUE: "€8k"})
    body = response_json(response)
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {TradeBlock.GIVE_COST}
    assert "'12abc'" in body["errors"][TradeBlock.GIVE_COST]
    assert team.trades() == []

    team.parley.submit({**TERMS, TradeBlock.GIVE_COST: "1.5k", TradeBlock.GET_VALUE: "€8k"})
    trade = team.trade()
    assert (trade.give_cost_minor, trade.currency) == (150_000, "USD")
    assert (trade.get_value_minor, trade.value_currency) == (800_000, "EUR")
    assert "Parley does not convert" in text_of(team.copy("U0BOB"))


def test_a_needed_by_date_in_the_past_is_a_field_error(team: Desk) -> None:
    response = team.propose(**{TradeBlock.NEEDED_BY: date(2026, 11, 22)})
    assert TradeBlock.NEEDED_BY in response_json(response)["errors"]
    assert team.trades() == []


def test_nobody_to_approve_says_who_can_set_one_and_sends_nothing(desk: Desk) -> None:
    desk.meet("U0ALICE", "U0ERIN")  # Erin is a Slack admin
    desk.parley.command("trade")
    assert desk.slack.open_views("U0ALICE") == []
    notice = desk.ephemerals("U0ALICE")[-1]
    assert "Nobody approves your trades yet" in notice
    shown = text_of(desk.slack.ephemerals(user="U0ALICE")[-1])
    assert "<@U0ERIN>" in shown and "`/negotiate team`" in shown and "you can do this once" in shown
    assert desk.trades() == []


def test_an_approver_removed_while_the_modal_is_open_replaces_the_modal_and_sends_nothing(team: Desk) -> None:
    team.parley.command("trade")
    team.set_manager("U0ALICE", None)
    response = team.parley.submit(TERMS)
    body = response_json(response)
    assert body["response_action"] == "update"
    assert "Nobody approves your trades yet" in json.dumps(body["view"])
    assert team.trades() == []


def test_without_a_manager_the_fallback_approver_decides(desk: Desk) -> None:
    desk.set_fallback("U0CAROL")
    desk.propose()
    assert buttons(desk.copy("U0CAROL")) == [APPROVE, REJECT, COUNTER]
    desk.click(APPROVE, "U0CAROL", desk.copy("U0CAROL"))
    assert desk.trade().status == "approved"


def test_a_double_submission_creates_one_request(team: Desk) -> None:
    team.parley.command("trade")
    view = team.parley.open_view()
    team.parley.submit(TERMS, view=view)
    team.parley.submit(TERMS, view=view)
    assert len(team.trades()) == 1
    assert len([m for m in team.parley.dms("U0BOB") if m.get("blocks")]) == 1


def test_hostile_text_stays_text_everywhere_and_every_message_is_valid_block_kit(team: Desk) -> None:
    hostile = "<!channel> <@U0ERIN> <https://evil.example|click> & *bold*"
    team.propose(**{TradeBlock.GET: hostile, TradeBlock.REASON: hostile, TradeBlock.GIVE: hostile})
    team.click(REJECT, "U0BOB", team.copy("U0BOB"))
    team.parley.submit({TradeBlock.REJECT_REASON: hostile}, user_id="U0BOB")
    posted = [
        c
        for c in team.slack.calls
        if c.method in ("chat.postMessage", "chat.update") and "trade" in str(c.args.get("text")).lower()
    ]
    assert len(posted) >= 4 and all(call.ok for call in posted)  # the strict fake rejects invalid Block Kit
    for call in posted:
        wire = json.dumps(call.args)
        assert "<!channel>" not in wire and "<@U0ERIN>" not in wire and "<https://evil" not in wire
        assert "&lt;!channel&gt;" in wire


# ---------------------------------------------------------------------------------------------- deciding


def test_approving_updates_the_request_in_place_and_tells_the_proposer_in_their_thread(team: Desk) -> None:
    negotiation = team.negotiation()
    team.propose(**{TradeBlock.NEGOTIATION: str(negotiation)})
    before = team.copy("U0BOB")
    team.click(APPROVE, "U0BOB", before)

    after = team.copy("U0BOB")
    assert after["ts"] == before["ts"] and after.get("edited")
    assert buttons(after) == []
    assert ":white_check_mark: *Approved* by <@U0BOB> · Mon 23 Nov 2026 at 04:30 EST" in text_of(after)
    assert [c.args["ts"] for c in team.slack.calls_to("chat.update")][:1] == [before["ts"]]

    (note,) = team.replies("U0ALICE")
    assert "<@U0BOB> approved your trade" in text_of(note) and SENTENCE in text_of(note)
    assert buttons(team.copy("U0ALICE")) == []

    trade = team.trade()
    assert trade.status == "approved" and trade.decided_at is not None
    assert team.actions(trade.id) == ["trade.proposed", "trade.checked", "trade.approved"]
    (entry,) = team.ledger()
    assert (entry.kind, entry.trade_id, entry.negotiation_id) == ("offered", trade.id, negotiation)
    assert (entry.item, entry.value_minor) == ("two extra coaching sessions", 150_000)
    assert (entry.received_item, entry.received_value_minor) == (
        "Acme extends the contract to 24 months",
        1_000_000,
    )


def test_rejecting_needs_a_reason_which_the_proposer_sees(team: Desk) -> None:
    team.negotiation()
    team.propose()
    team.click(REJECT, "U0BOB", team.copy("U0BOB"))
    modal = team.parley.open_view("U0BOB")
    assert SENTENCE in json.dumps(modal, ensure_ascii=False)

    response = team.parley.submit({TradeBlock.REJECT_REASON: "   "}, user_id="U0BOB")
    assert TradeBlock.REJECT_REASON in response_json(response)["errors"]
    assert team.trade().status == "pending"

    team.parley.submit({TradeBlock.REJECT_REASON: "A second year is not on the table yet."}, user_id="U0BOB")
    trade = team.trade()
    assert (trade.status, trade.decision_reason) == ("rejected", "A second year is not on the table yet.")
    assert "*Rejected* by <@U0BOB>" in text_of(team.copy("U0BOB"))
    (note,) = team.replies("U0ALICE")
    assert "rejected your trade" in text_of(note) and "A second year is not on the table yet." in text_of(
        note
    )
    rejected = team.audit(trade.id)[-1]
    assert (rejected.action, rejected.detail["reason"]) == (
        "trade.rejected",
        "A second year is not on the table yet.",
    )
    assert team.ledger() == []  # no negotiation chosen, so nothing on a ledger


def test_a_counter_goes_back_to_the_proposer_who_accepts_it(team: Desk) -> None:
    team.propose()
    team.click(COUNTER, "U0BOB", team.copy("U0BOB"))
    modal = team.parley.open_view("U0BOB")
    initial = {
        block["block_id"]: block["element"].get("initial_value")
        for block in modal["blocks"]
        if block["type"] == "input"
    }
    assert initial[TradeBlock.GIVE] == "two extra coaching sessions"
    assert initial[TradeBlock.GIVE_COST] == "1,500 USD"
    assert initial[TradeBlock.GET_VALUE] == "10,000 USD"
    team.parley.submit(
        {TradeBlock.GIVE: "one extra coaching session", TradeBlock.GIVE_COST: "$750"}, user_id="U0BOB"
    )

    trade = team.trade()
    assert (trade.status, trade.rounds, trade.give_item, trade.give_cost_minor) == (
        "countered",
        1,
        "one extra coaching session",
        75_000,
    )
    assert buttons(team.copy("U0BOB")) == []
    assert "Countered: waiting on the proposer" in text_of(team.copy("U0BOB"))
    alice = team.copy("U0ALICE")
    assert buttons(alice) == [ACCEPT, COUNTER, WITHDRAW]
    assert "one extra coaching session" in text_of(alice)
    (note,) = team.replies("U0ALICE")
    assert "<@U0BOB> countered" in text_of(note)

    team.click(ACCEPT, "U0ALICE", alice)
    trade = team.trade()
    assert trade.status == "accepted"
    assert "*Counter accepted* by <@U0ALICE>" in text_of(team.copy("U0BOB"))
    assert "accepted the counter" in text_of(team.replies("U0BOB")[-1])
    assert team.actions(trade.id) == [
        "trade.proposed",
        "trade.checked",
        "trade.countered",
        "trade.checked",
        "trade.accepted",
    ]


def test_a_counter_of_a_counter_works_the_same_way_and_the_approver_accepts_it(team: Desk) -> None:
    team.propose()
    team.click(COUNTER, "U0BOB", team.copy("U0BOB"))
    team.parley.submit(
        {TradeBlock.GIVE: "one extra coaching session", TradeBlock.GIVE_COST: "$750"}, user_id="U0BOB"
    )
    team.click(COUNTER, "U0ALICE", team.copy("U0ALICE"))
    team.parley.submit(
        {
            TradeBlock.GIVE: "one session and the slides",
            TradeBlock.GIVE_COST: "$900",
            TradeBlock.REASON: "Meet halfway",
        }
    )
    trade = team.trade()
    assert (trade.status, trade.rounds) == ("pending", 2)  # waiting on the approver again
    bob = team.copy("U0BOB")
    assert buttons(bob) == [APPROVE, REJECT, COUNTER]
    assert "Counter for your approval" in text_of(bob) and "one session and the slides" in text_of(bob)
    assert "<@U0ALICE> countered" in text_of(team.replies("U0BOB")[-1])
    assert buttons(team.copy("U0ALICE")) == [WITHDRAW]

    team.click(APPROVE, "U0BOB", bob)
    trade = team.trade()
    assert (trade.status, trade.give_item, trade.reason) == (
        "accepted",
        "one session and the slides",
        "Meet halfway",
    )
    assert "accepted the counter" in text_of(team.replies("U0ALICE")[-1])


def test_the_proposer_withdraws_and_a_later_click_is_told_it_was_already_decided(team: Desk) -> None:
    team.propose()
    stale = team.copy("U0BOB")
    team.click(WITHDRAW, "U0ALICE", team.copy("U0ALICE"))
    assert team.trade().status == "withdrawn"
    assert buttons(team.copy("U0BOB")) == [] and "*Withdrawn* by <@U0ALICE>" in text_of(team.copy("U0BOB"))
    assert "withdrew the request" in text_of(team.replies("U0BOB")[-1])

    updates = len(team.slack.calls_to("chat.update"))
    team.click(APPROVE, "U0BOB", stale)
    assert team.trade().status == "withdrawn"
    assert "Already decided" in team.ephemerals("U0BOB")[-1]
    assert len(team.slack.calls_to("chat.update")) == updates + 1  # only the stale copy redrawn as it is


def test_an_out_of_date_copy_cannot_decide_terms_that_changed(team: Desk) -> None:
    team.propose()
    first = team.copy("U0BOB")
    team.click(COUNTER, "U0BOB", first)
    team.parley.submit({TradeBlock.GIVE: "one session"}, user_id="U0BOB")
    team.click(COUNTER, "U0ALICE", team.copy("U0ALICE"))
    team.parley.submit({TradeBlock.GIVE: "one session and the slides"})
    team.click(APPROVE, "U0BOB", first)  # round 0's button, now on round 2
    assert team.trade().status == "pending"
    assert "moved on" in team.ephemerals("U0BOB")[-1]


# ---------------------------------------------------------------------------------------------- who decides


def test_another_member_clicking_is_told_it_is_not_theirs_and_nothing_changes(team: Desk) -> None:
    team.propose()
    request = team.copy("U0BOB")
    calls = len(team.slack.calls)
    for action in (APPROVE, REJECT, COUNTER):
        team.click(action, "U0CAROL", request)
    team.click(APPROVE, "U0ALICE", request)  # not even the proposer
    assert team.trade().status == "pending"
    assert all("Not yours to decide" in text for text in team.ephemerals("U0CAROL"))
    assert len(team.ephemerals("U0CAROL")) == 3
    assert "Not yours to decide" in team.ephemerals("U0ALICE")[-1]
    assert team.slack.open_views("U0CAROL") == []
    assert not any(c.method in ("chat.update", "views.open") for c in team.slack.calls[calls:])
    assert team.actions(team.trade().id) == ["trade.proposed", "trade.checked"]
    team.click(WITHDRAW, "U0BOB", team.copy("U0ALICE"))  # only the proposer withdraws
    assert team.trade().status == "pending"


def test_a_click_from_another_workspace_is_not_theirs(team: Desk) -> None:
    team.slack.add_team("T0OTHER", bot_token="xoxb-other")
    team.slack.add_user("U0MALLORY", team_id="T0OTHER", is_admin=True)
    team.propose()
    trade = team.trade()
    forged = {
        "ts": "1.000001",
        "blocks": [
            {
                "type": "actions",
                "block_id": TradeBlock.ACTIONS,
                "elements": [
                    {
                        "type": "button",
                        "action_id": APPROVE,
                        "text": {"type": "plain_text", "text": "Approve"},
                        "value": dump(TradeRef(trade.id, 0)),
                    }
                ],
            }
        ],
    }
    channel = team.slack.dm_channel("U0MALLORY")
    response = team.parley.send(
        slack_requests.block_actions(
            user_id="U0MALLORY",
            team_id="T0OTHER",
            trigger_id=team.slack.issue_trigger_id("U0MALLORY"),
            action_id=APPROVE,
            message=forged,
            channel_id=channel,
            response_url=team.slack.issue_response_url(channel, "U0MALLORY"),
        )
    )
    assert isinstance(response, BoltResponse) and response.status == 200
    assert team.trade().status == "pending"
    assert "Not yours to decide" in team.ephemerals("U0MALLORY")[-1]


def test_an_admin_may_decide_for_the_approver_but_never_on_their_own_trade(team: Desk) -> None:
    team.propose()
    team.click(APPROVE, "U0ERIN", team.copy("U0BOB"))  # a Slack admin
    trade = team.trade()
    assert trade.status == "approved"
    assert team.audit(trade.id)[-1].actor_id == team.meet("U0ERIN")["U0ERIN"]

    team.set_manager("U0ERIN", "U0BOB")
    team.propose("U0ERIN")
    own = team.trades()[-1]
    team.click(APPROVE, "U0ERIN", team.copy("U0BOB"))
    assert team.trades()[-1].status == "pending" and own.status == "pending"
    assert "Not yours to decide" in team.ephemerals("U0ERIN")[-1]


def test_members_listed_as_admins_in_the_workspace_settings_may_decide(team: Desk) -> None:
    with team.db.session() as session:
        workspace = find_workspace(session, "T0EXAMPLE")
        assert isinstance(workspace, Workspace)
        workspace.settings = {**workspace.settings, "admins": ["U0CAROL"]}
    team.propose()
    team.click(APPROVE, "U0CAROL", team.copy("U0BOB"))
    assert team.trade().status == "approved"


def test_two_approvals_at_once_make_exactly_one_decision(team: Desk) -> None:
    team.propose()
    request = team.copy("U0BOB")
    team.meet("U0ERIN")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve(user_id: str) -> None:
        try:
            barrier.wait(timeout=10)
            team.click(APPROVE, user_id, request)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=approve, args=(uid,)) for uid in ("U0BOB", "U0ERIN")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    trade = team.trade()
    assert trade.status == "approved"
    assert team.actions(trade.id).count("trade.approved") == 1
    told = team.ephemerals("U0BOB") + team.ephemerals("U0ERIN")
    assert len(told) == 1 and "Already decided" in told[0]
    assert len(team.replies("U0ALICE")) == 1


def test_the_same_approver_clicking_twice_at_once_decides_once(team: Desk) -> None:
    team.propose()
    request = team.copy("U0BOB")
    barrier = threading.Barrier(2)

    def approve() -> None:
        barrier.wait(timeout=10)
        team.click(APPROVE, "U0BOB", request)

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    trade = team.trade()
    assert team.actions(trade.id).count("trade.approved") == 1
    assert len(team.ephemerals("U0BOB")) == 1


# ---------------------------------------------------------------------------------------------- lists


def test_negotiate_trade_lists_the_members_open_trades_and_those_waiting_on_them(team: Desk) -> None:
    team.propose()
    team.parley.command("trade", user_id="U0BOB")
    shown = text_of(team.slack.ephemerals(user="U0BOB")[-1])
    assert "*Waiting on your decision*" in shown and "<@U0ALICE>" in shown and SENTENCE in shown
    team.parley.command("trade")
    shown = text_of(team.slack.ephemerals(user="U0ALICE")[-1])
    assert "*Your open requests*" in shown and "waiting on <@U0BOB>" in shown
    team.parley.command("trade Acme")  # with a negotiation named: just the modal
    assert len(team.slack.ephemerals(user="U0ALICE")) == 1


# ---------------------------------------------------------------------------------------------- modals


def test_a_counter_that_gives_something_away_is_refused_in_its_modal(team: Desk) -> None:
    team.propose()
    team.click(COUNTER, "U0BOB", team.copy("U0BOB"))
    response = team.parley.submit({TradeBlock.GET: ""}, user_id="U0BOB")
    assert "Nothing is asked in return" in response_json(response)["errors"][TradeBlock.GET]
    trade = team.trade()
    assert (trade.status, trade.rounds) == ("pending", 0)


def test_a_decision_submitted_after_the_request_changed_is_refused_in_the_modal(team: Desk) -> None:
    team.propose()
    team.click(REJECT, "U0BOB", team.copy("U0BOB"))
    team.click(WITHDRAW, "U0ALICE", team.copy("U0ALICE"))
    response = team.parley.submit({TradeBlock.REJECT_REASON: "No."}, user_id="U0BOB")
    error = response_json(response)["errors"][TradeBlock.REJECT_REASON]
    assert error.startswith("Already decided: withdrawn by alice")  # her Slack display name
    assert team.trade().status == "withdrawn"
    assert team.actions(team.trade().id)[-1] == "trade.withdrawn"


def test_a_forged_or_mangled_button_changes_nothing(team: Desk) -> None:
    team.propose()
    request = team.copy("U0BOB")
    for block in request["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == APPROVE:
                element["value"] = '{"trade_id": "1; DROP TABLE", "round": 0}'
    team.click(APPROVE, "U0BOB", request)
    assert team.trade().status == "pending"
    assert "Not yours to decide" in team.ephemerals("U0BOB")[-1]


def test_propose_a_trade_from_a_prep_plan_opens_the_modal_with_that_negotiation(team: Desk) -> None:
    from bot.flows.prep_modal import BLOCK_FOR
    from coaching.prep import PrepField

    team.parley.command("prep Acme renewal")
    team.parley.submit(
        {
            BLOCK_FOR[PrepField.TITLE]: "Acme renewal",
            BLOCK_FOR[PrepField.COUNTERPART_KIND]: "customer",
            BLOCK_FOR[PrepField.COUNTERPART_NAME]: "Acme",
            BLOCK_FOR[PrepField.DATE]: "2026-12-01",
            BLOCK_FOR[PrepField.OBJECTIVES]: "Renew for 24 months",
            BLOCK_FOR[PrepField.LIMITS]: "Discount above 10%",
            BLOCK_FOR[PrepField.TRADEABLES]: "Extra workshop – $1,500 – worth $4,000",
            BLOCK_FOR[PrepField.WANTS]: "24-month term – worth $20,000",
        }
    )
    plan = next(m for m in team.parley.dms("U0ALICE") if TradeAction.PROPOSE in buttons(m))
    team.parley.click(TradeAction.PROPOSE, message=plan)
    modal = team.parley.open_view()
    assert modal["callback_id"] == TradeCallback.PROPOSE
    select = next(b for b in modal["blocks"] if b.get("block_id") == TradeBlock.NEGOTIATION)
    chosen = int(select["element"]["initial_option"]["value"])
    team.parley.submit({**TERMS, TradeBlock.GIVE: "a discount above 10%", TradeBlock.GIVE_COST: "$12,000"})
    trade = team.trade()
    assert trade.negotiation_id == chosen
    shown = text_of(team.copy("U0BOB"))
    assert "out of bounds" in shown and "• Discount above 10%" in shown


def test_the_prep_button_without_an_approver_opens_a_modal_saying_who_can_set_one(desk: Desk) -> None:
    negotiation = desk.negotiation()
    button = {
        "type": "button",
        "action_id": TradeAction.PROPOSE,
        "text": {"type": "plain_text", "text": "Propose a trade"},
        "value": dump(NegotiationRef(negotiation)),
    }
    desk.parley.click(
        TradeAction.PROPOSE, message={"ts": "1.000001", "blocks": [{"type": "actions", "elements": [button]}]}
    )
    modal = desk.parley.open_view()
    assert modal["callback_id"] == TradeCallback.NOTICE
    assert "Nobody approves your trades yet" in json.dumps(modal)
    assert desk.trades() == []
