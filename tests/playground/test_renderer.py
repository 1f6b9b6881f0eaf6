"""The page's Block Kit renderer (``static/blocks.js`` + ``static/mrkdwn.js``), block by block, in Chromium.

The scripts are loaded into a blank page as they are shipped; each test renders blocks and reads the
DOM. Hostile text must come out as text: nothing a user typed may become a mention, a link, an
element or a script.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates import escape_mrkdwn
from tests.playground.conftest import STATIC, needs_browser

pytestmark = needs_browser

USERS = {
    "U0MAYA": {"id": "U0MAYA", "name": "Maya Patel", "is_bot": False},
    "U0LEO": {"id": "U0LEO", "name": "Leo Carter", "is_bot": False},
    "U0BOT": {"id": "U0BOT", "name": "Parley", "is_bot": True},
}
CHANNELS = {"C0DEALS": {"id": "C0DEALS", "name": "negotiations"}}
ALLOWED_TAGS = {
    "DIV", "SPAN", "STRONG", "EM", "DEL", "CODE", "PRE", "BR", "A", "UL", "OL", "LI", "BLOCKQUOTE",
}  # fmt: skip

RENDER = """([blocks, errors]) => {
  const root = document.getElementById("root");
  root.textContent = "";
  window.actions = [];
  const ctx = {
    users: %s, channels: %s, files: {}, surface: "modal", errors,
    onAction: (a) => window.actions.push(
      {action_id: a.action_id, block_id: a.block_id, value: a.value === undefined ? "(none)" : a.value}),
  };
  root.append(ParleyBlocks.renderBlocks(blocks, ctx));
}"""


class Renderer:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.root = page.locator("#root")

    def render(self, *blocks: Any, errors: dict[str, str] | None = None) -> Any:
        import json

        script = RENDER % (json.dumps(USERS), json.dumps(CHANNELS))
        self.page.evaluate(script, [list(blocks), errors or {}])
        return self.root

    def mrkdwn(self, text: str) -> Any:
        return self.render({"type": "section", "text": {"type": "mrkdwn", "text": text}}).locator(".bk-text")

    @property
    def actions(self) -> list[dict[str, Any]]:
        return self.page.evaluate("window.actions")

    def values(self) -> dict[str, Any]:
        return self.page.evaluate("ParleyBlocks.collectValues(document.getElementById('root'))")


@pytest.fixture(scope="module")
def renderer_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(f"network request: {request.url}"))
    page.set_content('<!doctype html><html><body><div id="root"></div></body></html>')
    for name in ("emoji.js", "mrkdwn.js", "blocks.js"):
        page.add_script_tag(path=str(STATIC / name))
    page.on("dialog", lambda dialog: errors.append(f"a browser dialog opened: {dialog.message}"))
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def r(renderer_page: Any) -> Renderer:
    return Renderer(renderer_page)


def text(block_type: str, body: str) -> dict[str, Any]:
    return {"type": block_type, "text": body}


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


# ---------------------------------------------------------------------------------------------- mrkdwn


def test_mrkdwn_basics(r: Renderer) -> None:
    out = r.mrkdwn("*bold* _italic_ ~strike~ `code` <https://example.com/a_b|a *link*> :white_check_mark:")
    expect(out.locator("strong").first).to_have_text("bold")
    expect(out.locator("em")).to_have_text("italic")
    expect(out.locator("del")).to_have_text("strike")
    expect(out.locator("code")).to_have_text("code")
    link = out.locator("a")
    expect(link).to_have_attribute("href", "https://example.com/a_b")
    expect(link).to_have_text("a link")
    expect(link.locator("strong")).to_have_text("link")
    check = out.locator('[role="img"][title=":white_check_mark:"]')
    expect(check).to_have_count(1)  # ✅ where the browser has an emoji font, its name where it has none
    assert check.get_attribute("data-char") == "✅"
    assert check.inner_text() in ("✅", "white check mark")


def test_nested_emphasis_and_word_internal_markers(r: Renderer) -> None:
    out = r.mrkdwn("*_both_* snake_case_name 2*3*4 a~b~c")
    expect(out.locator("strong em")).to_have_text("both")
    expect(out.locator("em")).to_have_count(1)
    expect(out.locator("del")).to_have_count(0)
    expect(out).to_contain_text("snake_case_name 2*3*4 a~b~c")


def test_mentions_render_as_names(r: Renderer) -> None:
    out = r.mrkdwn("<@U0MAYA> and <@U0NOBODY> in <#C0DEALS> <!here> <!date^1795000000^{date}|a day>")
    mentions = out.locator(".mention")
    expect(mentions.nth(0)).to_have_text("@Maya Patel")
    expect(mentions.nth(1)).to_have_text("@U0NOBODY")
    expect(mentions.nth(2)).to_have_text("#negotiations")
    expect(mentions.nth(3)).to_have_text("@here")
    expect(out).to_contain_text("2026")


def test_lists_quotes_and_code_blocks(r: Renderer) -> None:
    out = r.mrkdwn(
        "*Limits*\n• one\n• two\n1. first\n2. second\n&gt; quoted\n> raw quote\n```a *not bold*\n<b>```"
    )
    expect(out.locator("ul li")).to_have_count(2)
    expect(out.locator("ol li")).to_have_count(2)
    expect(out.locator("blockquote")).to_have_text("quoted\nraw quote".replace("\n", ""))
    expect(out.locator("pre")).to_have_text("a *not bold*\n<b>")
    expect(out.locator("pre strong")).to_have_count(0)


@pytest.mark.parametrize(
    ("escaped", "shown"),
    [
        ("&lt;!channel&gt; &lt;!here&gt;", "<!channel> <!here>"),
        ("&lt;@U0MAYA&gt;", "<@U0MAYA>"),
        ("&lt;https://evil.example|click me&gt;", "<https://evil.example|click me>"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ("&lt;img src=x onerror=alert(1)&gt;", "<img src=x onerror=alert(1)>"),
        ("&amp;lt;b&amp;gt; stays &amp;amp;", "&lt;b&gt; stays &amp;"),
    ],
)
def test_escaped_text_is_shown_literally(r: Renderer, escaped: str, shown: str) -> None:
    out = r.mrkdwn(escaped)
    expect(out).to_have_text(shown)
    expect(out.locator("a, .mention, script, img")).to_have_count(0)


def test_unsafe_links_are_not_links(r: Renderer) -> None:
    out = r.mrkdwn("<javascript:alert(1)|click> <data:text/html,hi|data>")
    expect(out.locator("a")).to_have_count(0)
    expect(out).to_contain_text("<javascript:alert(1)|click>")


def test_plain_text_is_never_formatted(r: Renderer) -> None:
    out = r.render(
        {"type": "header", "text": {"type": "plain_text", "text": "*not bold* &lt;b&gt;x&lt;/b&gt; <i>"}}
    )
    expect(out.locator("h3")).to_have_text("*not bold* <b>x</b> <i>")
    expect(out.locator("h3 strong, h3 b, h3 i")).to_have_count(0)


SAFE = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + " <>&'\"!@#.,;?/|=()[]{}$%^+€é🦁*_~`"),
    max_size=80,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=SAFE)
def test_any_escaped_text_comes_back_as_typed(r: Renderer, typed: str) -> None:
    """One line of user text (after a word, so it is not read as a quote or a list item), formatting
    characters included: nothing turns bold, italic, struck or code (emoji read back as their character)."""
    shown = r.page.evaluate(
        "t => { const d = document.createElement('div'); d.append(ParleyMrkdwn.render(t, {})); "
        "d.querySelectorAll('.emoji').forEach(e => e.replaceWith(e.dataset.char)); "
        "const styled = d.querySelectorAll('strong, em, del, code').length; "
        "return [d.textContent, d.querySelectorAll('a, .mention, script, img').length + styled]; }",
        "Note: " + escape_mrkdwn(typed),
    )
    assert shown == ["Note: " + typed, 0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=120))
def test_no_text_at_all_breaks_the_renderer_or_makes_markup(r: Renderer, raw: str) -> None:
    tags = r.page.evaluate(
        "t => { const d = document.createElement('div'); d.append(ParleyMrkdwn.render(t, {}));"
        " return [...d.querySelectorAll('*')]"
        ".map(e => e.tagName + ':' + [...e.attributes].map(a => a.name).join(',')); }",
        escape_mrkdwn(raw),
    )
    for tag in tags:
        name, attributes = tag.split(":", 1)
        assert name in ALLOWED_TAGS, tag
        assert not any(a.startswith("on") for a in attributes.split(",")), tag


# ---------------------------------------------------------------------------------------------- blocks


def test_section_with_fields_and_accessory(r: Renderer) -> None:
    out = r.render(
        {
            "type": "section",
            "block_id": "b1",
            "text": text("mrkdwn", "*Trade*"),
            "fields": [text("mrkdwn", "*They give*\nPayment"), text("plain_text", "Costs us 500")],
            "accessory": {
                "type": "button",
                "action_id": "open",
                "text": text("plain_text", "Open"),
                "value": "7",
            },
        }
    )
    expect(out.locator(".bk-field")).to_have_count(2)
    out.get_by_role("button", name="Open").click()
    assert r.actions == [{"action_id": "open", "block_id": "b1", "value": "(none)"}]


def test_header_divider_context_and_images(r: Renderer) -> None:
    out = r.render(
        {"type": "header", "text": text("plain_text", "Weekly digest")},
        {"type": "divider"},
        {
            "type": "context",
            "elements": [
                text("mrkdwn", "_small print_"),
                {"type": "image", "image_url": "https://cdn.example/x.png", "alt_text": "a logo"},
            ],
        },
        {
            "type": "image",
            "slack_file": {"id": "F0001"},
            "alt_text": "Chart",
            "title": text("plain_text", "Trend"),
        },
    )
    expect(out.get_by_role("heading", name="Weekly digest")).to_be_visible()
    expect(out.locator("hr")).to_have_count(1)
    expect(out.locator(".bk-context em")).to_have_text("small print")
    expect(out.get_by_role("img", name="a logo")).to_have_text("🖼 a logo")  # offline: never fetched
    expect(out.locator("img.bk-image")).to_have_attribute("src", "/files/F0001")
    expect(out.locator("figcaption")).to_have_text("Trend")


def test_actions_send_block_actions_with_values(r: Renderer) -> None:
    options = [
        {"text": text("plain_text", "Snooze a day"), "value": "1d"},
        {"text": text("plain_text", "A week"), "value": "7d"},
    ]
    out = r.render(
        {
            "type": "actions",
            "block_id": "acts",
            "elements": [
                {"type": "button", "action_id": "ok", "style": "primary",
                 "text": text("plain_text", "Approve")},
                {"type": "button", "action_id": "no", "style": "danger", "text": text("plain_text", "Reject"),
                 "confirm": {"title": text("plain_text", "Sure?"), "text": text("plain_text", "Really"),
                             "confirm": text("plain_text", "Yes"), "deny": text("plain_text", "No")}},
                {"type": "overflow", "action_id": "more", "options": options},
                {"type": "static_select", "action_id": "pick", "options": options,
                 "placeholder": text("plain_text", "Choose")},
                {"type": "users_select", "action_id": "who"},
                {"type": "datepicker", "action_id": "when"},
            ],
        }
    )  # fmt: skip
    expect(out.get_by_role("button", name="Approve")).to_have_class("bk-button bk-primary")
    out.get_by_role("button", name="Approve").click()
    out.get_by_role("button", name="Reject").click()
    # Slack's confirmation dialog, drawn in the page (never the browser's confirm()): "No" sends nothing
    dialog = r.page.get_by_role("alertdialog", name="Sure?")
    expect(dialog).to_contain_text("Really")
    dialog.get_by_role("button", name="No").click()
    expect(dialog).to_have_count(0)
    assert r.actions == [{**r.actions[0]}] and r.actions[0]["action_id"] == "ok"
    out.get_by_role("button", name="Reject").click()
    r.page.get_by_role("alertdialog", name="Sure?").get_by_role("button", name="Yes").click()
    out.get_by_role("button", name="More actions").click()
    out.get_by_role("menuitem", name="A week").click()
    out.locator("select").first.select_option("1d")
    users = out.locator("select").nth(1)
    expect(users.locator("option")).to_have_text(["Select…", "Maya Patel", "Leo Carter"])
    users.select_option("U0LEO")
    out.locator("input[type=date]").fill("2026-12-01")
    assert [(a["action_id"], a["value"]) for a in r.actions] == [
        ("ok", "(none)"),
        ("no", "(none)"),
        ("more", "7d"),
        ("pick", "1d"),
        ("who", "U0LEO"),
        ("when", "2026-12-01"),
    ]
    assert {a["block_id"] for a in r.actions} == {"acts"}


def test_input_blocks_of_every_element_type(r: Renderer) -> None:
    def field(block_id: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {"type": "input", "block_id": block_id, "label": text("plain_text", block_id.title()),
                "element": {"action_id": block_id, **element}, **extra}  # fmt: skip

    options = [{"text": text("plain_text", f"Option {n}"), "value": f"o{n}"} for n in (1, 2, 3)]
    r.render(
        field("title", {"type": "plain_text_input", "placeholder": text("plain_text", "e.g. Renewal"),
                        "initial_value": "Q3"}, hint=text("plain_text", "Short")),
        field("notes", {"type": "plain_text_input", "multiline": True}, optional=True),
        field("kind", {"type": "static_select", "option_groups": [{"label": text("plain_text", "G"),
                                                                   "options": options}],
                       "initial_option": options[1]}),
        field("many", {"type": "multi_static_select", "options": options}),
        field("owner", {"type": "users_select", "initial_user": "U0MAYA"}),
        field("date", {"type": "datepicker", "initial_date": "2026-11-30"}),
        field("time", {"type": "timepicker", "initial_time": "09:30"}),
        field("answer", {"type": "radio_buttons", "options": options}),
        field("checks", {"type": "checkboxes", "options": options, "initial_options": [options[0]]}),
        field("count", {"type": "number_input", "is_decimal_allowed": False}),
        field("email", {"type": "email_text_input"}),
    )  # fmt: skip
    page = r.page
    expect(page.get_by_label("Title")).to_have_attribute("placeholder", "e.g. Renewal")
    expect(page.get_by_text("Short")).to_be_visible()
    expect(page.get_by_text("(optional)")).to_have_count(1)
    page.get_by_label("Notes").fill("line one\nline two")
    page.get_by_label("Many").select_option(["o1", "o3"])
    page.get_by_label("Option 2").first.check()  # the radio group (the select has no label of its own)
    page.get_by_label("Count").fill("12")
    assert r.values() == {
        "title": "Q3",
        "notes": "line one\nline two",
        "kind": "o2",
        "many": ["o1", "o3"],
        "owner": "U0MAYA",
        "date": "2026-11-30",
        "time": "09:30",
        "answer": "o2",
        "checks": ["o1"],
        "count": "12",
        "email": None,
    }
    assert r.actions == []  # inputs only collect; nothing is sent until the modal is submitted


def test_errors_show_under_their_input_and_clear(r: Renderer) -> None:
    block = {"type": "input", "block_id": "date", "label": text("plain_text", "When"),
             "element": {"type": "datepicker", "action_id": "date"}}  # fmt: skip
    out = r.render(block, errors={"date": "2026-11-17 has already passed"})
    expect(out.get_by_role("alert")).to_have_text("2026-11-17 has already passed")
    expect(r.page.get_by_label("When")).to_have_attribute("aria-invalid", "true")
    r.page.evaluate("ParleyBlocks.showErrors(document.getElementById('root'), {})")
    expect(out.get_by_role("alert")).to_be_hidden()


def test_rich_text(r: Renderer) -> None:
    out = r.render(
        {
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_section", "elements": [
                    {"type": "text", "text": "Hi "}, {"type": "user", "user_id": "U0MAYA"},
                    {"type": "text", "text": " bold", "style": {"bold": True}}]},
                {"type": "rich_text_list", "style": "bullet", "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "one"}]}]},
            ],
        }
    )  # fmt: skip
    expect(out.locator(".mention")).to_have_text("@Maya Patel")
    expect(out.locator("strong")).to_have_text(" bold")
    expect(out.locator("li")).to_have_text("one")


def test_unknown_and_broken_blocks_show_a_placeholder_and_never_break_the_page(r: Renderer) -> None:
    out = r.render(
        {"type": "call", "call_id": "R1"},
        None,
        "a string",
        {"no": "type"},
        {"type": "actions", "elements": [{"type": "rating_stars"}]},
        {"type": "section", "text": text("plain_text", "still drawn")},
    )
    notes = out.get_by_role("note")
    expect(notes).to_have_count(5)
    expect(notes.first).to_contain_text("Unsupported block: call")
    expect(notes.nth(4)).to_contain_text("Unsupported element: rating_stars")
    expect(out).to_contain_text("still drawn")


def test_entered_values_can_be_put_back_after_a_view_is_redrawn(r: Renderer) -> None:
    options = [{"text": text("plain_text", f"Option {n}"), "value": f"o{n}"} for n in (1, 2)]
    blocks = [
        {"type": "input", "block_id": block_id, "label": text("plain_text", block_id),
         "element": {"action_id": block_id, **element}}
        for block_id, element in (
            ("words", {"type": "plain_text_input", "multiline": True}),
            ("pick", {"type": "static_select", "options": options}),
            ("ticks", {"type": "checkboxes", "options": options}),
        )
    ]  # fmt: skip
    entered = {"words": "two\nlines", "pick": "o2", "ticks": ["o1", "o2"]}
    r.render(*blocks)
    r.page.evaluate("v => ParleyBlocks.restoreValues(document.getElementById('root'), v)", entered)
    assert r.values() == entered
    r.render(*blocks)
    assert r.values() == {"words": None, "pick": None, "ticks": []}
