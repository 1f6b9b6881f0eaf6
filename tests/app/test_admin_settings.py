"""`/negotiate settings` through the Slack app: admins see and change the workspace's settings with
field errors for bad values (nothing changes), every change is audited, non-admins are refused, and
`parley tick` honours a changed digest time without a restart."""

# ruff: noqa: F811

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.digests.build import DIGEST_OUTBOX_KIND
from bot.testkit import requests as slack_requests
from storage.queries.workspaces import find_workspace
from templates.ids.settings import SettingsAction, SettingsCallback
from tests.app.conftest import response_json
from tests.app.test_trade_kit import TEAM, Desk, desk, text_of  # noqa: F401

ADMIN = "U0ERIN"


def settings(desk: Desk) -> dict[str, Any]:
    with desk.db.session() as session:
        workspace = find_workspace(session, TEAM)
        return dict(workspace.settings or {}) if workspace else {}


def open_group(desk: Desk, group: str, user_id: str = ADMIN) -> dict[str, Any]:
    desk.parley.command("settings", user_id=user_id)
    overview = desk.parley.open_view(user_id)
    assert overview["callback_id"] == SettingsCallback.OVERVIEW
    desk.parley.click(SettingsAction.EDIT, user_id=user_id, view=overview, block_id=f"settings_group_{group}")
    view = desk.parley.open_view(user_id)
    assert view["callback_id"] == SettingsCallback.GROUP
    return view


def inputs(view: dict[str, Any]) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def test_an_admin_sees_every_setting_with_its_default(desk: Desk) -> None:
    desk.meet(ADMIN)
    desk.parley.command("settings", user_id=ADMIN)
    shown = text_of(desk.parley.open_view(ADMIN)).replace("\u200b", "")  # Slack shows no zero-width space
    for words in (
        "Digest day: *Mon*", "Digest time: *09:00* _(default)_", "Default currency: *USD*",
        "Organisation roll-up: smallest group shown: *3*", "Share counterpart history: *yes*",
        "Delete free text after (months): *off*", "When someone leaves: *Keep their records*",
        "Working hours and days: *09:00–18:00, Mon, Tue, Wed, Thu, Fri*", "Playbook:",
    ):  # fmt: skip
        assert words in shown, words
    actions = [e["action_id"] for b in desk.parley.open_view(ADMIN)["blocks"] for e in b.get("elements", [])]
    assert SettingsAction.MEMBERS in actions and SettingsAction.PLAYBOOK_OPEN in actions


def test_a_member_who_is_not_an_admin_gets_their_own_preferences_and_cannot_save_the_workspaces(
    desk: Desk,
) -> None:
    desk.meet("U0ALICE")
    desk.parley.command("settings", user_id="U0ALICE")
    assert desk.parley.open_view("U0ALICE")["callback_id"] != SettingsCallback.OVERVIEW
    # A forged group submission from a non-admin changes nothing.
    forged = open_group(desk, "digests")
    desk.slack.clear_views(ADMIN)
    response = desk.parley.send(
        slack_requests.view_submission(forged, {"setting_digest_time": "07:00"}, user_id="U0ALICE")
    )
    assert response_json(response)["response_action"] == "errors"
    assert "digest_time" not in settings(desk)
    # The admin screen's buttons refuse too.
    desk.parley.open_home(ADMIN)
    admin_home = desk.slack.home(ADMIN)
    assert admin_home is not None and SettingsAction.OPEN in str(admin_home)
    desk.parley.open_home("U0ALICE")
    assert SettingsAction.OPEN not in str(desk.slack.home("U0ALICE"))
    desk.parley.click(SettingsAction.OPEN, user_id="U0ALICE", view=admin_home)
    assert any("Only workspace admins" in text for text in desk.ephemerals("U0ALICE")) or any(
        "Only workspace admins" in text_of(m) for m in desk.parley.dms("U0ALICE")
    )


def test_a_changed_setting_is_stored_audited_and_shown(desk: Desk) -> None:
    view = open_group(desk, "digests")
    assert inputs(view) == [
        "setting_digest_day", "setting_digest_time", "setting_nudge_cadence", "setting_max_unanswered_nudges",
    ]  # fmt: skip
    response = desk.parley.submit(
        {
            "setting_digest_day": "wed",
            "setting_digest_time": "07:30",
            "setting_nudge_cadence": "due, after-2, before-2",
            "setting_max_unanswered_nudges": "4",
        },
        user_id=ADMIN,
    )
    assert response.status == 200 and not response.body
    stored = settings(desk)
    assert stored["digest_day"] == "wed" and stored["digest_time"] == "07:30"
    assert stored["nudge_cadence"] == ["before-2", "due", "after-2"]
    assert "max_unanswered_nudges" not in stored  # unchanged from the default: nothing stored
    events = [e for e in desk.audit() if e.action == "settings.changed"]
    assert sorted((e.detail["key"], e.detail["before"], e.detail["after"]) for e in events) == [
        ("digest_day", "mon", "wed"),
        ("digest_time", "09:00", "07:30"),
        ("nudge_cadence", ["before-1", "due", "after-1", "after-3"], ["before-2", "due", "after-2"]),
    ]
    admin_id = desk.meet(ADMIN)[ADMIN]
    assert all(e.actor_id == admin_id and e.at == desk.clock.now for e in events)
    overview = desk.slack.open_views(ADMIN)[0]  # the overview under the group modal shows the change
    assert "Digest time: *07:30*" in text_of(overview)


@pytest.mark.parametrize(
    ("group", "values", "block", "message"),
    [
        ("digests", {"setting_digest_time": "25:00"}, "setting_digest_time", "Pick a time"),
        ("digests", {"setting_nudge_cadence": "soon"}, "setting_nudge_cadence", "not a nudge step"),
        ("digests", {"setting_max_unanswered_nudges": "0"}, "setting_max_unanswered_nudges", "1 to 20"),
        ("approvals", {"setting_approval_expiry_hours": "48"}, "setting_approval_expiry_hours", "more than"),
        ("approvals", {"setting_default_currency": "XYZ"}, "setting_default_currency", "ISO 4217"),
        ("approvals", {"setting_max_concession": "lots"}, "setting_max_concession", "amount"),
        ("approvals", {"setting_balance_attention_ratio": "0"}, "setting_balance_attention_ratio", "above 0"),
        ("data", {"setting_rollup_min_cell": "-1"}, "setting_rollup_min_cell", "1 to 100"),
        ("data", {"setting_retention_text_months": "12", "setting_retention_all_months": "6"},
         "setting_retention_all_months", "at least"),
        ("time", {"setting_holidays": "2026-12-25\nChristmas"}, "setting_holidays", "not a date"),
        ("time", {"setting_holiday_country": "ZZ"}, "setting_holiday_country", "country code"),
        ("time", {"setting_working_hours_start": "18:00", "setting_working_hours_end": "09:00"},
         "setting_working_hours_days", "end after it starts"),
    ],
)  # fmt: skip
def test_a_bad_value_gets_a_field_error_and_nothing_changes(
    desk: Desk, group: str, values: dict[str, str], block: str, message: str
) -> None:
    view = open_group(desk, group)
    before = settings(desk)
    form = current_form(view)
    form.update(values)
    response = desk.parley.submit(form, user_id=ADMIN)
    body = response_json(response)
    assert body["response_action"] == "errors" and message in body["errors"][block]
    assert settings(desk) == before
    assert not [e for e in desk.audit() if e.action == "settings.changed"]


def current_form(view: dict[str, Any]) -> dict[str, Any]:
    """The values the modal shows (what an admin submits without touching anything)."""
    form: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        if element["type"] == "timepicker":
            form[block["block_id"]] = element["initial_time"]
        elif element["type"] == "checkboxes":
            form[block["block_id"]] = [o["value"] for o in element.get("initial_options", [])]
        elif element["type"] in ("static_select", "radio_buttons"):
            form[block["block_id"]] = element["initial_option"]["value"]
        else:
            form[block["block_id"]] = element.get("initial_value", "")
    return form


def test_every_group_saves_unchanged_without_an_error_or_a_change(desk: Desk) -> None:
    for group in ("time", "digests", "approvals", "data"):
        view = open_group(desk, group)
        response = desk.parley.submit(current_form(view), user_id=ADMIN)
        assert not response.body, (group, response.body)
        desk.slack.clear_views(ADMIN)
    assert settings(desk) == {}


def test_data_and_privacy_settings_are_stored_under_their_agreed_keys(desk: Desk) -> None:
    view = open_group(desk, "data")
    form = current_form(view) | {
        "setting_rollup_min_cell": "5", "setting_counterpart_sharing": "false",
        "setting_retention_text_months": "12", "setting_retention_all_months": "36",
        "setting_leaver_policy": "anonymise", "setting_leaver_anonymise_days": "14",
    }  # fmt: skip
    assert not desk.parley.submit(form, user_id=ADMIN).body
    stored = settings(desk)
    assert (stored["rollup_min_cell"], stored["counterpart_sharing"]) == (5, False)
    assert (stored["retention_text_months"], stored["retention_all_months"]) == (12, 36)
    assert (stored["leaver_policy"], stored["leaver_anonymise_days"]) == ("anonymise", 14)


def test_the_members_button_is_acknowledged_without_an_error(desk: Desk) -> None:
    desk.parley.command("settings", user_id=ADMIN)
    response = desk.parley.click(SettingsAction.MEMBERS, user_id=ADMIN, view=desk.parley.open_view(ADMIN))
    assert response.status == 200


def test_parley_tick_honours_a_changed_digest_time_without_a_restart(desk: Desk) -> None:
    """Erin (London) gets her digest at the new time on the new day; none at the old default."""
    desk.meet(ADMIN, "U0ALICE")
    view = open_group(desk, "digests")
    form = current_form(view) | {"setting_digest_day": "tue", "setting_digest_time": "15:00"}
    assert not desk.parley.submit(form, user_id=ADMIN).body
    monday_nine = datetime(2026, 11, 30, 9, 5, tzinfo=UTC)  # the default slot: nothing now
    desk.tick(monday_nine)
    assert not digests_to(desk, ADMIN)
    desk.tick(datetime(2026, 12, 1, 14, 55, tzinfo=UTC))  # Tuesday, before 15:00 London
    assert not digests_to(desk, ADMIN)
    desk.tick(datetime(2026, 12, 1, 15, 1, tzinfo=UTC))
    assert len(digests_to(desk, ADMIN)) == 1


def digests_to(desk: Desk, user_id: str) -> list[Any]:
    return [row for row in desk.outbox(DIGEST_OUTBOX_KIND) if row.target == user_id]


def test_workspace_settings_json_is_never_changed_in_place(desk: Desk) -> None:
    """Only keys a save changed are written; other keys (e.g. another feature's) are kept."""
    desk.meet(ADMIN)
    with desk.db.session() as session:
        workspace = find_workspace(session, TEAM)
        assert workspace is not None
        workspace.settings = {"executive_owner": "U0DANA"}
    view = open_group(desk, "approvals")
    form = current_form(view) | {"setting_default_currency": "eur", "setting_max_concession": "2,500"}
    assert not desk.parley.submit(form, user_id=ADMIN).body
    stored = settings(desk)
    assert stored["executive_owner"] == "U0DANA"
    assert (stored["default_currency"], stored["max_concession"]) == ("EUR", "2,500 EUR")


def test_a_member_sets_their_own_digest_and_nudge_preferences_from_settings(desk: Desk) -> None:
    desk.meet("U0ALICE")
    desk.parley.command("settings", user_id="U0ALICE")
    view = desk.parley.open_view("U0ALICE")
    form = current_form(view) | {"commit_digest": "fortnightly", "commit_digest_quiet": "skip"}
    assert "commit_digest" in form and "commit_hours_start" in form
    assert not desk.parley.submit(form, user_id="U0ALICE").body
    with desk.db.session() as session:
        from storage.models import Member

        member = session.query(Member).filter_by(slack_user_id="U0ALICE").one()
        assert (member.settings["digest"], member.settings["digest_quiet"]) == ("fortnightly", "skip")
    (event,) = [e for e in desk.audit() if e.action == "digest.settings"]
    assert event.detail == {"cadence": "fortnightly", "quiet": "skip"}
    forged = copy.deepcopy(view)  # a forged option Slack would never offer
    for block in forged["blocks"]:
        if block.get("block_id") == "commit_digest":
            block["element"]["options"].append(
                {"text": {"type": "plain_text", "text": "x"}, "value": "hourly"}
            )
    bad = current_form(view) | {"commit_digest": "hourly"}
    response = desk.parley.send(slack_requests.view_submission(forged, bad, user_id="U0ALICE"))
    assert "commit_digest" in response_json(response)["errors"]


def test_a_lower_approval_threshold_applies_to_the_next_trade_request(desk: Desk) -> None:
    """The standard terms give $1,500: under the default 5,000 maximum, over a 1,000 one."""
    desk.set_manager("U0ALICE", "U0BOB")
    desk.propose()
    first = text_of(desk.copy("U0BOB"))
    assert "maximum for one concession" not in first
    view = open_group(desk, "approvals")
    assert not desk.parley.submit(
        current_form(view) | {"setting_max_concession": "1,000"}, user_id=ADMIN
    ).body
    desk.slack.clear_views("U0ALICE")
    desk.propose(**{"trade_give": "a third coaching session"})
    assert "above the playbook's 1,000 USD maximum for one concession" in text_of(desk.copy("U0BOB"))


def test_a_commitment_due_on_a_workspace_holiday_is_flagged_when_recorded(desk: Desk) -> None:
    view = open_group(desk, "time")
    assert not desk.parley.submit(current_form(view) | {"setting_holidays": "2026-12-24"}, user_id=ADMIN).body
    desk.meet("U0ALICE")
    desk.parley.command("commit", user_id="U0ALICE")
    response = desk.parley.submit(
        {"commit_what": "Send the signed order form", "commit_owner": "U0ALICE", "commit_due": "2026-12-24"},
        user_id="U0ALICE",
    )
    assert not response.body
    assert "Thu 24 Dec 2026 is a holiday here" in text_of(desk.parley.dms("U0ALICE")[-1])
