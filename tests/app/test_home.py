"""App Home: published on open and after changes; style card or invitation, the member's lists, a
manager's team, always within Slack's limits, and only ever the member's own workspace's data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select, text

from bot.flows.home import COLLAPSED, FRAME_BLOCKS, ROW_BLOCKS, home_context, limits_for
from bot.flows.home_notifier import refresh_home
from bot.members import resolve_actor
from bot.metadata import NegotiationRef, load
from bot.testkit import requests as slack_requests
from bot.testkit.blockkit import validate_view
from storage.models import (
    Commitment,
    Debrief,
    LedgerEntry,
    Member,
    Negotiation,
    PrepPlan,
    TradeProposal,
)
from templates import render_view
from templates.ids.home import HomeAction, HomeSection
from templates.ids.negotiation import NegotiationAction
from templates.ids.style import StyleAction
from tests.app.conftest import NOW, Parley

TODAY = date(2026, 11, 23)  # NOW in Europe/London and America/New_York alike
HOSTILE = ["<!channel>", "<@U0BOB> & <#C0GENERAL>", "<https://evil.example|click>", "*bold* `x` ~y~", '"\\\n']


# ------------------------------------------------------------------------------------------ helpers


def member_id(parley: Parley, user_id: str = "U0ALICE", team_id: str = "T0EXAMPLE") -> int:
    return resolve_actor(parley.services, parley.app.client, team_id, user_id).member_id


def workspace_of(parley: Parley, member: int) -> int:
    with parley.services.db.session() as session:
        found = session.get(Member, member)
        assert found is not None
        return found.workspace_id


def add(parley: Parley, *rows: Any) -> list[int]:
    with parley.services.db.session() as session:
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def negotiation(
    parley: Parley,
    owner: int,
    title: str = "Q3 renewal",
    *,
    day: date | None = TODAY + timedelta(days=7),
    status: str = "planned",
    prepped: bool = True,
    counterpart: str = "Acme",
) -> int:
    workspace_id = workspace_of(parley, owner)
    (negotiation_id,) = add(
        parley,
        Negotiation(
            workspace_id=workspace_id,
            owner_id=owner,
            title=title,
            counterpart_kind="customer",
            counterpart_name=counterpart,
            date=day,
            status=status,
            currency="USD",
        ),
    )
    if prepped:
        add(parley, PrepPlan(workspace_id=workspace_id, negotiation_id=negotiation_id))
    return negotiation_id


def commitment(
    parley: Parley, owner: int, text_: str = "Send the agenda", *, due: date = TODAY, **extra: Any
) -> int:
    (commitment_id,) = add(
        parley,
        Commitment(
            workspace_id=workspace_of(parley, owner),
            owner_id=owner,
            text=text_,
            due=due,
            currency="USD",
            **extra,
        ),
    )
    return commitment_id


def home(parley: Parley, user_id: str = "U0ALICE") -> dict[str, Any]:
    view = parley.slack.home(user_id)
    assert view is not None, f"no Home tab published for {user_id}"
    return view


def published(parley: Parley) -> dict[str, Any]:
    """The last Home view exactly as Parley sent it (the fake's copy carries Slack's extra fields)."""
    return parley.slack.calls_to("views.publish")[-1].args["view"]


def shown(view: dict[str, Any]) -> str:
    """The view's blocks as JSON, without the invisible guards escaping adds around user text."""
    return json.dumps(view["blocks"], ensure_ascii=False).replace("\\u200b", "").replace("\u200b", "")


def buttons(view: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    found = []
    for block in view["blocks"]:
        for element in [block.get("accessory"), *block.get("elements", [])]:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                found.append(element)
    return found


def assert_safe(view: dict[str, Any], mentions: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    assert validate_view(view) == []
    assert len(view["blocks"]) <= 100
    body = shown(view)
    assert "<!" not in body and "<#" not in body and "<http" not in body
    live = {part.split(">", 1)[0] for part in body.split("<@")[1:]}
    assert live <= mentions, f"unexpected mentions: {live - mentions}"


@contextmanager
def counting_queries(parley: Parley) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(parley.services.db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(parley.services.db.engine, "before_cursor_execute", record)


# ------------------------------------------------------------------------------------------ first contact


def test_a_new_member_opening_home_is_recorded_and_invited_to_take_the_assessment(parley: Parley) -> None:
    response = parley.open_home()
    assert response.status == 200
    with parley.services.db.session() as session:
        alice = session.scalar(select(Member).where(Member.slack_user_id == "U0ALICE"))
        assert alice is not None and alice.tz == "Europe/London"
    view = home(parley)
    assert_safe(published(parley))
    (button,) = buttons(view, StyleAction.TAKE_ASSESSMENT)
    assert button["text"]["text"] == "Take the style assessment"
    assert "Find your negotiating style" in shown(view)
    assert "No open negotiations" in shown(view)


def test_the_invitation_button_opens_the_assessment(parley: Parley) -> None:
    parley.open_home()
    parley.click(StyleAction.TAKE_ASSESSMENT, view=home(parley))
    (modal,) = parley.slack.open_views("U0ALICE")
    assert modal["callback_id"] == "style_assessment"


def test_opening_the_messages_tab_publishes_nothing(parley: Parley) -> None:
    request = slack_requests.app_home_opened("U0ALICE", parley.slack.dm_channel("U0ALICE"), tab="messages")
    assert parley.send(request).status == 200
    assert parley.slack.calls_to("views.publish") == []


def test_a_member_with_a_style_sees_their_style_card(parley: Parley) -> None:
    alice = member_id(parley)
    with parley.services.db.session() as session:
        found = session.get(Member, alice)
        assert found is not None
        found.style = "game_changer"
    parley.open_home()
    view = home(parley)
    assert "Your style: 🐵 Game Changer" in shown(view)
    (button,) = buttons(view, StyleAction.TAKE_ASSESSMENT)
    assert button["text"]["text"] == "Retake the style assessment"


# ------------------------------------------------------------------------------------------ the lists


def test_open_negotiations_show_their_next_step(parley: Parley) -> None:
    alice = member_id(parley)
    upcoming = negotiation(parley, alice, "Upcoming deal", day=date(2026, 11, 30))
    due = negotiation(parley, alice, "Past deal", day=TODAY - timedelta(days=2))
    negotiation(parley, alice, "Today's deal", day=TODAY)
    negotiation(parley, alice, "Undated deal", day=None)
    negotiation(parley, alice, "Paused deal", status="paused")
    negotiation(parley, alice, "Unprepped deal", prepped=False)
    negotiation(parley, alice, "Closed deal", status="agreed")
    parley.open_home()

    view = home(parley)
    body = shown(view)
    assert (
        "*Upcoming deal* · Acme (Customer)\\n:white_check_mark: Prep done: negotiate on Mon 30 Nov 2026."
        in body
    )
    assert "*Past deal*" in body and "Negotiated on Sat 21 Nov 2026: log the debrief" in body
    assert "the negotiation is today" in body
    assert "no date set yet" in body and "Paused." in body and "Not prepared yet" in body
    assert "Closed deal" not in body
    (log,) = buttons(view, NegotiationAction.LOG_DEBRIEF)
    assert load(NegotiationRef, log["value"]) == NegotiationRef(due)
    assert body.index("Past deal") < body.index("Today's deal") < body.index("Upcoming deal")
    assert upcoming


def test_pending_commitments_show_due_dates_and_what_is_overdue(parley: Parley) -> None:
    alice, bob = member_id(parley), member_id(parley, "U0BOB")
    commitment(parley, alice, "Send the agenda", due=TODAY + timedelta(days=3), owed_to_id=bob)
    commitment(parley, alice, "Confirm the VPs", due=TODAY - timedelta(days=1))
    commitment(parley, alice, "Already done", status="done")
    commitment(parley, bob, "Bob's own")
    parley.open_home()

    body = shown(home(parley))
    assert ":red_circle: *Overdue since yesterday*\\nConfirm the VPs" in body
    assert ":calendar: *Due Thu 26 Nov 2026* · to <@U0BOB>\\nSend the agenda" in body
    assert "Already done" not in body and "Bob's own" not in body
    assert body.index("Confirm the VPs") < body.index("Send the agenda")


def test_recent_outcomes_show_the_give_get_balance_from_the_ledger(parley: Parley) -> None:
    alice = member_id(parley)
    workspace_id = workspace_of(parley, alice)
    deal = negotiation(parley, alice, "Training renewal", day=TODAY - timedelta(days=3), status="agreed")
    (debrief,) = add(
        parley,
        Debrief(
            workspace_id=workspace_id,
            negotiation_id=deal,
            member_id=alice,
            outcome="agreed",
            analysis={},
            submitted_at=NOW - timedelta(days=1),
        ),
    )
    entry = {"workspace_id": workspace_id, "negotiation_id": deal, "debrief_id": debrief, "recorded_at": NOW}
    add(
        parley,
        LedgerEntry(kind="conceded", item="Extra day", value_minor=200_000, currency="USD",
                    received_item="24-month term", received_value_minor=1_000_000, **entry),
        LedgerEntry(kind="conceded", item="Discount", value_minor=300_000, currency="USD", **entry),
        LedgerEntry(kind="held", item="Price", value_minor=None, currency="USD", **entry),
    )  # fmt: skip
    parley.open_home()

    body = shown(home(parley))
    assert "*Training renewal* · Agreed · yesterday" in body
    assert "gave 5,000 USD, got 10,000 USD (2×)" in body
    assert "1 given away with nothing in return" in body and ":warning:" in body


def test_recent_outcomes_prefer_the_debrief_analysis(parley: Parley) -> None:
    alice = member_id(parley)
    deal = negotiation(parley, alice, "Supplier fix", status="no_deal")
    analysis = {
        "version": 1,
        "balances": [{"currency": "EUR", "conceded": 80_000, "received": 160_000, "needs_attention": False}],
        "giveaways": [],
    }
    add(
        parley,
        Debrief(
            workspace_id=workspace_of(parley, alice),
            negotiation_id=deal,
            member_id=alice,
            outcome="no_deal",
            analysis=analysis,
            submitted_at=NOW,
        ),
    )
    parley.open_home()
    body = shown(home(parley))
    assert "*Supplier fix* · No deal · today\\n:scales: gave 800 EUR, got 1,600 EUR (2×)" in body


def test_a_manager_sees_what_waits_on_them_and_their_reports(parley: Parley) -> None:
    alice, bob = member_id(parley), member_id(parley, "U0BOB")
    with parley.services.db.session() as session:
        found = session.get(Member, alice)
        assert found is not None
        found.manager_id = bob
    commitment(parley, alice, "Late report", due=TODAY - timedelta(days=4))
    commitment(parley, alice, "Not late yet", due=TODAY + timedelta(days=4))
    negotiation(parley, alice, "Undebriefed deal", day=TODAY - timedelta(days=2))
    add(
        parley,
        TradeProposal(
            workspace_id=workspace_of(parley, bob),
            requester_id=alice,
            approver_id=bob,
            give_item="Extra day",
            get_item="Two-year term",
            currency="USD",
        ),
    )
    parley.open_home("U0BOB")
    parley.open_home("U0ALICE")

    bob_home = shown(home(parley, "U0BOB"))
    assert "Your team" in bob_home
    assert "1 report · 1 trade to decide · 1 overdue commitment · 1 debrief missing" in bob_home
    assert "<@U0ALICE> asks to give _Extra day_ for _Two-year term_" in bob_home
    assert "<@U0ALICE>'s commitment is overdue since Thu 19 Nov 2026: Late report" in bob_home
    assert "<@U0ALICE> hasn't debriefed _Undebriefed deal_" in bob_home
    assert "Not late yet" not in bob_home
    assert "Your team" not in shown(home(parley, "U0ALICE"))


# ------------------------------------------------------------------------------------------ limits


def test_home_stays_within_limits_with_200_open_items_and_shows_more_on_request(parley: Parley) -> None:
    alice, bob = member_id(parley), member_id(parley, "U0BOB")
    workspace_id = workspace_of(parley, alice)
    with parley.services.db.session() as session:
        found = session.get(Member, alice)
        assert found is not None
        found.manager_id = bob
    add(
        parley,
        *[
            Negotiation(workspace_id=workspace_id, owner_id=alice, title=f"Deal {i:03} " + "x" * 180,
                        counterpart_kind="supplier", counterpart_name="<!here>" * 20,
                        date=TODAY + timedelta(days=i - 100), currency="USD")
            for i in range(200)
        ],
        *[
            Commitment(workspace_id=workspace_id, owner_id=alice, text=f"Task {i:03} " + "y" * 2_000,
                       due=TODAY + timedelta(days=i - 100), currency="USD")
            for i in range(200)
        ],
    )  # fmt: skip

    parley.open_home("U0BOB")
    bob_view = published(parley)
    assert_safe(bob_view, {"U0ALICE"})
    assert "200 overdue" not in shown(bob_view) and "100 overdue commitments" in shown(bob_view)

    parley.open_home()
    view = published(parley)
    assert_safe(view, {"U0BOB", "U0ALICE"})
    body = shown(view)
    assert body.count("Deal ") == COLLAPSED[HomeSection.NEGOTIATIONS]
    assert f"…and {200 - COLLAPSED[HomeSection.NEGOTIATIONS]} more" in body
    assert body.count("Task ") == COLLAPSED[HomeSection.COMMITMENTS]

    parley.click(HomeAction.SHOW_MORE, view=home(parley))  # the first one: under the negotiations
    expanded = published(parley)
    assert_safe(expanded, {"U0BOB", "U0ALICE"})
    limit = limits_for(HomeSection.NEGOTIATIONS)[HomeSection.NEGOTIATIONS]
    assert shown(expanded).count("Deal ") == limit > COLLAPSED[HomeSection.NEGOTIATIONS]
    assert f"…and {200 - limit} more not shown here." in shown(expanded)
    assert shown(expanded).count("Task ") == COLLAPSED[HomeSection.COMMITMENTS]

    parley.click(HomeAction.SHOW_FEWER, view=home(parley))
    assert shown(published(parley)).count("Deal ") == COLLAPSED[HomeSection.NEGOTIATIONS]


@pytest.mark.parametrize("section", list(HomeSection))
def test_every_expanded_list_still_fits(section: HomeSection) -> None:
    limits = limits_for(section)
    assert limits[section] > COLLAPSED[section]
    assert sum(count * ROW_BLOCKS[key] for key, count in limits.items()) + FRAME_BLOCKS <= 100


def test_reading_home_takes_the_same_number_of_queries_for_1_or_200_rows(parley: Parley) -> None:
    alice, bob = member_id(parley), member_id(parley, "U0BOB")
    workspace_id = workspace_of(parley, bob)
    with parley.services.db.session() as session:
        found = session.get(Member, alice)
        assert found is not None
        found.manager_id = bob

    def fill(n: int) -> None:
        yesterday = TODAY - timedelta(days=1)
        deals = add(
            parley,
            *[
                Negotiation(
                    workspace_id=workspace_id,
                    owner_id=alice,
                    title=f"D{i}",
                    counterpart_kind="other",
                    date=yesterday,
                    currency="USD",
                )
                for i in range(n)
            ],
        )
        debriefs = add(
            parley,
            *[
                Debrief(workspace_id=workspace_id, negotiation_id=d, member_id=alice, outcome="agreed",
                        analysis={}, submitted_at=NOW)
                for d in deals[: n // 2]
            ],
        )  # fmt: skip
        add(
            parley,
            *[
                LedgerEntry(workspace_id=workspace_id, negotiation_id=deals[0], debrief_id=d, kind="conceded",
                            item="x", value_minor=100, currency="USD", recorded_at=NOW)
                for d in debriefs
            ],
            *[
                Commitment(workspace_id=workspace_id, owner_id=alice, text="t", due=yesterday, currency="USD")
                for _ in range(n)
            ],
            *[
                TradeProposal(workspace_id=workspace_id, requester_id=alice, approver_id=bob, give_item="g",
                              get_item="h", currency="USD")
                for _ in range(n)
            ],
        )  # fmt: skip

    fill(2)
    with counting_queries(parley) as few:
        home_context(parley.services, workspace_id, "U0ALICE")
        home_context(parley.services, workspace_id, "U0BOB")
    fill(200)
    with counting_queries(parley) as many:
        home_context(parley.services, workspace_id, "U0ALICE")
        home_context(parley.services, workspace_id, "U0BOB")
    assert len(many) == len(few) <= 40


# ------------------------------------------------------------------------------------------ safety


@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=200)),
    other=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=500)),
)
def test_hostile_titles_names_and_items_never_break_or_ping(parley: Parley, title: str, other: str) -> None:
    alice, bob = member_id(parley), member_id(parley, "U0BOB")
    with parley.services.db.session() as session:
        for row in session.scalars(select(Member)):
            row.display_name = HOSTILE[0]
        found = session.get(Member, alice)
        assert found is not None
        found.manager_id = bob
    negotiation(parley, alice, title, counterpart=other, day=TODAY - timedelta(days=1))
    commitment(parley, alice, other or "x", due=TODAY - timedelta(days=1), owed_to_id=bob)
    add(
        parley,
        TradeProposal(workspace_id=workspace_of(parley, bob), requester_id=alice, approver_id=bob,
                      give_item=title, get_item=other, currency="USD"),
    )  # fmt: skip
    for user_id in ("U0ALICE", "U0BOB"):
        parley.slack.reset_calls()
        parley.open_home(user_id)
        view = published(parley)
        assert_safe(view, {"U0ALICE", "U0BOB"})
        assert parley.slack.calls_to("views.publish")[-1].ok


def test_another_workspaces_data_is_never_shown(parley: Parley) -> None:
    alice_here = member_id(parley)
    alice_there = member_id(parley, team_id="T0OTHER")
    carol = member_id(parley, "U0BOB")
    negotiation(parley, alice_here, "Mine here")
    negotiation(parley, alice_there, "Other workspace deal")
    commitment(parley, alice_there, "Other workspace task")
    negotiation(parley, carol, "Somebody else's deal")
    parley.open_home()
    body = shown(home(parley))
    assert "Mine here" in body
    assert "Other workspace" not in body and "Somebody else" not in body


# ------------------------------------------------------------------------------------------ robustness


def test_refresh_home_survives_slack_and_database_failures(parley: Parley) -> None:
    alice = member_id(parley)
    workspace_id = workspace_of(parley, alice)
    parley.slack.fail_next("views.publish", error="invalid_arguments")
    refresh_home(parley.services, parley.app.client, workspace_id, "U0ALICE")  # logged, not raised
    parley.slack.rate_limit("views.publish", retry_after=0)
    refresh_home(parley.services, parley.app.client, workspace_id, "U0ALICE")  # retried once
    assert [call.status for call in parley.slack.calls_to("views.publish")] == [200, 429, 200]
    with parley.services.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE debriefs CASCADE" if parley.services.db.dialect == "postgresql"
                                else "DROP TABLE debriefs"))  # fmt: skip
    refresh_home(parley.services, parley.app.client, workspace_id, "U0ALICE")
    assert len(parley.slack.calls_to("views.publish")) == 3


def test_refresh_home_for_someone_parley_never_met_does_nothing(parley: Parley) -> None:
    workspace_id = workspace_of(parley, member_id(parley))
    refresh_home(parley.services, parley.app.client, workspace_id, "U0NOBODY")
    assert parley.slack.calls_to("views.publish") == []


def test_log_the_debrief_on_home_opens_the_debrief_for_that_negotiation(parley: Parley) -> None:
    """The contract with the debrief feature: Home's button carries a NegotiationRef it can open."""
    alice = member_id(parley)
    negotiation(parley, alice, "Past deal", day=TODAY - timedelta(days=2))
    parley.open_home()
    parley.click(NegotiationAction.LOG_DEBRIEF, view=home(parley))
    (modal,) = parley.slack.open_views("U0ALICE")
    assert "Past deal" in json.dumps(modal, ensure_ascii=False)


def test_frame_blocks_is_what_the_template_adds_around_the_rows() -> None:
    """``FRAME_BLOCKS`` is what makes ``limits_for`` safe: check it against the template itself."""
    row: dict[HomeSection, dict[str, Any]] = {
        HomeSection.NEGOTIATIONS: {"title": "t", "counterpart": "", "step": "upcoming", "when": "x"},
        HomeSection.COMMITMENTS: {"id": 1, "text": "t", "due": "x", "overdue": False, "owed_to": ""},
        HomeSection.OUTCOMES: {"title": "t", "outcome": "x", "when": "x", "balance": [], "giveaways": 0},
        HomeSection.TEAM: {"kind": "trade", "user_id": "U0BOB", "text": "t", "other": "o", "when": ""},
        HomeSection.COUNTERPARTS: {"name": "n", "deals": 2, "when": "x", "balance": "b"},
    }
    row[HomeSection.NEGOTIATIONS]["ref"] = {}
    row[HomeSection.COMMITMENTS]["negotiation"] = ""
    row[HomeSection.OUTCOMES]["attention"] = False
    for expanded in (False, True):
        sections = [
            {"key": key.value, "title": "T", "summary": "s", "empty": "e", "rows": [row[key]], "more": 5,
             "expanded": expanded}
            for key in HomeSection
        ]  # fmt: skip
        style = {"label": "l", "essence": "e", "coaching": ["c"]}
        view = render_view("views/home", style=style, sections=sections, manager_missing="Bob", admin=True)
        assert len(view["blocks"]) - sum(ROW_BLOCKS[key] for key in HomeSection) == FRAME_BLOCKS
