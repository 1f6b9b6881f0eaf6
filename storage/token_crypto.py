"""Slack tokens encrypted at rest: Fernet keys from ``PARLEY_ENCRYPTION_KEY``, rotation, bulk re-encryption.

A database dump must not hand over every workspace's bot token. The OAuth installation tables (slack-sdk's
``slack_installations`` and ``slack_bots``) hold bot, user and refresh tokens as Fernet tokens
(AES-128-CBC with an HMAC-SHA256, from ``cryptography``). ``PARLEY_ENCRYPTION_KEY`` holds one key or
several, comma-separated, newest first: the newest encrypts, every one decrypts (``MultiFernet``), so a
new key can be put in front, ``parley keys rotate`` re-encrypts every stored token with it, and the old
key can then be dropped.

A value that is not a Fernet token (every Fernet token starts ``gAAAAA``; no Slack token does) is a
token stored in plaintext before encryption was configured: it is read as is and encrypted by the next
rotation (or the migration that introduced encryption, when a key was set while it ran).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Connection, column, select, table, update

ENVIRONMENT_VARIABLE: Final = "PARLEY_ENCRYPTION_KEY"
FERNET_PREFIX: Final = "gAAAAA"
TOKEN_COLUMNS: Final = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


class EncryptionKeyError(ValueError):
    """``PARLEY_ENCRYPTION_KEY`` is malformed, or a stored token was encrypted with none of its keys."""


class TokenCipher:
    """Encrypts with the newest key, decrypts with any; plaintext (legacy) values pass through reads."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise EncryptionKeyError(f"{ENVIRONMENT_VARIABLE} holds no key")
        try:
            self._fernet = MultiFernet([Fernet(key.strip().encode()) for key in keys])
        except (ValueError, TypeError):
            raise EncryptionKeyError(
                f"{ENVIRONMENT_VARIABLE} must be Fernet keys (44 characters of URL-safe base64), "
                "comma-separated, newest first; `parley keys generate` prints a new one"
            ) from None

    @classmethod
    def from_setting(cls, raw: str) -> TokenCipher:
        return cls([key for key in raw.split(",") if key.strip()])

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()

    @staticmethod
    def is_encrypted(value: str) -> bool:
        return value.startswith(FERNET_PREFIX)

    def encrypt(self, value: str | None) -> str | None:
        if value is None or self.is_encrypted(value):
            return value
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, value: str | None) -> str | None:
        if value is None or not self.is_encrypted(value):
            return value
        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            raise EncryptionKeyError(
                f"a stored Slack token was encrypted with a key that is not in {ENVIRONMENT_VARIABLE}"
            ) from None

    def rotate(self, value: str) -> str:
        """The value encrypted with the newest key (plaintext is encrypted, ciphertext re-encrypted)."""
        if not self.is_encrypted(value):
            encrypted = self.encrypt(value)
            assert encrypted is not None
            return encrypted
        try:
            return self._fernet.rotate(value.encode()).decode()
        except InvalidToken:
            raise EncryptionKeyError(
                f"a stored Slack token was encrypted with a key that is not in {ENVIRONMENT_VARIABLE}"
            ) from None


def reencrypt_stored_tokens(connection: Connection, cipher: TokenCipher) -> int:
    """Encrypt every stored token with the newest key (plaintext ones too); returns the rows changed.

    One transaction (the caller's): either every token moves to the newest key or none does.
    """
    changed = 0
    for table_name, names in TOKEN_COLUMNS.items():
        tokens = table(table_name, column("id"), *(column(name) for name in names))
        for row in connection.execute(select(tokens)).mappings().all():
            values = {name: cipher.rotate(row[name]) for name in names if row[name] is not None}
            if values:
                connection.execute(update(tokens).where(tokens.c.id == row["id"]).values(**values))
                changed += 1
    return changed


def plaintext_token_count(connection: Connection) -> int:
    """How many stored tokens are not encrypted (for ``parley keys rotate`` and the migration's note)."""
    count = 0
    for table_name, names in TOKEN_COLUMNS.items():
        tokens = table(table_name, *(column(name) for name in names))
        for row in connection.execute(select(tokens)).all():
            count += sum(1 for value in row if value is not None and not TokenCipher.is_encrypted(value))
    return count
