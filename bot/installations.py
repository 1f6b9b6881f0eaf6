"""slack-sdk's SQLAlchemy installation store with the tokens encrypted at rest (``storage.token_crypto``).

Bolt's OAuth flow saves installations through it and the authorizer and the delivery gateway read
them back: bot, user and refresh tokens are encrypted on the way in and decrypted on the way out, so
the tables only ever hold ciphertext while every caller keeps seeing plain slack-sdk objects.
"""

from __future__ import annotations

import copy
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine

from bot.settings import Settings, SettingsError
from storage.token_crypto import TokenCipher

BOT_TOKENS = ("bot_token", "bot_refresh_token")
INSTALLATION_TOKENS = (*BOT_TOKENS, "user_token", "user_refresh_token")


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    def __init__(self, *, client_id: str, engine: Engine, cipher: TokenCipher) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.cipher = cipher

    def save(self, installation: Installation) -> None:
        super().save(self._sealed(installation, INSTALLATION_TOKENS))  # which calls save_bot: idempotent

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(self._sealed(bot, BOT_TOKENS))

    def build_installation_entity(self, row: Any) -> Installation:  # type: ignore[override]
        return self._opened(SQLAlchemyInstallationStore.build_installation_entity(row), INSTALLATION_TOKENS)

    def build_bot_entity(self, row: Any) -> Bot:  # type: ignore[override]
        return self._opened(SQLAlchemyInstallationStore.build_bot_entity(row), BOT_TOKENS)

    def _sealed(self, item: Any, names: tuple[str, ...]) -> Any:
        sealed = copy.copy(item)
        for name in names:
            setattr(sealed, name, self.cipher.encrypt(getattr(item, name, None)))
        return sealed

    def _opened(self, item: Any, names: tuple[str, ...]) -> Any:
        for name in names:
            setattr(item, name, self.cipher.decrypt(getattr(item, name, None)))
        return item


def bot_for_team(store: SQLAlchemyInstallationStore, team_id: str, enterprise_id: str | None) -> Bot | None:
    """The bot that reaches a workspace: its own install (in its Enterprise Grid org or not), else
    its org's org-wide install (``is_enterprise_install``: one bot for every workspace of the org)."""
    bot = store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
    if bot is None and enterprise_id is not None:
        bot = store.find_bot(enterprise_id=None, team_id=team_id) or store.find_bot(
            enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
        )
    return bot


def installation_store(settings: Settings, engine: Engine) -> EncryptedInstallationStore:
    """The store for OAuth mode; without a key there is none (settings normally refuse earlier)."""
    slack = settings.require_slack()
    if slack.client_id is None:  # pragma: no cover - OAuth settings always carry it
        raise SettingsError("SLACK_CLIENT_ID is not set")
    if settings.encryption_key is None:
        raise SettingsError("PARLEY_ENCRYPTION_KEY is not set: OAuth mode keeps Slack tokens encrypted")
    cipher = TokenCipher.from_setting(settings.encryption_key.reveal())
    return EncryptedInstallationStore(client_id=slack.client_id, engine=engine, cipher=cipher)
