"""The playground's admin (Omar) runs the enterprise standard from Slack in a real headless Chromium:
`/negotiate settings` (the overview, one group's form with a field error, then a saved change shown on
the overview) and `/negotiate playbook` (paste a version, see its diff, apply it). Screenshots land in
``artifacts/playground/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.playground.demo import Playground
from bot.playground.seed import ADMIN
from templates.ids.settings import PlaybookBlock, SettingsCallback
from tests.playground.conftest import needs_browser
from tests.playground.test_e2e import Slack, expect

PLAYBOOK = """name = "Northwind buying standard"

[policy]
digest_time = "10:00"
"""


@needs_browser
def test_the_admin_opens_settings_and_the_playbook(
    playground: Playground, page: Any, artifacts: Path
) -> None:
    slack = Slack(page, artifacts)
    page.goto(playground.url)
    slack.switch_to(ADMIN.user_id)

    slack.command("/negotiate settings")
    overview = slack.modal(SettingsCallback.OVERVIEW)
    expect(overview).to_be_visible()
    expect(overview).to_contain_text("Digest time: 09:00")
    slack.shot("12-admin-settings", overview)
    overview.locator('[data-block-id="settings_group_digests"]').get_by_role("button", name="Edit").click()
    group = slack.modal(SettingsCallback.GROUP)
    expect(group).to_be_visible()
    slack.field(group, "setting_max_unanswered_nudges").fill("99")
    group.get_by_role("button", name="Save").click()
    error = group.locator('[data-block-id="setting_max_unanswered_nudges"] [role="alert"]')
    expect(error).to_contain_text("1 to 20")
    slack.field(group, "setting_max_unanswered_nudges").fill("3")
    slack.field(group, "setting_digest_time").fill("10:30")
    group.get_by_role("button", name="Save").click()
    expect(group).to_be_hidden()
    expect(overview).to_contain_text("Digest time: 10:30")
    expect(overview).to_contain_text("Nudges before Parley stops: 3")
    slack.shot("13-admin-settings-saved", overview)
    overview.get_by_role("button", name="Close", exact=True).last.click()
    expect(overview).to_be_hidden()

    slack.command("/negotiate playbook")
    screen = slack.modal(SettingsCallback.PLAYBOOK)
    expect(screen).to_contain_text("Parley standard playbook")
    screen.get_by_role("button", name="Paste a new version").click()
    paste = slack.modal(SettingsCallback.PLAYBOOK_PASTE)
    expect(paste).to_be_visible()
    slack.field(paste, PlaybookBlock.TEXT).fill(PLAYBOOK)
    paste.get_by_role("button", name="Check").click()
    result = slack.modal(SettingsCallback.PLAYBOOK)
    expect(result).to_contain_text("Northwind buying standard is valid")
    expect(result).to_contain_text("policy digest_time: 09:00 → 10:00")
    slack.shot("14-admin-playbook-diff", result)
    result.get_by_role("button", name="Apply").click()
    expect(result).to_contain_text("Version 1 (Northwind buying standard) is now in force")
    expect(result).to_contain_text("In force: Northwind buying standard · version 1")
    slack.shot("15-admin-playbook-applied", result)
