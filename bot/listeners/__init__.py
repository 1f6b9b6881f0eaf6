"""The registration table: which Slack entry point goes to which handler.

One file per entry point, named after it (``commands/negotiate.py``, ``actions/trade_approve.py``,
``views/prep_submit.py``, ``events/app_home_opened.py``), and every handler has one shape::

    def handle(services, ack, body, client, context, respond) -> None

The member behind the request is in ``context`` (``bot.edge.actor``), put there by the global
middleware in ``bot.middleware``; failures nobody catches are answered by ``bot.errors``. To add an
entry point, add its file and one line below (``/negotiate`` subcommands are in
``commands/negotiate.HANDLERS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.listeners.actions import (
    admin_members_open,
    admin_members_pick,
    admin_playbook,
    admin_settings_edit,
    admin_settings_open,
    commit_add,
    commit_cancel,
    commit_done,
    commit_new,
    commit_settings,
    commit_snooze,
    debrief_log,
    digest_prep,
    home_show_fewer,
    home_show_more,
    my_data_erase,
    my_data_export,
    prep_edit,
    style_take,
    team_member,
    trade_accept,
    trade_approve,
    trade_counter,
    trade_from_plan,
    trade_propose,
    trade_reject,
    trade_withdraw,
)
from bot.listeners.commands import negotiate
from bot.listeners.events import app_home_opened, app_uninstalled, message_im, tokens_revoked, user_change
from bot.listeners.views import (
    admin_playbook_paste,
    admin_settings_group,
    commit_submit,
    debrief_submit,
    my_data_erase_confirm,
    prep_submit,
    style_submit,
    team_submit,
)
from bot.listeners.views import (
    commit_cancel as commit_cancel_submit,
)
from bot.listeners.views import (
    commit_settings as commit_settings_submit,
)
from bot.listeners.views import (
    trade_counter as trade_counter_submit,
)
from bot.listeners.views import (
    trade_propose as trade_propose_submit,
)
from bot.listeners.views import (
    trade_reject as trade_reject_submit,
)
from bot.services import Services
from templates.ids.commitments import CommitAction, CommitCallback
from templates.ids.debrief import DebriefCallback
from templates.ids.digests import DigestAction
from templates.ids.home import HomeAction
from templates.ids.negotiation import NegotiationAction
from templates.ids.prep import PrepCallback
from templates.ids.privacy import PrivacyAction, PrivacyCallback
from templates.ids.settings import SettingsAction, SettingsCallback
from templates.ids.style import StyleAction, StyleCallback
from templates.ids.team import TeamBlock, TeamCallback
from templates.ids.trades import TradeAction, TradeCallback


class Handler(Protocol):
    def __call__(
        self,
        services: Services,
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        respond: Respond | None,
    ) -> None: ...


COMMANDS: Mapping[str, Handler] = {
    "/negotiate": negotiate.handle,  # subcommands: commands/negotiate.HANDLERS
}

ACTIONS: Mapping[str, Handler] = {
    TradeAction.PROPOSE: trade_propose.handle,
    TradeAction.APPROVE: trade_approve.handle,
    TradeAction.REJECT: trade_reject.handle,
    TradeAction.COUNTER: trade_counter.handle,
    TradeAction.ACCEPT: trade_accept.handle,
    TradeAction.WITHDRAW: trade_withdraw.handle,
    TradeAction.FROM_PLAN: trade_from_plan.handle,
    CommitAction.ADD: commit_add.handle,
    CommitAction.NEW: commit_new.handle,
    CommitAction.DONE: commit_done.handle,
    CommitAction.SNOOZE: commit_snooze.handle,
    CommitAction.CANCEL: commit_cancel.handle,
    CommitAction.SETTINGS: commit_settings.handle,
    NegotiationAction.EDIT_PREP: prep_edit.handle,
    NegotiationAction.LOG_DEBRIEF: debrief_log.handle,
    DigestAction.NEW_PREP: digest_prep.handle,
    HomeAction.SHOW_MORE: home_show_more.handle,
    HomeAction.SHOW_FEWER: home_show_fewer.handle,
    StyleAction.TAKE_ASSESSMENT: style_take.handle,
    TeamBlock.MEMBER: team_member.handle,  # the member picker inside the team modal
    PrivacyAction.EXPORT: my_data_export.handle,
    PrivacyAction.ERASE: my_data_erase.handle,
    PrivacyAction.ADMIN_OPEN: admin_members_open.handle,  # the Members button in the admin settings
    PrivacyAction.ADMIN_PICK: admin_members_pick.handle,
    SettingsAction.OPEN: admin_settings_open.handle,
    SettingsAction.EDIT: admin_settings_edit.handle,
    SettingsAction.PLAYBOOK_OPEN: admin_playbook.open_screen,
    SettingsAction.PLAYBOOK_PASTE: admin_playbook.open_paste,
    SettingsAction.PLAYBOOK_APPLY: admin_playbook.apply,
    SettingsAction.PLAYBOOK_DISCARD: admin_playbook.discard,
    SettingsAction.PLAYBOOK_ROLLBACK: admin_playbook.rollback,
    SettingsAction.PLAYBOOK_DOWNLOAD: admin_playbook.download,
}

VIEWS: Mapping[str, Handler] = {  # modal submissions, by callback_id
    PrepCallback.SUBMIT: prep_submit.handle,
    DebriefCallback.SUBMIT: debrief_submit.handle,
    CommitCallback.CREATE: commit_submit.handle,
    CommitCallback.CANCEL: commit_cancel_submit.handle,
    CommitCallback.SETTINGS: commit_settings_submit.handle,
    StyleCallback.ASSESSMENT: style_submit.handle,
    TeamCallback.SET: team_submit.handle,
    TradeCallback.PROPOSE: trade_propose_submit.handle,
    TradeCallback.COUNTER: trade_counter_submit.handle,
    TradeCallback.REJECT: trade_reject_submit.handle,
    PrivacyCallback.ERASE_CONFIRM: my_data_erase_confirm.handle,
    SettingsCallback.GROUP: admin_settings_group.handle,
    SettingsCallback.PLAYBOOK_PASTE: admin_playbook_paste.handle,
}

EVENTS: Mapping[str, Handler] = {  # by the manifest's subscription name (``message.im``: type.channel_type)
    "app_home_opened": app_home_opened.handle,
    "app_uninstalled": app_uninstalled.handle,
    "message.im": message_im.handle,  # a DM typed to Parley; other channel types never reach it
    "tokens_revoked": tokens_revoked.handle,
    "user_change": user_change.handle,  # admin rights and status (admin_rights), leavers (leavers)
}


def register_listeners(app: App, services: Services) -> None:
    for command, handler in COMMANDS.items():
        app.command(command)(_bind(handler, services))
    for action_id, handler in ACTIONS.items():
        app.action(str(action_id))(_bind(handler, services))
    for callback_id, handler in VIEWS.items():
        app.view(str(callback_id))(_bind(handler, services))
    for subscription, handler in EVENTS.items():
        event_type, _, channel_type = subscription.partition(".")
        matchers = [_in_channel_type(channel_type)] if channel_type else None
        app.event(event_type, matchers=matchers)(_bind(handler, services))


def _in_channel_type(channel_type: str) -> Callable[..., bool]:
    def matches(event: dict[str, Any]) -> bool:
        return event.get("channel_type") == channel_type

    return matches


def _bind(handler: Handler, services: Services) -> Callable[..., None]:
    """The Bolt listener for ``handler``: Bolt injects the arguments it names, we add ``services``."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        # Bolt gives every request a respond(); only one with a response_url can use it.
        respond = context.respond if edge.response_url(body) else None
        handler(services, ack, body, client, context, respond)

    listener.__name__ = listener.__qualname__ = handler.__module__.removeprefix("bot.listeners.")
    return listener
