"""Requests as Slack sends them to the app: signed, with Slack's real field sets.

Tests and the local playground both play Slack's side of the conversation, so the payload shapes live
here once (see ``shared/slack-payloads/``) instead of being hand-built in every test. Builders take the
ids that matter (team, user, channel, trigger — normally issued by the fake Slack) and return a
:class:`SlackRequest` whose body is byte-for-byte what gets signed and sent. The builders live in one
module per payload kind (``requests_commands``, ``requests_interactivity``, ``requests_events``, with the
shared envelope in ``slack_request``); this module is the one place callers import them from.
"""

from bot.testkit.requests_commands import slash_command
from bot.testkit.requests_events import (
    app_home_opened,
    app_uninstalled,
    event_callback,
    message_im,
    tokens_revoked,
    url_verification,
    user_change,
)
from bot.testkit.requests_interactivity import UNSET, block_actions, state_entry, view_closed, view_submission
from bot.testkit.slack_request import (
    DEFAULT_APP_ID,
    DEFAULT_BOT_ID,
    DEFAULT_BOT_USER_ID,
    DEFAULT_TEAM_DOMAIN,
    DEFAULT_TEAM_ID,
    FORM,
    JSON,
    VERIFICATION_TOKEN,
    SlackRequest,
    sign,
)

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_BOT_ID",
    "DEFAULT_BOT_USER_ID",
    "DEFAULT_TEAM_DOMAIN",
    "DEFAULT_TEAM_ID",
    "FORM",
    "JSON",
    "UNSET",
    "VERIFICATION_TOKEN",
    "SlackRequest",
    "app_home_opened",
    "app_uninstalled",
    "block_actions",
    "event_callback",
    "message_im",
    "sign",
    "slash_command",
    "state_entry",
    "tokens_revoked",
    "url_verification",
    "user_change",
    "view_closed",
    "view_submission",
]
