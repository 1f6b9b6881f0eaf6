"""`app_uninstalled` and `tokens_revoked` in single-workspace mode: recorded, history kept."""

from __future__ import annotations

from sqlalchemy import select

from bot.testkit import requests as slack_requests
from storage.models import Workspace
from storage.queries.workspaces import ensure_workspace
from tests.app.conftest import NOW, Parley


def test_app_uninstalled_marks_the_workspace(parley: Parley) -> None:
    with parley.services.db.session() as session:
        ensure_workspace(session, "T0EXAMPLE")
    assert parley.send(slack_requests.app_uninstalled()).status == 200
    with parley.services.db.session() as session:
        workspace = session.scalars(select(Workspace)).one()
        assert workspace.uninstalled_at == NOW
        # Installing again clears the mark and keeps the same row (and so its history).
        assert ensure_workspace(session, "T0EXAMPLE").id == workspace.id
        assert workspace.uninstalled_at is None


def test_tokens_revoked_is_acknowledged(parley: Parley) -> None:
    assert parley.send(slack_requests.tokens_revoked(bot_user_ids=["U0EXAMPLEBOT"])).status == 200
