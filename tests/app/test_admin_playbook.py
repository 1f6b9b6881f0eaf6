"""`/negotiate playbook` through the Slack app: the playbook in force, a pasted upload answered with
every problem (nothing stored) or a diff summary with Apply/Discard, versions and one-click rollback,
the version recorded on plans, and the current playbook downloaded as a file."""

# ruff: noqa: F811

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import PlaybookVersion, PrepPlan
from templates.ids.settings import PlaybookBlock, SettingsAction, SettingsCallback
from tests.app.conftest import response_json
from tests.app.test_prep import CUSTOMER, prep_values
from tests.app.test_trade_kit import Desk, desk, text_of  # noqa: F401

ADMIN = "U0ERIN"
GOOD = """
name = "Acme buying standard"

[policy]
digest_time = "10:00"

[questions]
supplier = ["What would make this easy for you to say yes to?", "Who else signs this off?"]
"""
BAD = """
name = "Broken"

[policy]
digest_time = "25:99"
max_unanswered_nudges = 0
nudge_cadence = ["someday"]
"""


def open_playbook(desk: Desk, user_id: str = ADMIN) -> dict[str, Any]:
    desk.parley.command("playbook", user_id=user_id)
    view = desk.parley.open_view(user_id)
    assert view["callback_id"] == SettingsCallback.PLAYBOOK
    return view


def paste(desk: Desk, text: str) -> dict[str, Any]:
    screen = open_playbook(desk)
    desk.parley.click(SettingsAction.PLAYBOOK_PASTE, user_id=ADMIN, view=screen)
    response = desk.parley.submit({PlaybookBlock.TEXT: text}, user_id=ADMIN)
    body = response_json(response)
    assert body["response_action"] == "update", body
    return dict(body["view"])


def versions(desk: Desk) -> list[PlaybookVersion]:
    with desk.db.session() as session:
        rows = list(session.scalars(select(PlaybookVersion).order_by(PlaybookVersion.id)))
        session.expunge_all()
        return rows


def test_an_admin_sees_the_playbook_in_force_and_others_are_refused(desk: Desk) -> None:
    shown = text_of(open_playbook(desk))
    assert "In force:* Parley standard playbook · the default" in shown
    desk.meet("U0ALICE")
    desk.parley.command("playbook", user_id="U0ALICE")
    assert not desk.slack.open_views("U0ALICE")


def test_an_invalid_playbook_gets_every_problem_by_file_and_key_and_nothing_is_stored(desk: Desk) -> None:
    shown = text_of(paste(desk, BAD))
    assert "nothing changed" in shown
    for path in ("pasted.toml:policy.digest_time", "pasted.toml:policy.max_unanswered_nudges",
                 "pasted.toml:policy.nudge_cadence"):  # fmt: skip
        assert path in shown, path
    assert versions(desk) == []
    broken = text_of(paste(desk, 'name = "x"\n[policy\n'))
    assert "pasted.toml:2:" in broken and versions(desk) == []


def test_a_valid_upload_shows_its_diff_and_applies_as_version_1(desk: Desk) -> None:
    view = paste(desk, GOOD)
    shown = text_of(view)
    assert "Acme buying standard* is valid" in shown
    assert "questions for suppliers replaced" in shown and "policy digest_time: 09:00 → 10:00" in shown
    (draft,) = versions(desk)
    assert (draft.status, draft.version) == ("draft", None)
    desk.slack.clear_views(ADMIN)
    screen = open_playbook(desk)
    assert "Acme" not in text_of(screen)  # nothing in force until applied
    desk.parley.click(SettingsAction.PLAYBOOK_APPLY, user_id=ADMIN, view=view)
    (applied,) = versions(desk)
    assert (applied.status, applied.version) == ("applied", 1)
    assert [e.action for e in desk.audit() if e.action.startswith("playbook.")] == [
        "playbook.uploaded",
        "playbook.applied",
    ]
    desk.slack.clear_views(ADMIN)
    assert "In force:* Acme buying standard · version 1" in text_of(open_playbook(desk))
    # Applying twice (a double click) changes nothing more.
    desk.parley.click(SettingsAction.PLAYBOOK_APPLY, user_id=ADMIN, view=view)
    assert [v.version for v in versions(desk)] == [1]


def test_a_discarded_upload_changes_nothing(desk: Desk) -> None:
    view = paste(desk, GOOD)
    desk.parley.click(SettingsAction.PLAYBOOK_DISCARD, user_id=ADMIN, view=view)
    (row,) = versions(desk)
    assert row.status == "discarded"
    desk.slack.clear_views(ADMIN)
    assert "the default" in text_of(open_playbook(desk))


def test_rollback_to_an_earlier_version_in_one_click_and_plans_record_the_version(desk: Desk) -> None:
    desk.parley.click(SettingsAction.PLAYBOOK_APPLY, user_id=ADMIN, view=paste(desk, GOOD))
    desk.slack.clear_views(ADMIN)
    second = GOOD.replace("Acme buying standard", "Acme v2").replace("10:00", "11:00")
    desk.parley.click(SettingsAction.PLAYBOOK_APPLY, user_id=ADMIN, view=paste(desk, second))
    desk.slack.clear_views(ADMIN)
    assert [(v.version, v.status) for v in versions(desk)] == [(1, "applied"), (2, "applied")]

    # A prep now records version 2.
    desk.meet("U0ALICE")
    desk.parley.command("prep", user_id="U0ALICE")
    assert not response_json(desk.parley.submit(prep_values(CUSTOMER), user_id="U0ALICE"))

    screen = open_playbook(desk)
    assert "Acme v2 · version 2" in text_of(screen)
    first_id = versions(desk)[0].id
    desk.parley.click(
        SettingsAction.PLAYBOOK_ROLLBACK,
        user_id=ADMIN,
        view=screen,
        block_id=rollback_block(screen, first_id),
    )
    desk.slack.clear_views(ADMIN)
    assert "In force:* Acme buying standard · version 1" in text_of(open_playbook(desk))
    assert [e.detail for e in desk.audit() if e.action == "playbook.rolled_back"] == [
        {"before": 2, "after": 1}
    ]
    with desk.db.session() as session:
        assert [p.playbook_version for p in session.scalars(select(PrepPlan))] == [2]


def rollback_block(view: dict[str, Any], version_id: int) -> str:
    for block in view["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get(
            "action_id"
        ) == SettingsAction.PLAYBOOK_ROLLBACK and f'"id":{version_id}' in accessory.get("value", ""):
            return str(block["block_id"])
    raise AssertionError("no rollback button for that version")


def test_download_sends_the_playbook_in_force_as_a_file_in_the_dm(desk: Desk) -> None:
    screen = open_playbook(desk)
    desk.parley.click(SettingsAction.PLAYBOOK_DOWNLOAD, user_id=ADMIN, view=screen)
    (default,) = desk.slack.files()
    assert default["filename"] == "parley-default-playbook.toml" and b"[policy]" in default["content"]
    assert desk.slack.dm_channel(ADMIN) in default["channels"]
    desk.slack.clear_views(ADMIN)
    desk.parley.click(SettingsAction.PLAYBOOK_APPLY, user_id=ADMIN, view=paste(desk, GOOD))
    desk.slack.clear_views(ADMIN)
    desk.parley.click(SettingsAction.PLAYBOOK_DOWNLOAD, user_id=ADMIN, view=open_playbook(desk))
    latest = desk.slack.files()[-1]
    assert latest["filename"] == "playbook-v1.toml" and latest["content"].decode() == GOOD


def test_a_non_admin_cannot_apply_an_upload_by_forging_the_button(desk: Desk) -> None:
    view = paste(desk, GOOD)
    desk.meet("U0ALICE")
    desk.parley.click(SettingsAction.PLAYBOOK_APPLY, user_id="U0ALICE", view=view)
    assert [v.status for v in versions(desk)] == ["draft"]


def share(desk: Desk, user_id: str, filename: str, content: str) -> Any:
    from bot.testkit import requests_events

    file = desk.slack.share_file(user_id, filename, content.encode())
    event = {
        "type": "message", "subtype": "file_share", "channel_type": "im",
        "channel": desk.slack.dm_channel(user_id), "user": user_id, "text": "", "files": [file],
        "upload": True, "ts": "1700000000.000100",
    }  # fmt: skip
    return desk.parley.send(requests_events.event_callback(event, team_id="T0EXAMPLE"))


def test_a_playbook_shared_as_a_file_in_the_dm_is_checked_and_can_be_applied(desk: Desk) -> None:
    desk.meet(ADMIN)
    assert share(desk, ADMIN, "acme.toml", BAD).status == 200
    answer = text_of(desk.parley.dms(ADMIN)[-1])
    assert "acme.toml can't be used; nothing changed" in answer and "acme.toml:policy.digest_time" in answer
    assert versions(desk) == []
    share(desk, ADMIN, "acme.toml", GOOD)
    message = desk.parley.dms(ADMIN)[-1]
    assert "questions for suppliers replaced" in text_of(message)
    desk.parley.click(SettingsAction.PLAYBOOK_APPLY, user_id=ADMIN, message=message)
    assert [(v.version, v.source) for v in versions(desk)] == [(1, "acme.toml")]
    downloads = [c for c in desk.slack.calls if c.method == "files-pri"]
    assert downloads and all(
        c.token == desk.parley.services.settings.slack.bot_token.reveal() for c in downloads
    )


def test_a_member_who_is_not_an_admin_sharing_a_playbook_is_told_and_nothing_is_read(desk: Desk) -> None:
    desk.meet("U0ALICE")
    share(desk, "U0ALICE", "mine.toml", GOOD)
    assert "Only workspace admins" in text_of(desk.parley.dms("U0ALICE")[-1])
    assert versions(desk) == [] and not [c for c in desk.slack.calls if c.method == "files-pri"]
