"""Ids of the concession-trade approval loop: the propose, counter and reject modals, the request buttons."""

from enum import StrEnum


class TradeAction(StrEnum):
    """Buttons. Every one but ``PROPOSE`` carries a ``TradeRef`` value; ``PROPOSE`` a ``NegotiationRef``."""

    PROPOSE = "trade_propose"  # on the prep plan: open the trade modal for that negotiation
    APPROVE = "trade_approve"  # approver: approve (or accept the proposer's counter)
    REJECT = "trade_reject"  # approver: opens the reason modal
    COUNTER = "trade_counter"  # either side, on their turn: opens the counter modal
    ACCEPT = "trade_accept"  # proposer: accept the approver's counter
    WITHDRAW = "trade_withdraw"  # proposer, while the request is open
    FROM_PLAN = "trade_from_plan"  # in the propose modal: fill the terms from one of the plan's trades


class TradeCallback(StrEnum):
    PROPOSE = "trade_propose_submit"
    COUNTER = "trade_counter_submit"
    REJECT = "trade_reject_submit"
    NOTICE = "trade_notice"  # a modal that only tells something (no approver yet)


class TradeBlock(StrEnum):
    """Input blocks; each element's ``action_id`` is its block's id."""

    NEGOTIATION = "trade_negotiation"
    GET = "trade_get"
    GET_VALUE = "trade_get_value"
    GIVE = "trade_give"
    GIVE_COST = "trade_give_cost"
    REASON = "trade_reason"
    NEEDED_BY = "trade_needed_by"
    REJECT_REASON = "trade_reject_reason"
    ACTIONS = "trade_actions"  # the buttons on a request message
    SUGGESTIONS = "trade_suggestions"  # the propose modal's "start from your plan" menu
