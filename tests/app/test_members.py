"""First contact: members are recorded from users.info, cached, refreshed when stale, never lost."""

from __future__ import annotations

from datetime import timedelta

from bot.members import PROFILE_TTL, resolve_actor
from bot.services import Services
from storage.queries.idempotency import claim
from storage.queries.workspaces import ensure_workspace
from tests.app.conftest import NOW, Parley


def at(parley: Parley, offset: timedelta) -> Services:
    return Services(settings=parley.services.settings, db=parley.services.db, clock=lambda: NOW + offset)


def test_first_contact_records_profile_and_time_zone(parley: Parley) -> None:
    actor = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", "U0BOB")
    assert actor.is_new
    assert actor.tz == "America/New_York"
    assert actor.display_name
    assert actor.style is None
    assert [call.method for call in parley.slack.calls_to("users.info")] == ["users.info"]


def test_cached_profile_is_not_fetched_again_until_stale(parley: Parley) -> None:
    first = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", "U0ALICE")
    again = resolve_actor(
        at(parley, PROFILE_TTL - timedelta(minutes=1)), parley.app.client, "T0EXAMPLE", "U0ALICE"
    )
    assert again.member_id == first.member_id and not again.is_new
    assert len(parley.slack.calls_to("users.info")) == 1
    resolve_actor(at(parley, PROFILE_TTL + timedelta(minutes=1)), parley.app.client, "T0EXAMPLE", "U0ALICE")
    assert len(parley.slack.calls_to("users.info")) == 2


def test_member_is_recorded_even_when_slack_fails(parley: Parley) -> None:
    parley.slack.fail_next("users.info", status=500, times=5)
    actor = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", "U0ALICE")
    assert actor.is_new
    assert actor.tz == "UTC"


def test_workspaces_are_isolated(parley: Parley) -> None:
    alice_here = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", "U0ALICE")
    alice_there = resolve_actor(parley.services, parley.app.client, "T0OTHER", "U0ALICE")
    assert alice_here.workspace_id != alice_there.workspace_id
    assert alice_here.member_id != alice_there.member_id


def test_idempotency_claim_is_first_one_wins(parley: Parley) -> None:
    with parley.services.db.session() as session:
        workspace = ensure_workspace(session, "T0EXAMPLE")
        assert claim(session, workspace.id, "view:V1:hash1")
        assert not claim(session, workspace.id, "view:V1:hash1")
        assert claim(session, workspace.id, "view:V1:hash2")
