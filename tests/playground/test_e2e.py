"""`parley demo` end to end in a real headless Chromium, following the issue's script.

A new user opens the page, runs ``/negotiate style`` and answers it, runs ``/negotiate prep``, submits
a date in the past and sees the field error, fixes it, reads the prep plan, proposes a trade from it;
switches to the manager, approves it; switches back and sees the decision; jumps to Monday 09:00
and reads the weekly digest with its chart. Every step goes through the page, which sends the real
app signed Slack requests. Screenshots of the key states land in ``artifacts/playground/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.playground.demo import Playground
from bot.playground.demo_team import MANAGER, NEWCOMER
from templates.ids.commitments import CommitAction, CommitBlock, CommitCallback
from templates.ids.prep import PrepBlock, PrepCallback
from templates.ids.style import StyleCallback
from templates.ids.trades import TradeAction, TradeBlock, TradeCallback
from tests.playground.conftest import needs_browser

YESTERDAY = "2026-11-17"  # the day before the playground's start (Wed 18 Nov 2026) in London
MEETING = "2026-11-25"
GIVE = "Quarterly business review"
GET = "Payment up front"


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


class Slack:
    """What a person does in the page, in the page's own words (roles, labels, block ids)."""

    def __init__(self, page: Any, artifacts: Path) -> None:
        self.page = page
        self.artifacts = artifacts

    @property
    def composer(self) -> Any:
        return self.page.get_by_role("combobox", name="Message Parley")

    @property
    def messages(self) -> Any:
        return self.page.locator("#messages > li.message")

    def message(self, text: str) -> Any:
        return self.messages.filter(has_text=text).last

    def modal(self, callback_id: str) -> Any:
        return self.page.locator(f'.modal[data-callback-id="{callback_id}"]')

    def field(self, modal: Any, block_id: str) -> Any:
        return modal.locator(f'[data-block-id="{block_id}"]').locator("input, select, textarea").first

    def command(self, text: str) -> None:
        composer = self.composer
        composer.fill(text)
        composer.press("Enter")
        expect(composer).to_have_value("")

    def switch_to(self, user_id: str) -> None:
        self.page.get_by_label("You are").select_option(user_id)
        expect(self.page.locator(f'body[data-me="{user_id}"]')).to_have_count(1)
        expect(self.page.locator("#clock")).to_contain_text("·")
        expect(self.page.get_by_role("tab", name="Messages")).to_have_attribute("aria-selected", "true")

    def shot(self, name: str, focus: Any = None) -> Path:
        if focus is not None:
            from playwright.sync_api import Error as PlaywrightError

            # The pane re-renders when a message arrives (a job may still be posting), which can
            # detach the element between finding and scrolling; the locator finds it again.
            for attempt in range(5):
                try:
                    focus.scroll_into_view_if_needed()
                    break
                except PlaywrightError as error:
                    if "not attached" not in str(error) or attempt == 4:
                        raise
        path = self.artifacts / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@needs_browser
def test_the_issue_script_in_a_real_browser(playground: Playground, page: Any, artifacts: Path) -> None:
    slack = Slack(page, artifacts)
    page.goto(playground.url)

    # A new user opens the page: they are Alex, in their DM with Parley.
    expect(page.get_by_label("You are")).to_have_value(NEWCOMER.user_id)
    expect(page.get_by_role("heading", name="Parley")).to_be_visible()
    slack.composer.fill("/")
    expect(page.get_by_role("option", name="/negotiate style")).to_be_visible()
    slack.shot("01-slash-suggestions")

    # /negotiate style, chosen with the keyboard and answered: the style card arrives in the DM.
    slack.composer.fill("/negotiate st")
    slack.composer.press("ArrowDown")
    slack.composer.press("Enter")
    expect(slack.composer).to_have_value("/negotiate style ")
    slack.composer.press("Enter")
    style = slack.modal(StyleCallback.ASSESSMENT)
    expect(style).to_be_visible()
    for question in style.locator('[role="radiogroup"]').all():
        question.locator("input").first.check()
    slack.shot("02-style-assessment")
    style.get_by_role("button", name="See my style").click()
    expect(style).to_be_hidden()
    card = slack.message("Your negotiating style")
    expect(card).to_be_visible()

    # /negotiate prep with a date in the past: the error shows under the date, nothing is lost.
    slack.command("/negotiate prep Renewal with Northwind")
    prep = slack.modal(PrepCallback.SUBMIT)
    expect(prep).to_be_visible()
    expect(slack.field(prep, PrepBlock.TITLE)).to_have_value("Renewal with Northwind")
    slack.field(prep, PrepBlock.COUNTERPART_KIND).select_option("customer")
    slack.field(prep, PrepBlock.COUNTERPART_NAME).fill("Northwind Ltd")
    slack.field(prep, PrepBlock.DATE).fill(YESTERDAY)
    slack.field(prep, PrepBlock.OBJECTIVES).fill("Renew for 24 months\nKeep the discount under 5%")
    slack.field(prep, PrepBlock.LIMITS).fill("Discount above 10%")
    slack.field(prep, PrepBlock.WALK_AWAY).fill("Renewal below $100,000 a year")
    slack.field(prep, PrepBlock.TRADEABLES).fill(
        f"{GIVE} – $500 – worth $2,000\nExtra onboarding workshop – $1,500 – worth $4,000"
    )
    slack.field(prep, PrepBlock.WANTS).fill(f"{GET} – worth $3,000\n24-month term – worth $20,000")
    prep.get_by_role("button", name="Get my plan").click()
    date_error = prep.locator(f'[data-block-id="{PrepBlock.DATE}"] [role="alert"]')
    expect(date_error).to_contain_text("has already passed")
    expect(slack.field(prep, PrepBlock.DATE)).to_have_attribute("aria-invalid", "true")
    expect(slack.field(prep, PrepBlock.OBJECTIVES)).to_have_value(
        "Renew for 24 months\nKeep the discount under 5%"
    )
    slack.shot("03-prep-bad-date", date_error)

    # Fixed: the modal closes and the plan arrives in the DM.
    slack.field(prep, PrepBlock.DATE).fill(MEETING)
    prep.get_by_role("button", name="Get my plan").click()
    expect(prep).to_be_hidden()
    plan = slack.message("Prep plan: Renewal with Northwind")
    expect(plan).to_be_visible()
    expect(plan).to_contain_text("Discount above 10%")
    # Parley remembers Northwind (seeded as "Northwind Ltd", "northwind", "Northwind Ltd."): Alex sees
    # the workspace's history with them, as totals (the deals are Leo's).
    expect(plan).to_contain_text("Met Northwind Ltd")
    expect(plan).not_to_contain_text("Leo Carter")
    slack.shot("04-prep-plan", plan.get_by_role("heading").first)

    # Propose a trade from the plan.
    plan.locator(f'[data-action-id="{TradeAction.PROPOSE}"]').click()
    trade = slack.modal(TradeCallback.PROPOSE)
    expect(trade).to_be_visible()
    slack.field(trade, TradeBlock.GET).fill(GET)
    slack.field(trade, TradeBlock.GET_VALUE).fill("$3,000")
    slack.field(trade, TradeBlock.GIVE).fill(GIVE)
    slack.field(trade, TradeBlock.GIVE_COST).fill("$500")
    slack.field(trade, TradeBlock.REASON).fill("They asked for more attention; a review costs us little.")
    slack.shot("05-trade-proposal")
    trade.get_by_role("button", name="Send for approval").click()
    expect(trade).to_be_hidden()
    mine = slack.message(f"“{GIVE}”")
    expect(mine).to_contain_text("Waiting on")

    # The manager approves it in her DM: the request is updated in place.
    slack.switch_to(MANAGER.user_id)
    request = slack.message(f"“{GIVE}”")
    expect(request).to_contain_text("Alex Kim")
    approve = request.locator(f'[data-action-id="{TradeAction.APPROVE}"]')
    expect(approve).to_be_visible()
    ts = request.get_attribute("data-ts")
    slack.shot("06-approval-before", request)
    approve.click()
    decided = page.locator(f'#messages > li.message[data-ts="{ts}"]')
    expect(decided).to_contain_text("Approved")
    expect(decided.locator(f'[data-action-id="{TradeAction.APPROVE}"]')).to_have_count(0)
    slack.shot("07-approval-after", decided)

    # Back as Alex: the decision is on the proposal and in its thread.
    slack.switch_to(NEWCOMER.user_id)
    mine = slack.message(f"“{GIVE}”")
    expect(mine).to_contain_text("Approved")
    expect(mine).to_contain_text("Maya Patel")
    slack.shot("08-decision-seen", mine)

    # Time travel to Monday 09:00: the weekly digests arrive — Alex's week, and Maya's team digest
    # with its chart (learners' digests have none).
    page.get_by_role("button", name="Next Monday 09:00").click()
    expect(page.locator("#clock")).to_contain_text("Mon 23 Nov, 09:0", timeout=30_000)
    expect(slack.message("Your week in negotiations")).to_be_visible(timeout=30_000)
    slack.switch_to(MANAGER.user_id)
    digest = slack.message(f"Team of {MANAGER.name}")
    chart = digest.locator("img")
    expect(chart).to_be_visible(timeout=30_000)
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the digest chart did not load"
    slack.shot("09-digest", digest.get_by_role("heading").first)
    slack.shot("10-digest-chart", chart)
    page.get_by_role("tab", name="Home").click()
    expect(page.locator("#home-view")).to_contain_text("Your team")
    # Her team's counterparts, with last contact, deal count and balance (Leo reports to her).
    expect(page.locator("#home-view")).to_contain_text("Counterparts")
    expect(page.locator("#home-view")).to_contain_text("Northwind Ltd")
    expect(page.locator("#home-view")).to_contain_text("balance")
    slack.shot("11-app-home")


SEATS = "Two spare seats at the March course"


@needs_browser
def test_cards_tell_the_current_state_after_expiry_and_after_done(
    playground: Playground, page: Any, artifacts: Path
) -> None:
    """Issue 15: a trade nobody decided expires by the clock and both people's cards say so, with no
    live buttons left; a commitment marked done from the list leaves its "Recorded" card without
    buttons too (updated through the outbox). Screenshots: 12–15."""
    slack = Slack(page, artifacts)
    page.goto(playground.url)
    expect(page.get_by_label("You are")).to_have_value(NEWCOMER.user_id)

    # Alex proposes a trade; Maya never decides.
    slack.command("/negotiate trade")
    trade = slack.modal(TradeCallback.PROPOSE)
    expect(trade).to_be_visible()
    slack.field(trade, TradeBlock.GET).fill(GET)
    slack.field(trade, TradeBlock.GET_VALUE).fill("$3,000")
    slack.field(trade, TradeBlock.GIVE).fill(SEATS)
    slack.field(trade, TradeBlock.GIVE_COST).fill("$900")
    trade.get_by_role("button", name="Send for approval").click()
    expect(trade).to_be_hidden()
    mine = slack.message(f"“{SEATS}”")
    expect(mine.locator(f'[data-action-id="{TradeAction.WITHDRAW}"]')).to_be_visible()
    ts = mine.get_attribute("data-ts")

    # A week and a day later (past the playbook's 168 hours): expired, on both cards, in place.
    page.locator("#travel-to").fill("+8 days")
    page.locator("#travel-to").press("Enter")
    card = page.locator(f'#messages > li.message[data-ts="{ts}"]')
    expect(card).to_contain_text("Trade expired", timeout=30_000)
    expect(card).not_to_contain_text("Waiting on")
    expect(card.locator(".bk-button")).to_have_count(0)
    slack.shot("12-trade-expired-proposer", card)
    # Many seeded trades expired in the same jump: updates past Slack's chat.update pace wait for the
    # clock process's next run (the playground ticks every few seconds; this test ticks by hand).
    playground.ticker.tick()
    slack.switch_to(MANAGER.user_id)
    theirs = slack.messages.filter(has_text=f"“{SEATS}”").filter(has_text="Trade expired").first
    expect(theirs).to_be_visible()
    expect(theirs.locator(".bk-button")).to_have_count(0)
    assert slack.messages.filter(has_text=f"“{SEATS}”").filter(has_text="Waiting on").count() == 0
    # No card in Maya's DM is left saying it waits on her for a trade that has expired.
    for stale in slack.messages.filter(has_text="Waiting on").all():
        assert "expired before anyone decided" not in stale.inner_text(), stale.inner_text()[:200]
    slack.shot("13-trade-expired-approver", theirs)

    # Alex records a commitment, then marks it done from /negotiate commitments.
    slack.switch_to(NEWCOMER.user_id)
    slack.command("/negotiate commit")
    commit = slack.modal(CommitCallback.CREATE)
    expect(commit).to_be_visible()
    slack.field(commit, CommitBlock.WHAT).fill("Send Northwind the signed order form")
    commit.get_by_role("button", name="Record it").click()
    expect(commit).to_be_hidden()
    recorded = slack.message("Send Northwind the signed order form")
    expect(recorded).to_contain_text("Recorded")
    expect(recorded.locator(f'[data-action-id="{CommitAction.DONE}"]')).to_be_visible()
    recorded_ts = recorded.get_attribute("data-ts")
    slack.command("/negotiate commitments")
    listing = slack.messages.filter(has_text="Your commitments").last
    row = (
        listing.locator(f'[data-block-id^="{CommitBlock.ROW}"]')
        .filter(has=page.locator(f'[data-action-id="{CommitAction.DONE}"]'))
        .last
    )
    row.locator(f'[data-action-id="{CommitAction.DONE}"]').click()
    expect(slack.messages.filter(has_text="Your commitments").last).to_contain_text("Marked done")
    playground.ticker.tick()  # the clock process's next run: the outbox brings every copy up to date
    card = page.locator(f'#messages > li.message[data-ts="{recorded_ts}"]')
    expect(card).to_contain_text("Marked done", timeout=30_000)
    expect(card.locator(".bk-button")).to_have_count(0)
    slack.shot("14-commitment-done-card", card)
    expect(slack.messages.filter(has_text="Your commitments")).to_have_count(1)  # replaced, not repeated
    slack.shot("15-commitments-list-after-done")


@needs_browser
def test_the_playground_polish_holds(playground: Playground, page: Any, artifacts: Path) -> None:
    """Issue 15's playground walk: text as typed, field limits, time travel in words, emoji and
    sparklines without emoji fonts, the team table at 760 px, focus back after a modal, one chart title."""
    slack = Slack(page, artifacts)
    page.goto(playground.url)
    expect(page.get_by_label("You are")).to_have_value(NEWCOMER.user_id)

    # Text as typed: the prep title keeps its asterisks and underscores, nothing turns bold or italic.
    typed = "Q3 *renewal* for snake_case_co (draft)"
    slack.command("/negotiate prep " + typed)
    prep = slack.modal(PrepCallback.SUBMIT)
    expect(prep).to_be_visible()
    title = slack.field(prep, PrepBlock.TITLE)
    assert title.get_attribute("maxlength") == "150", "the title field carries Slack's max_length"
    for block in (PrepBlock.OBJECTIVES, PrepBlock.TRADEABLES, PrepBlock.COUNTERPART_NAME):
        assert slack.field(prep, block).get_attribute("maxlength"), f"{block} has no max_length"
    slack.field(prep, PrepBlock.COUNTERPART_KIND).select_option("customer")
    slack.field(prep, PrepBlock.DATE).fill(MEETING)
    slack.field(prep, PrepBlock.OBJECTIVES).fill("Renew for 24 months")
    prep.get_by_role("button", name="Get my plan").click()
    expect(prep).to_be_hidden()
    plan = slack.message("Prep plan:")
    expect(plan).to_contain_text(typed)
    assert plan.locator("strong", has_text="renewal").count() == 0, "typed *renewal* became bold"
    assert plan.locator("em", has_text="case").count() == 0, "typed snake_case became italic"
    slack.shot("20-text-as-typed", plan)

    # Focus goes back where it was when a modal closes.
    slack.command("/negotiate commit")
    commit = page.locator(".modal")
    expect(commit).to_be_visible()
    page.keyboard.press("Escape")
    expect(commit).to_have_count(0)
    assert page.evaluate("document.activeElement && document.activeElement.id") == "composer-input"

    # Time travel says what happened in plain words.
    page.get_by_role("button", name="+1 day").click()
    notice = page.locator("#notice")
    expect(notice).to_contain_text("It is now", timeout=30_000)
    words = notice.inner_text()
    assert "tick" not in words and "enqueued" not in words and "+00:00" not in words, words
    slack.shot("21-time-travel-notice")

    # The manager's digest at 760 px: the team table keeps its columns, no shortcode shows as text,
    # emoji without a font show their name, and the chart has its title once (in the message).
    page.get_by_role("button", name="Next Monday 09:00").click()
    expect(notice).to_contain_text("It is now", timeout=30_000)
    slack.switch_to(MANAGER.user_id)
    page.set_viewport_size({"width": 760, "height": 900})
    digest = slack.message(f"Team of {MANAGER.name}")
    expect(digest).to_be_visible(timeout=30_000)
    table = digest.locator("pre").first
    expect(table).to_be_visible()
    assert table.evaluate("pre => getComputedStyle(pre).whiteSpace") == "pre"
    header = table.inner_text().splitlines()[0]
    assert header.split() == ["Member", "Deals", "Get/give", "Giveaways", "Left", "behind", "Kept/lapsed"]
    visible = page.locator("#messages").inner_text()
    import re

    assert re.findall(r":[a-z][a-z0-9_+-]*:", visible) == [], "a shortcode showed as text"
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('.emoji')]"
        ".map(e => [e.textContent, e.classList.contains('emoji-text')])"
    )
    assert drawn, "no emoji were rendered"
    assert all(text.strip() for text, _ in drawn)
    slack.shot("22-digest-760px", digest.get_by_role("heading").first)
    chart = digest.locator("img").first
    expect(chart).to_be_visible(timeout=30_000)
    slack.shot("23-digest-chart-760px", chart)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("tab", name="Home").click()
    expect(page.locator("#home-view")).to_contain_text("Your team")
    slack.shot("24-home-overdue")
