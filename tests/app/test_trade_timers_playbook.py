"""Trade timers read the workspace's uploaded playbook version: its expiry and escalation hours reach
the next `parley tick` without a restart (the settings screen's overrides still come first)."""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

from storage.models import Workspace
from storage.queries.workspaces import ensure_workspace
from tests.app.test_trade_kit import TEAM, Desk, desk, later, team  # noqa: F401
from tests.scheduling.test_playbook_in_force import upload

QUICK = """
name = "Acme quick approvals"

[policy]
approval_reminder_hours = 2
approval_escalation_hours = 6
approval_expiry_hours = 12
"""


def test_an_uploaded_expiry_expires_a_waiting_request_at_the_next_tick(team: Desk) -> None:
    team.propose()
    team.tick(later(13))
    assert team.trade().status == "pending"  # the default playbook: 168 hours
    upload(team.db, QUICK, later(13))
    team.tick(later(13.5))
    assert team.trade().status == "expired"
    assert "trade.expired" in team.actions(team.trade().id)


def test_an_uploaded_escalation_delay_escalates_sooner(team: Desk) -> None:
    upload(team.db, QUICK, later(0))
    team.propose()
    team.tick(later(5))
    assert team.trade().escalated_at is None
    team.tick(later(7))
    assert team.trade().escalated_to == "U0DANA"


def test_the_workspace_setting_still_overrides_the_uploaded_playbook(team: Desk) -> None:
    upload(team.db, QUICK, later(0))
    with team.db.session() as session:
        workspace = session.get(Workspace, ensure_workspace(session, TEAM).id)
        assert workspace is not None
        workspace.settings = {"approval_expiry_hours": 48}
    team.propose()
    team.tick(later(13))
    assert team.trade().status == "pending"
    team.tick(later(49))
    assert team.trade().status == "expired"
