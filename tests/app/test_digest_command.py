"""`/negotiate digest`: the week so far on demand (mine, my team's, the organisation's) and the
member's digest settings, through the real app and the strict fake Slack."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.services import Services
from bot.testkit.fake_slack import FakeSlack
from storage.db import Database
from storage.models import AuditEvent, Member
from templates.ids.digests import DigestAction
from tests.app.conftest import InlineExecutor, Parley, make_settings
from tests.digests.seeding import Seeded, add_users, seed_week, utc

SUNDAY_EVENING = utc(2026, 11, 22, 18)  # London's week of 16 Nov is still in progress


@pytest.fixture
def app(db: Database, slack: FakeSlack) -> Parley:
    services = Services(settings=make_settings(db, slack), db=db, clock=lambda: SUNDAY_EVENING)
    return Parley(build_app(services, listener_executor=InlineExecutor()), services, slack)


@pytest.fixture
def seeded(app: Parley, slack: FakeSlack) -> Seeded:
    add_users(slack)
    seeded = seed_week(app.services.db)
    with app.services.db.session() as session:  # profiles are fresh: no users.info on the way
        for member in session.scalars(select(Member)):
            member.profile_refreshed_at = SUNDAY_EVENING
    return seeded


def reply(app: Parley, user: str) -> dict[str, Any]:
    return app.slack.ephemerals(user=user)[-1]


def settings_of(app: Parley, member_id: int) -> dict[str, Any]:
    with app.services.db.session() as session:
        member = session.get(Member, member_id)
        assert member is not None
        return dict(member.settings)


def test_my_digest_for_the_week_so_far_comes_back_ephemerally(app: Parley, seeded: Seeded) -> None:
    response = app.command("digest", user_id="U0ALICE", channel_id="C0GENERAL")
    assert response.status == 200
    shown = reply(app, "U0ALICE")
    assert shown["channel"] == "C0GENERAL"
    assert shown["text"] == (
        "Your week so far (since Mon 16 Nov 2026): 2 negotiations (1 agreed); conceded 6,100 USD, received "
        "10,200 USD, 1.7×; 2 giveaways; 3,900 USD left behind."
    )
    blocks = str(shown["blocks"])
    assert "Most expensive giveaway: “Discount 5%” (3,000 USD)" in blocks
    assert "1 kept, 1 lapsed" in blocks and "Confirm the VPs — Wed 25 Nov" in blocks
    assert "'image'" not in blocks  # charts are drawn by the clock process only
    assert app.slack.messages(app.slack.dm_channel("U0ALICE")) == [] or all(
        "Your week" not in m["text"] for m in app.slack.messages(app.slack.dm_channel("U0ALICE"))
    )


def test_the_team_digest_is_for_managers(app: Parley, seeded: Seeded) -> None:
    app.command("digest team", user_id="U0ALICE")
    assert "Nobody reports to you in Parley" in str(reply(app, "U0ALICE")["blocks"])
    app.command("digest team", user_id="U0BOB")
    team = reply(app, "U0BOB")
    assert team["text"].startswith("Team of Bob Manager: the week so far (since Mon 16 Nov 2026): 2 reports")
    blocks = str(team["blocks"])
    assert "Alice Example      1/2    1.7×" in blocks and "Carol Closer" in blocks


def test_the_organisation_roll_up_is_for_the_owner_and_admins(app: Parley, seeded: Seeded) -> None:
    app.command("digest org", user_id="U0ALICE")
    assert "for the executive owner and admins" in str(reply(app, "U0ALICE")["blocks"])
    app.command("digest org", user_id="U0BOB")
    assert reply(app, "U0BOB")["text"].startswith("Example Org: where the organisation left money behind")


@pytest.mark.parametrize(
    ("args", "settings", "says"),
    [
        ("digest fortnightly", {"digest": "fortnightly"}, "every other week"),
        ("digest OFF", {"digest": "off"}, "Your digest is off"),
        ("digest weekly", {"digest": "weekly"}, "every week"),
        ("digest quiet   skip", {"digest_quiet": "skip"}, "Quiet weeks get no digest"),
        ("digest quiet send", {"digest_quiet": "send"}, "Quiet weeks get a short digest"),
    ],
)
def test_members_set_how_often_their_digest_comes(
    app: Parley, seeded: Seeded, args: str, settings: dict[str, str], says: str
) -> None:
    app.command(args, user_id="U0ALICE")
    assert settings_of(app, seeded.alice) == settings
    assert says in str(reply(app, "U0ALICE")["blocks"])
    with app.services.db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "digest.settings")).all()
        assert [(e.actor_id, e.subject_id) for e in events] == [(seeded.alice, seeded.alice)]


@pytest.mark.parametrize("args", ["digest sometimes", "digest team please", "digest <!channel>"])
def test_an_unknown_option_explains_the_options_and_changes_nothing(
    app: Parley, seeded: Seeded, args: str
) -> None:
    app.command(args, user_id="U0ALICE")
    shown = reply(app, "U0ALICE")
    assert "That isn't a digest option" in str(shown["blocks"]) and "digest fortnightly" in str(
        shown["blocks"]
    )
    assert "<!channel>" not in str(shown["blocks"])
    assert settings_of(app, seeded.alice) == {}


def test_help_lists_the_digest(app: Parley, seeded: Seeded) -> None:
    response = app.command("help", user_id="U0ALICE")
    assert "/negotiate digest [team | weekly | fortnightly | off | quiet skip]" in response.body


def test_the_prep_button_of_a_quiet_digest_opens_a_new_prep(app: Parley, seeded: Seeded) -> None:
    app.command("digest", user_id="U0BOB")
    digest = reply(app, "U0BOB")
    button = next(b for b in digest["blocks"] if b["type"] == "actions")["elements"][0]
    assert button["action_id"] == DigestAction.NEW_PREP
    app.click(DigestAction.NEW_PREP, user_id="U0BOB", message=digest, channel_id=digest["channel"])
    view = app.open_view("U0BOB")
    assert view["callback_id"] == "prep_submit"


def test_the_week_so_far_starts_again_on_monday(
    app: Parley, seeded: Seeded, db: Database, slack: FakeSlack
) -> None:
    later = Services(
        settings=app.services.settings, db=db, clock=lambda: SUNDAY_EVENING + timedelta(hours=16)
    )
    monday = Parley(build_app(later, listener_executor=InlineExecutor()), later, slack)
    monday.command("digest", user_id="U0ALICE")
    assert reply(monday, "U0ALICE")["text"].startswith(
        "Your week so far (since Mon 23 Nov 2026): No negotiations"
    )
