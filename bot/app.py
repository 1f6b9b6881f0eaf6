"""The Bolt app factory.

Production, tests and the playground all build the app here from :class:`~bot.settings.Settings`,
so pointing it at a fake Slack or another database is a matter of settings, never of patching.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.errors import register_error_handler
from bot.front_door import silence_bolt_body_logging
from bot.installations import installation_store as encrypted_installation_store
from bot.keepalive import PersistentWebClient
from bot.listeners import register_listeners
from bot.manifest import BOT_SCOPES
from bot.metrics import instrument_app
from bot.middleware import note_retry, resolve_member, token_revocation
from bot.prompt_ack import AckWaitingExecutor, signalling_ack
from bot.services import Services
from bot.settings import SlackMode
from bot.slack_client import build_web_client

OAUTH_STATE_SECONDS = 600
# Bolt's default pool has 5 threads; listeners here wait on Slack and the database after acking, so a
# small pool makes new requests queue for their ack behind earlier requests' slow work. Too many, and
# they fight over the GIL: with 16 per worker the request-path benchmark acks faster than with 32.
LISTENER_THREADS = 16
logger = logging.getLogger(__name__)


def build_app(services: Services, *, listener_executor: Executor | None = None) -> App:
    """Build the app; ``listener_executor`` replaces Bolt's thread pool (tests run listeners inline)."""
    slack = services.settings.require_slack()
    if listener_executor is None:
        listener_executor = AckWaitingExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener")
    if slack.mode is SlackMode.SINGLE:
        assert slack.bot_token is not None
        app = App(
            signing_secret=slack.signing_secret.reveal(),
            client=build_web_client(services.settings, slack.bot_token.reveal()),
            name="parley",
            listener_executor=listener_executor,
        )
    else:
        app = _build_oauth_app(services, listener_executor)
    register_error_handler(app)
    silence_bolt_body_logging()
    instrument_app(app)  # metrics and JSON logs: time to ack and fields per request
    app.use(signalling_ack)
    app.use(_keep_alive_client)
    app.use(resolve_member(services))
    app.use(note_retry)
    if app.installation_store is not None:
        app.use(token_revocation(app.installation_store))
    register_listeners(app, services)
    return app


def _keep_alive_client(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Give listeners a client on kept-alive connections instead of Bolt's per-request urllib one.

    Bolt builds a fresh ``WebClient`` for every request (so listeners can't race on its token); this
    swaps it for the same settings on :class:`~bot.keepalive.PersistentWebClient`, whose connections
    belong to the thread, not to the client object, and so outlive the request.
    """
    plain = context.client
    if plain is not None and not isinstance(plain, PersistentWebClient):
        context["client"] = PersistentWebClient(
            token=plain.token,
            base_url=plain.base_url,
            timeout=plain.timeout,
            ssl=plain.ssl,
            proxy=plain.proxy,
            headers=plain.headers,
            team_id=context.team_id,
            logger=plain.logger,
            retry_handlers=list(plain.retry_handlers),
        )
    return next()


def _build_oauth_app(services: Services, listener_executor: Executor | None) -> App:
    slack = services.settings.require_slack()
    assert slack.client_id and slack.client_secret and slack.state_secret
    engine = services.db.engine
    installation_store = encrypted_installation_store(services.settings, engine)
    oauth_settings = OAuthSettings(
        client_id=slack.client_id,
        client_secret=slack.client_secret.reveal(),
        scopes=list(BOT_SCOPES),
        installation_store=installation_store,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=engine),
        installation_store_bot_only=True,
    )
    client = build_web_client(services.settings)
    return App(
        signing_secret=slack.signing_secret.reveal(),
        client=client,
        name="parley",
        oauth_settings=oauth_settings,
        listener_executor=listener_executor,
        # Cache auth.test results per token instead of calling Slack on every request.
        authorize=InstallationStoreAuthorize(  # type: ignore[arg-type]  # Bolt types it as a plain callable
            logger=logger,
            installation_store=installation_store,
            client_id=slack.client_id,
            client_secret=slack.client_secret.reveal(),
            bot_only=True,
            cache_enabled=True,
            client=client,
        ),
    )
