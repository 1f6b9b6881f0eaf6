"""Slack tokens encrypted at rest: token columns wide enough for ciphertext, existing tokens encrypted.

Revision ID: 0005_tokens
Revises: 0004
Create Date: 2026-12-07

Fernet ciphertext is about 2.7 times its plaintext (``storage.token_crypto``), so slack-sdk's
``VARCHAR(200)`` token columns grow to 500. Then every stored token is encrypted with the newest key in
``PARLEY_ENCRYPTION_KEY`` — when it is set while this runs. When it is not (a single-workspace
install with ``SLACK_BOT_TOKEN`` stores no tokens; an OAuth install that has not configured a key yet),
stored tokens stay as they are and a warning says how many: OAuth mode refuses to start without a key,
and once one is set ``parley keys rotate`` encrypts them. Downgrading narrows the columns and decrypts
(it needs the key when tokens are encrypted).
"""

import logging
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.token_crypto import (
    ENVIRONMENT_VARIABLE,
    TOKEN_COLUMNS,
    TokenCipher,
    plaintext_token_count,
    reencrypt_stored_tokens,
)

revision: str = "0005_tokens"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WIDE = 500
NARROW = 200
logger = logging.getLogger("alembic.runtime.migration")


def _resize(length: int, before: int) -> None:
    for table_name, names in TOKEN_COLUMNS.items():
        with op.batch_alter_table(table_name) as batch:
            for name in names:
                batch.alter_column(name, type_=sa.String(length), existing_type=sa.String(before))


def upgrade() -> None:
    _resize(WIDE, NARROW)
    connection = op.get_bind()
    raw = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if raw:
        changed = reencrypt_stored_tokens(connection, TokenCipher.from_setting(raw))
        if changed:
            logger.info("encrypted the Slack tokens of %d stored installation rows", changed)
        return
    plain = plaintext_token_count(connection)
    if plain:
        logger.warning(
            "%d Slack tokens are stored unencrypted: set %s and run `parley keys rotate`",
            plain,
            ENVIRONMENT_VARIABLE,
        )


def downgrade() -> None:
    connection = op.get_bind()
    raw = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    cipher = TokenCipher.from_setting(raw) if raw else None
    for table_name, names in TOKEN_COLUMNS.items():
        tokens = sa.table(table_name, sa.column("id"), *(sa.column(name) for name in names))
        for row in connection.execute(sa.select(tokens)).mappings().all():
            encrypted = {n: row[n] for n in names if row[n] is not None and TokenCipher.is_encrypted(row[n])}
            if not encrypted:
                continue
            if cipher is None:
                raise RuntimeError(
                    f"{ENVIRONMENT_VARIABLE} is needed to decrypt stored tokens before downgrading"
                )
            connection.execute(
                sa.update(tokens)
                .where(tokens.c.id == row["id"])
                .values(**{name: cipher.decrypt(value) for name, value in encrypted.items()})
            )
    _resize(NARROW, WIDE)
