"""Erase everything 30 days after an uninstall, unless Parley was installed again; audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.testkit import requests as slack_requests
from storage.models import AuditEvent, LedgerEntry, Member, Negotiation, Workspace
from storage.queries.workspaces import ensure_workspace
from tests.privacy.conftest import mentions, seed_member
from tests.scheduling.conftest import TEAM_ID, World

NEEDLES = ["U0ALICE", "Alice Example", "U0BOB", "Bob Manager", "Acme renewal"]


def _uninstall(world: World) -> None:
    assert world.parley.send(slack_requests.app_uninstalled()).status == 200


def test_thirty_days_after_an_uninstall_everything_goes(world: World) -> None:
    seed_member(world)
    uninstalled = world.clock()
    _uninstall(world)
    world.tick(uninstalled + timedelta(days=29, hours=23))
    assert mentions(world.db.engine, NEEDLES) != []  # still within the 30 days
    world.tick(uninstalled + timedelta(days=30))
    assert mentions(world.db.engine, NEEDLES) == []
    with world.db.session() as session:
        workspace = session.scalars(select(Workspace)).one()
        assert workspace.team_id == TEAM_ID and workspace.erased_at == uninstalled + timedelta(days=30)
        assert session.scalar(select(func.count()).select_from(Member)) == 0
        assert session.scalar(select(func.count()).select_from(Negotiation)) == 0
        (event,) = session.scalars(select(AuditEvent)).all()  # the only row left: the record of it
        assert event.action == "workspace.erased"
        assert event.detail["counts"]["ledger_entries"] == 3 and event.detail["counts"]["members"] == 2
    world.tick(uninstalled + timedelta(days=31))  # idempotent: nothing more, no second event
    with world.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_installing_again_within_the_30_days_keeps_everything(world: World) -> None:
    seed_member(world)
    uninstalled = world.clock()
    _uninstall(world)
    with world.db.session() as session:  # reinstalled ten days later (the OAuth flow records it)
        ensure_workspace(session, TEAM_ID)
    world.tick(uninstalled + timedelta(days=40))
    with world.db.session() as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 3
        assert (
            session.scalars(select(AuditEvent.action).where(AuditEvent.action == "workspace.erased")).all()
            == []
        )
