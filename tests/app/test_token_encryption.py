"""Slack tokens at rest: encrypted in every table, rotated by `parley keys rotate`, migrated with a key."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import inspect, text

from bot.cli import cli
from bot.delivery.gateway import SlackGateway, Team
from bot.installations import installation_store
from bot.settings import Secret
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN
from storage import migrate
from storage.db import Database
from storage.token_crypto import EncryptionKeyError, TokenCipher
from tests.app.conftest import CLIENT_ID, ENCRYPTION_KEY, Parley, response_json
from tests.app.test_oauth_mode import oauth_parley  # noqa: F401  (fixture)

USER_TOKEN = "xoxp-111-222-333-user-secret-token"
BOT_REFRESH = "xoxe-1-bot-refresh-secret"
USER_REFRESH = "xoxe-1-user-refresh-secret"
TOKENS = (DEFAULT_BOT_TOKEN, USER_TOKEN, BOT_REFRESH, USER_REFRESH)


def an_installation(bot_token: str = DEFAULT_BOT_TOKEN) -> Installation:
    return Installation(
        app_id="A0EXAMPLE",
        team_id="T0EXAMPLE",
        user_id="U0ALICE",
        bot_token=bot_token,
        bot_id="B0EXAMPLEBOT",
        bot_user_id="U0EXAMPLEBOT",
        bot_scopes="commands,chat:write,im:write,users:read",
        bot_refresh_token=BOT_REFRESH,
        user_token=USER_TOKEN,
        user_scopes="identify",
        user_refresh_token=USER_REFRESH,
    )


def raw_bytes(db: Database) -> bytes:
    """Every byte the database holds for us: the SQLite file (and its WAL), or every PostgreSQL row."""
    if db.engine.dialect.name == "sqlite":
        path = Path(str(db.engine.url.database))
        db.engine.dispose()
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    chunks = []
    with db.engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            for (row,) in connection.execute(text(f'SELECT CAST(t AS text) FROM "{name}" t')):
                chunks.append(row.encode())
    return b"\n".join(chunks)


def test_after_an_install_no_token_appears_in_any_table(oauth_parley: Parley) -> None:  # noqa: F811
    oauth_parley.app.installation_store.save(an_installation())  # the save Bolt's OAuth callback makes
    assert response_json(oauth_parley.command("help"))["response_type"] == "ephemeral"  # served, decrypted
    gateway = SlackGateway(oauth_parley.services.settings, oauth_parley.services.db.engine)
    assert gateway.token_for(Team("T0EXAMPLE")) == DEFAULT_BOT_TOKEN
    stored = raw_bytes(oauth_parley.services.db)
    assert b"slack_bots" in stored or oauth_parley.services.db.engine.dialect.name == "postgresql"
    for token in TOKENS:
        assert token.encode() not in stored, f"{token[:5]}… is stored in plaintext"
    found = oauth_parley.app.installation_store.find_installation(enterprise_id=None, team_id="T0EXAMPLE")
    assert found is not None
    assert (found.bot_token, found.user_token, found.bot_refresh_token, found.user_refresh_token) == TOKENS


def test_keys_rotate_moves_every_token_to_the_newest_key(
    oauth_parley: Parley,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    oauth_parley.app.installation_store.save(an_installation())
    db = oauth_parley.services.db
    newest = Fernet.generate_key().decode()
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PARLEY_ENCRYPTION_KEY", f"{newest},{ENCRYPTION_KEY}")
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted the Slack tokens of 2 installation rows" in result.output  # an installation, a bot
    only_newest = installation_store(
        replace(oauth_parley.services.settings, encryption_key=Secret(newest)), db.engine
    )
    bot = only_newest.find_bot(enterprise_id=None, team_id="T0EXAMPLE")
    assert bot is not None and bot.bot_token == DEFAULT_BOT_TOKEN
    only_oldest = TokenCipher([ENCRYPTION_KEY])
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT bot_token FROM slack_bots")).scalar_one()
    with pytest.raises(EncryptionKeyError):
        only_oldest.decrypt(stored)
    for token in TOKENS:
        assert token.encode() not in raw_bytes(db)


def test_keys_rotate_without_a_key_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch, db: Database) -> None:
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "parley: error: PARLEY_ENCRYPTION_KEY" in result.output


def test_keys_rotate_with_a_key_that_opens_nothing_changes_nothing(
    oauth_parley: Parley,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    oauth_parley.app.installation_store.save(an_installation())
    db = oauth_parley.services.db
    with db.engine.connect() as connection:
        before = connection.execute(text("SELECT bot_token FROM slack_bots")).scalar_one()
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PARLEY_ENCRYPTION_KEY", Fernet.generate_key().decode())  # the old key was lost
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 1 and "nothing was changed" in result.output
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT bot_token FROM slack_bots")).scalar_one() == before


def test_the_migration_encrypts_tokens_stored_before_it_when_a_key_is_set(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    migrate.downgrade(db.engine, "0004")
    SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=db.engine).save(an_installation())  # plaintext
    assert DEFAULT_BOT_TOKEN.encode() in raw_bytes(db)
    monkeypatch.setenv("PARLEY_ENCRYPTION_KEY", ENCRYPTION_KEY)
    migrate.upgrade(db.engine)
    for token in TOKENS:
        assert token.encode() not in raw_bytes(db)
    cipher = TokenCipher([ENCRYPTION_KEY])
    with db.engine.connect() as connection:
        row = connection.execute(text("SELECT bot_token, user_token FROM slack_installations")).one()
    assert [cipher.decrypt(value) for value in row] == [DEFAULT_BOT_TOKEN, USER_TOKEN]


def test_without_a_key_the_migration_leaves_tokens_for_keys_rotate(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    migrate.downgrade(db.engine, "0004")
    SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=db.engine).save(an_installation())
    caplog.set_level("WARNING")
    migrate.upgrade(db.engine)
    assert "Slack tokens are stored unencrypted" in caplog.text
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PARLEY_ENCRYPTION_KEY", ENCRYPTION_KEY)
    assert CliRunner().invoke(cli, ["keys", "rotate"]).exit_code == 0
    for token in TOKENS:
        assert token.encode() not in raw_bytes(db)


def test_keys_generate_prints_a_usable_key() -> None:
    result = CliRunner().invoke(cli, ["keys", "generate"])
    assert result.exit_code == 0
    TokenCipher([result.output.strip()])  # a valid Fernet key
    assert json.dumps(result.output.strip())  # one line
