"""Telling people about a leaver: the new approvers get the requests, requesters are told, and the
reports' Home tabs show their manager missing (the Slack half of :mod:`bot.flows.leavers`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.flows.home_notifier import refresh_home
from bot.flows.trades_presenter import request_message
from bot.flows.trades_records import PENDING, Role
from bot.messaging import SLACK_FAILURES, post_dm
from bot.replies import notice
from bot.services import Services
from storage.models import TradeProposal
from storage.queries.trades import set_approver_message
from templates import escape_mrkdwn, trusted

if TYPE_CHECKING:
    from bot.flows.leavers import Left

logger = logging.getLogger(__name__)


def tell(services: Services, client: WebClient, workspace_id: int, left: Left) -> None:
    """After the unit of work: the new approvers get the requests, requesters are told, reports' Home
    tabs show the missing manager. Best effort: a Slack failure is logged, the move is already made."""
    for moved in left.moved:
        try:
            if moved.approver_user:
                with services.db.session() as session:
                    trade = session.get(TradeProposal, moved.trade_id)
                    if trade is None or trade.status != PENDING:
                        continue
                    message = request_message(session, trade, Role.APPROVER)
                posted = post_dm(client, moved.approver_user, message)
                with services.db.session() as session:
                    trade = session.get(TradeProposal, moved.trade_id)
                    if trade is not None:
                        set_approver_message(session, trade, posted.channel, posted.ts)
                body = (
                    f"{left.member_name} has left Slack, so {moved.approver_name} "
                    "decides your trade request now."
                )
            else:
                body = trusted(
                    f"{escape_mrkdwn(left.member_name)} has left Slack and nobody else can approve your "
                    "trade request yet: ask an admin to set a fallback approver (`/negotiate team`)."
                )
            post_dm(client, moved.requester_user, notice("Your trade request moved", body, "info"))
        except SLACK_FAILURES as error:
            logger.warning("could not tell about trade %s moving: %s", moved.trade_id, type(error).__name__)
    for user_id in left.reports:
        refresh_home(services, client, workspace_id, user_id)
