"""The WebClient every request-path Slack call goes through.

Retries stay short here: the listener threads serve people waiting on a modal, so rate-limit waits
belong to the delivery worker, not to this client (see shared/slack-platform.md).
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler

from bot.keepalive import PersistentWebClient
from bot.settings import Settings

REQUEST_TIMEOUT_SECONDS = 10


def build_web_client(settings: Settings, token: str | None = None) -> WebClient:
    return PersistentWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=REQUEST_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )
