"""A member's own preferences from `/negotiate settings`: how dates are written for them and whose
public holidays they keep — validated with field errors, audited, and honoured by what they read."""

# The fixtures come from tests/app/test_trade_kit.py; pytest passes them in by name.
# ruff: noqa: F811

from __future__ import annotations

import copy
from typing import Any

from bot.testkit import requests as slack_requests
from storage.models import Member
from tests.app.conftest import response_json
from tests.app.test_admin_settings import current_form
from tests.app.test_trade_kit import Desk, desk, text_of  # noqa: F401


def preferences(desk: Desk, user_id: str = "U0ALICE") -> dict[str, Any]:
    desk.meet(user_id)
    desk.parley.command("settings", user_id=user_id)
    return desk.parley.open_view(user_id)


def stored(desk: Desk, user_id: str = "U0ALICE") -> dict[str, Any]:
    with desk.db.session() as session:
        member = session.query(Member).filter_by(slack_user_id=user_id).one()
        return dict(member.settings or {})


def commit(desk: Desk, due: str, user_id: str = "U0ALICE") -> str:
    desk.parley.command("commit", user_id=user_id)
    response = desk.parley.submit(
        {"commit_what": "Send the signed order form", "commit_owner": user_id, "commit_due": due},
        user_id=user_id,
    )
    assert not response.body, response.body
    return text_of(desk.parley.dms(user_id)[-1])


def test_the_defaults_are_shown_and_a_member_saves_their_choices(desk: Desk) -> None:
    view = preferences(desk)
    form = current_form(view)
    assert (form["commit_date_style"], form["commit_holiday_country"]) == ("short", "")
    labels = [o["text"]["text"] for b in view["blocks"] if b.get("block_id") == "commit_date_style"
              for o in b["element"]["options"]]  # fmt: skip
    assert labels == ["Sun 6 Dec 2026", "Sunday 6 December 2026", "Sunday, December 6, 2026", "2026-12-06"]
    hint = next(b["hint"]["text"] for b in view["blocks"] if b.get("block_id") == "commit_holiday_country")
    assert "(GB)" in hint  # Alice is in Europe/London
    assert not desk.parley.submit(form | {"commit_date_style": "us", "commit_holiday_country": " de "}).body
    assert (stored(desk)["date_style"], stored(desk)["holiday_country"]) == ("us", "DE")
    (event,) = [e for e in desk.audit() if e.action == "member.nudge_settings"]
    assert (event.detail["date_style"], event.detail["holiday_country"]) == ("us", "DE")
    again = current_form(preferences(desk))
    assert (again["commit_date_style"], again["commit_holiday_country"]) == ("us", "DE")
    assert not desk.parley.submit(again | {"commit_holiday_country": ""}).body  # back to the time zone's
    assert "holiday_country" not in stored(desk)


def test_an_unknown_country_or_a_forged_style_is_refused_and_nothing_changes(desk: Desk) -> None:
    view = preferences(desk)
    before = stored(desk)
    for bad in ("XX", "DEU", "D", "n0"):
        response = desk.parley.submit(current_form(view) | {"commit_holiday_country": bad})
        errors = response_json(response)["errors"]
        assert "two-letter country code Parley knows" in errors["commit_holiday_country"]
    forged = copy.deepcopy(view)
    for block in forged["blocks"]:
        if block.get("block_id") == "commit_date_style":
            option = {"text": {"type": "plain_text", "text": "x"}, "value": "roman"}
            block["element"]["options"].append(option)
    bad_form = current_form(view) | {"commit_date_style": "roman"}
    response = desk.parley.send(slack_requests.view_submission(forged, bad_form, user_id="U0ALICE"))
    assert "commit_date_style" in response_json(response)["errors"]
    assert stored(desk) == before


def test_dates_are_written_the_members_way_in_replies_and_home_and_others_keep_theirs(desk: Desk) -> None:
    assert not desk.parley.submit(current_form(preferences(desk)) | {"commit_date_style": "us"}).body
    assert "Thursday, December 24, 2026" in commit(desk, "2026-12-24")
    desk.parley.open_home("U0ALICE")
    assert "Due Thursday, December 24, 2026" in text_of(desk.slack.home("U0ALICE") or {})
    desk.meet("U0BOB")
    assert "Wed 23 Dec 2026" in commit(desk, "2026-12-23", user_id="U0BOB")  # Bob keeps the default
    assert not desk.parley.submit(current_form(preferences(desk)) | {"commit_date_style": "iso"}).body
    desk.parley.open_home("U0ALICE")
    assert "Due 2026-12-24" in text_of(desk.slack.home("U0ALICE") or {})


def test_saving_a_date_style_redraws_the_home_tab_in_it_at_once(desk: Desk) -> None:
    """The Home tab already on screen shows the new style without the member opening it again."""
    commit(desk, "2026-12-24")
    desk.parley.open_home("U0ALICE")
    assert "Due Thu 24 Dec 2026" in text_of(desk.slack.home("U0ALICE") or {})
    assert not desk.parley.submit(current_form(preferences(desk)) | {"commit_date_style": "iso"}).body
    home = text_of(desk.slack.home("U0ALICE") or {})
    assert "Due 2026-12-24" in home
    assert "Thu 24 Dec 2026" not in home


def test_a_due_date_on_the_members_own_countrys_holiday_is_flagged(desk: Desk) -> None:
    """Ascension Day, Thu 6 May 2027: a German public holiday, not a British one."""
    preferences(desk)
    assert "is a holiday here" not in commit(desk, "2027-05-06")
    view = preferences(desk)
    assert not desk.parley.submit(current_form(view) | {"commit_holiday_country": "DE"}).body
    assert "Thu 6 May 2027 is a holiday here" in commit(desk, "2027-05-06")


def language_labels(view: dict[str, Any]) -> list[str]:
    block = next(b for b in view["blocks"] if b.get("block_id") == "commit_date_language")
    return [o["text"]["text"] for o in block["element"]["options"]]


def test_dates_follow_the_members_slack_language_until_they_choose_another(desk: Desk) -> None:
    desk.slack.add_user("U0FLEUR", tz="Europe/Paris", locale="fr-FR")
    view = preferences(desk, "U0FLEUR")
    assert current_form(view)["commit_date_language"] == "slack"
    assert language_labels(view)[0] == "Your Slack language (Français): dim. 6 déc. 2026"
    assert "Deutsch: So., 6. Dez. 2026" in language_labels(view)
    styles = [o["text"]["text"] for b in view["blocks"] if b.get("block_id") == "commit_date_style"
              for o in b["element"]["options"]]  # fmt: skip
    # the US order is English's: not offered in French
    assert styles == ["dim. 6 déc. 2026", "dimanche 6 décembre 2026", "2026-12-06"]
    assert "jeu. 24 déc. 2026" in commit(desk, "2026-12-24", user_id="U0FLEUR")
    assert "date_language" not in stored(desk, "U0FLEUR")
    form = current_form(preferences(desk, "U0FLEUR")) | {"commit_date_language": "de-DE"}
    assert not desk.parley.submit(form, user_id="U0FLEUR").body
    assert stored(desk, "U0FLEUR")["date_language"] == "de-DE"
    assert "Do., 24. Dez. 2026" in commit(desk, "2026-12-24", user_id="U0FLEUR")
    desk.parley.open_home("U0FLEUR")
    assert "Do., 24. Dez. 2026" in text_of(desk.slack.home("U0FLEUR") or {})
    form = current_form(preferences(desk, "U0FLEUR")) | {"commit_date_language": "slack"}
    assert not desk.parley.submit(form, user_id="U0FLEUR").body
    assert "date_language" not in stored(desk, "U0FLEUR")  # back to following Slack
    assert "jeu. 24 déc. 2026" in commit(desk, "2026-12-24", user_id="U0FLEUR")


def test_an_american_reads_us_dates_by_default_and_a_forged_language_is_refused(desk: Desk) -> None:
    desk.slack.add_user("U0SAM", tz="America/New_York", locale="en-US")
    view = preferences(desk, "U0SAM")
    assert current_form(view)["commit_date_style"] == "us"
    assert "Thursday, December 24, 2026" in commit(desk, "2026-12-24", user_id="U0SAM")
    before = stored(desk, "U0SAM")
    forged = copy.deepcopy(view)
    for block in forged["blocks"]:
        if block.get("block_id") == "commit_date_language":
            block["element"]["options"].append({"text": {"type": "plain_text", "text": "x"}, "value": "tlh"})
    bad_form = current_form(view) | {"commit_date_language": "tlh"}
    response = desk.parley.send(slack_requests.view_submission(forged, bad_form, user_id="U0SAM"))
    assert response_json(response)["errors"]["commit_date_language"] == "Pick one of the languages."
    assert stored(desk, "U0SAM") == before
