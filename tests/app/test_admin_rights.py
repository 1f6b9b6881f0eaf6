"""Admin rights follow Slack: cached at most 24 hours, refreshed at once by `user_change`."""

# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

from bot.testkit import requests_events
from templates.ids.settings import SettingsCallback
from tests.app.test_trade_kit import TEAM, Desk, desk, text_of  # noqa: F401

ADMIN = "U0ERIN"


def opens_admin_screen(desk: Desk) -> bool:
    desk.slack.clear_views(ADMIN)
    desk.parley.command("settings", user_id=ADMIN)
    views = desk.slack.open_views(ADMIN)
    return bool(views) and views[-1]["callback_id"] == SettingsCallback.OVERVIEW


def demote(desk: Desk) -> None:
    desk.slack.add_user(ADMIN, name="erin", real_name="Erin Admin", tz="Europe/London", is_admin=False)


def test_a_user_change_event_takes_admin_rights_away_at_the_next_request(desk: Desk) -> None:
    assert opens_admin_screen(desk)
    demote(desk)
    assert opens_admin_screen(desk)  # the cached flag: Parley has not heard yet
    event = {"type": "user_change", "user": desk.slack.user(ADMIN)}
    assert desk.parley.send(requests_events.event_callback(event, team_id=TEAM)).status == 200
    assert not opens_admin_screen(desk)
    (audited,) = [e for e in desk.audit() if e.action == "member.admin_rights"]
    assert (audited.detail["before"], audited.detail["after"]) == (True, False)


def test_without_an_event_the_cached_flag_lasts_at_most_24_hours(desk: Desk) -> None:
    assert opens_admin_screen(desk)
    demote(desk)
    desk.at(desk.clock.now + timedelta(hours=23))
    assert opens_admin_screen(desk)
    desk.at(desk.clock.now + timedelta(hours=1, minutes=1))
    assert not opens_admin_screen(desk)


def test_a_user_change_for_someone_parley_never_met_records_nobody(desk: Desk) -> None:
    event = {"type": "user_change", "user": desk.slack.user("U0CAROL")}
    assert desk.parley.send(requests_events.event_callback(event, team_id=TEAM)).status == 200
    from storage.models import Member

    with desk.db.session() as session:
        assert session.query(Member).filter_by(slack_user_id="U0CAROL").count() == 0
