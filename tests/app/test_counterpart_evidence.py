"""Counterpart memory's leftovers through the Slack app, on SQLite and PostgreSQL: decided trade
requests are evidence at once and never counted twice once debriefed; money stays in its own
currency in the history, the deal lines and the Home list; the kinds' tallies always equal a fresh
rebuild (after requests, debriefs, a change of kind, member erasure and retention); the Home list
pages with *Show more*."""

# The office fixture comes from tests/app/test_counterparts.py; pytest passes it in by name.
# ruff: noqa: F811

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, text

from bot.flows.home import COLLAPSED, limits_for
from bot.flows.member_data import erase_now
from bot.flows.prep import plan_now
from bot.flows.prep import submit_prep as use_case_prep
from bot.members import resolve_actor
from coaching.dates import day_words
from coaching.debrief import DebriefForm
from coaching.prep import PrepForm
from storage.models import KindTradeTally, Member, Negotiation, TradeProposal, Workspace
from storage.queries import privacy
from storage.queries.counterparts import REBUILD_TALLIES, candidates, create_counterpart, link_negotiation
from storage.queries.negotiations import create_negotiation
from templates.ids.home import HomeAction, HomeBlock, HomeSection
from templates.ids.negotiation import NegotiationAction
from templates.ids.prep import PrepBlock
from templates.ids.trades import TradeAction, TradeBlock
from tests.app.conftest import Parley, response_json
from tests.app.test_counterparts import (  # noqa: F401
    ALICE,
    BOB,
    CAROL,
    DAVE,
    MALLORY,
    OTHER_TEAM,
    TRADES,
    command_as,
    meet,
    office,
    prep_as,
    submit_prep,
)
from tests.app.test_debrief import debrief_values, open_from_button
from tests.app.test_prep import plan_messages, rows
from tests.app.test_trade_kit import buttons, is_request

WORKSHOP = "Extra onboarding workshop"
TERMS = {
    TradeBlock.GIVE: WORKSHOP,
    TradeBlock.GIVE_COST: "$1,500",
    TradeBlock.GET: "24-month term",
    TradeBlock.GET_VALUE: "$20,000",
    TradeBlock.REASON: "They asked for it twice.",
}
NOTHING = DebriefForm(outcome="agreed", offered="", conceded="", held="", commitments="", reflection="Fine.")


# ------------------------------------------------------------------------------------------ helpers


def deal(name: str, title: str, kind: str = "customer") -> PrepForm:
    return dataclasses.replace(TRADES, counterpart_name=name, title=title, counterpart_kind=kind)


def prep_card(parley: Parley, form: PrepForm, user_id: str = ALICE) -> dict[str, Any]:
    response = submit_prep(parley, form, user_id)
    assert response.status == 200 and response_json(response) == {}, response.body
    return plan_messages(parley, user_id)[-1]


def request_trade(parley: Parley, card: dict[str, Any], user_id: str = ALICE, **terms: str) -> None:
    """*Propose a trade* on the plan's card, and submit the modal (it names that negotiation)."""
    assert TradeAction.PROPOSE in buttons(card)
    assert parley.click(TradeAction.PROPOSE, message=card, user_id=user_id).status == 200
    response = parley.submit({**TERMS, **terms}, user_id=user_id)
    assert response.status == 200 and response_json(response) == {}, response.body


def decide(parley: Parley, approve: bool, approver: str = BOB) -> None:
    """The approver approves, or rejects with a reason, the latest request in their DMs."""
    copy = [m for m in parley.dms(approver) if is_request(m)][-1]
    action = TradeAction.APPROVE if approve else TradeAction.REJECT
    assert parley.click(action, message=copy, user_id=approver).status == 200
    if not approve:
        response = parley.submit({TradeBlock.REJECT_REASON: "Not this quarter."}, user_id=approver)
        assert response.status == 200 and response_json(response) == {}, response.body


def debrief(parley: Parley, card: dict[str, Any], form: DebriefForm, user_id: str = ALICE) -> None:
    view = open_from_button(parley, card, user_id)
    response = parley.submit(debrief_values(form), view=view, user_id=user_id)
    assert response.status == 200 and response_json(response) == {}, response.body


def trades_section(shown: str) -> str:
    return shown.split("Trades that work here")[1]


Tally = tuple[int, str, str, bool, int, int]


def tallies(parley: Parley) -> list[Tally]:
    with parley.services.db.read() as session:
        found = session.execute(
            select(
                KindTradeTally.workspace_id,
                KindTradeTally.counterpart_kind,
                KindTradeTally.item_key,
                KindTradeTally.accepted,
                KindTradeTally.bucket,
                KindTradeTally.count,
            )
        ).all()
    return sorted((int(w), k, i, bool(a), int(b), int(c)) for w, k, i, a, b, c in found)


def rebuilt(parley: Parley) -> list[Tally]:
    """What REBUILD_TALLIES makes of the ledger as it is now (in a transaction rolled back)."""
    with parley.services.db.engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.execute(text("DELETE FROM kind_trade_tallies"))
            connection.execute(text(REBUILD_TALLIES))
            found = connection.execute(
                text(
                    "SELECT workspace_id, counterpart_kind, item_key, accepted, bucket, count "
                    "FROM kind_trade_tallies"
                )
            ).all()
        finally:
            transaction.rollback()
    return sorted((int(w), k, i, bool(a), int(b), int(c)) for w, k, i, a, b, c in found)


def assert_tallies_rebuild(parley: Parley) -> None:
    assert tallies(parley) == rebuilt(parley)


def workspace_id(parley: Parley) -> int:
    [negotiation, *_] = rows(parley, Negotiation)
    return int(negotiation.workspace_id)


# ------------------------------------------------------------------------------------------ 1. requests


def test_decided_requests_are_evidence_at_once_and_a_debrief_does_not_count_them_twice(
    office: Parley,
) -> None:
    cards = []
    for n, (name, approve) in enumerate([("Acme", True), ("ACME Inc.", True), ("acme", False)]):
        cards.append(prep_card(office, deal(name, f"Deal {n}")))
        request_trade(office, cards[-1])
        decide(office, approve)
        assert_tallies_rebuild(office)
    assert [t.status for t in rows(office, TradeProposal)] == ["approved", "approved", "rejected"]

    # before any debrief: two approved, one rejected, with Acme (typed three ways)
    shown = prep_as(office, deal("Acme", "Deal 3"), ALICE)
    assert "Trade requests decided here and not yet debriefed: 2 approved, 1 rejected." in shown
    section = trades_section(shown)
    assert "accepted in 2 of 3 offers with Acme here, refused in 1, median 13.3× value" in section
    assert WORKSHOP.lower() in section.splitlines()[1].lower()  # ranked first, by evidence
    # another customer: the kind's tallies hold the same requests
    other = trades_section(prep_as(office, deal("Globex", "Other deal"), ALICE))
    assert "accepted in 2 of 3 offers with customer counterparts here, refused in 1" in other

    # the debrief of deal 0 records the approved request as a concession: it is counted once
    debrief(
        office,
        cards[0],
        dataclasses.replace(NOTHING, conceded=f"{WORKSHOP} – $1,500 -> 24-month term worth $20,000"),
    )
    assert_tallies_rebuild(office)
    shown = prep_as(office, deal("acme", "Deal 4"), ALICE)
    assert "Trade requests decided here and not yet debriefed: 1 approved, 1 rejected." in shown
    assert "Trades: they accepted 1 and refused 0." in shown  # the debrief's line, instead
    section = trades_section(shown)
    assert "accepted in 2 of 3 offers with Acme here, refused in 1, median 13.3× value" in section

    # the debrief of deal 1 drops the pre-filled request (it didn't happen): it stops counting, and
    # with 2 offers left (below the playbook's 3) the playbook's order stands
    debrief(office, cards[1], NOTHING)
    assert_tallies_rebuild(office)
    section = trades_section(prep_as(office, deal("acme", "Deal 5"), ALICE))
    assert "Fewer than 3 past offers of these trades here: ranked by the playbook" in section


def test_a_change_of_kind_moves_its_requests_to_the_new_kinds_tallies(office: Parley) -> None:
    card = prep_card(office, deal("Initech", "Supply deal", kind="customer"))
    request_trade(office, card)
    decide(office, True)
    assert {t[1] for t in tallies(office)} == {"customer"}
    # Edit prep: the same counterpart, now a supplier
    assert office.click(NegotiationAction.EDIT_PREP, message=card).status == 200
    view = office.open_view()
    response = office.submit({PrepBlock.COUNTERPART_KIND: "supplier"}, view=view)
    assert response.status == 200 and response_json(response) == {}, response.body
    assert {t[1] for t in tallies(office)} == {"supplier"}
    assert_tallies_rebuild(office)


# ------------------------------------------------------------------------------------------ 3. erasure


def test_tallies_equal_a_rebuild_after_member_erasure_and_retention(office: Parley) -> None:
    # Alice: two deals with Acme (one approved request, one debriefed trade); Carol: one rejected
    with office.services.db.session() as session:
        carol = session.scalar(select(Member).where(Member.slack_user_id == CAROL))
        bob = session.scalar(select(Member).where(Member.slack_user_id == BOB))
        assert carol is not None and bob is not None
        carol.manager_id = bob.id
    first = prep_card(office, deal("Acme", "Alice 1"))
    request_trade(office, first)
    decide(office, True)
    second = prep_card(office, deal("Acme", "Alice 2"))
    debrief(
        office,
        second,
        dataclasses.replace(
            NOTHING,
            offered="Quarterly business review – $500",
            conceded=f"{WORKSHOP} – $1,500 -> 24-month term worth $20,000",
        ),
    )
    theirs = prep_card(office, deal("Acme", "Carol 1"), CAROL)
    request_trade(office, theirs, CAROL)
    decide(office, False)
    before = tallies(office)
    assert sum(t[5] for t in before) == 4  # approved + debrief (conceded, offered-not-taken) + rejected
    assert_tallies_rebuild(office)

    ws = workspace_id(office)
    alice = meet(office, ALICE)
    erase_now(office.services, ws, alice, actor_id=meet(office, DAVE), via="admin")
    after = tallies(office)
    assert after == rebuilt(office)
    assert sum(t[5] for t in after) == 1  # only Carol's rejected request is left
    section = trades_section(prep_as(office, deal("Acme", "Carol 2"), CAROL))
    assert "Fewer than 3 past offers" in section

    # retention deletes the rest (everything older than the cutoff): the tallies empty with them
    with office.services.db.session() as session:
        ids = list(session.scalars(select(Negotiation.id).where(Negotiation.workspace_id == ws)))
        privacy.delete_negotiations(session, ws, ids, now=office.services.clock())
    assert tallies(office) == rebuilt(office) == []


# ------------------------------------------------------------------------------------------ 2. currencies


MIXED = dataclasses.replace(
    NOTHING,
    conceded=(
        f"{WORKSHOP} – $1,200 -> 24-month term worth $20,000\n"
        "Free support hours – €800 -> case study worth €300"
    ),
)


def test_money_stays_in_its_own_currency_in_the_history_and_on_home(office: Parley) -> None:
    debrief(office, prep_card(office, deal("Umbrella", "Mixed")), MIXED)
    shown = prep_as(office, deal("Umbrella", "Next"), ALICE)
    assert "We conceded 800 EUR + 1,200 USD and got 300 EUR + 20,000 USD back" in shown
    assert "EUR: 0.4× get/give; USD: 16.7× get/give" in shown
    assert "gave 800 EUR + 1,200 USD, got 300 EUR + 20,000 USD" in shown
    known = shown.split("What we know about Umbrella")[1].split("Trades that work here")[0]
    assert "2,000" not in known and "20,300" not in known  # never added across currencies
    office.open_home(ALICE)
    home = json.dumps((office.slack.home(ALICE) or {}).get("blocks", []), ensure_ascii=False)
    assert "balance −500 EUR (0.4× get/give), +18,800 USD (16.7× get/give)" in home
    assert "By last contact, most recent first" in home


# ------------------------------------------------------------------------------------------ 4. home paging


def test_home_counterparts_page_with_show_more_by_last_contact(office: Parley) -> None:
    expanded_rows = limits_for(HomeSection.COUNTERPARTS.value)[HomeSection.COUNTERPARTS]
    many = expanded_rows + 3
    alice = meet(office, ALICE)
    now = office.services.clock()
    with office.services.db.session() as session:  # stored straight away: a prep each takes too long
        member = session.get(Member, alice)
        assert member is not None
        for n in range(many):
            negotiation = create_negotiation(
                session, member.workspace_id, alice, title=f"Deal {n}", counterpart_kind="customer",
                counterpart_name=f"Company {n:03}", when=date(2026, 1, 1) + timedelta(days=n),
                currency="USD", status="no_deal",
            )  # fmt: skip
            counterpart = create_counterpart(
                session, member.workspace_id, name=f"Company {n:03}", key=f"company {n:03}",
                kind="customer", now=now,
            )  # fmt: skip
            link_negotiation(session, negotiation, counterpart.id)
    office.open_home(ALICE)
    home = office.slack.home(ALICE) or {}
    assert len(home["blocks"]) <= 100
    body = json.dumps(home["blocks"], ensure_ascii=False)
    shown = COLLAPSED[HomeSection.COUNTERPARTS]
    assert "By last contact, most recent first" in body
    assert f"…and {many - shown} more" in body
    # the most recent first: the last one made has the latest date
    assert body.index(f"Company {many - 1:03}") < body.index(f"Company {many - 2:03}")
    assert f"Company {many - shown:03}" in body and f"Company {many - shown - 1:03}" not in body
    more = f"{HomeBlock.MORE}_{HomeSection.COUNTERPARTS}"
    assert office.click(HomeAction.SHOW_MORE, view=home, block_id=more).status == 200
    wide = office.slack.home(ALICE) or {}
    assert len(wide["blocks"]) <= 100
    body = json.dumps(wide["blocks"], ensure_ascii=False)
    assert f"Company {many - expanded_rows:03}" in body
    assert f"Company {many - expanded_rows - 1:03}" not in body
    assert f"…and {many - expanded_rows} more not shown here." in body
    fewer = office.click(HomeAction.SHOW_FEWER, view=wide, block_id=more)
    assert fewer.status == 200
    assert f"…and {many - shown} more" in json.dumps(
        (office.slack.home(ALICE) or {})["blocks"], ensure_ascii=False
    )


def test_the_review_never_compares_a_cost_with_a_return_in_another_currency(office: Parley) -> None:
    for n in range(3):  # $1,000 for a return worth €5,000: not a low return, whatever the rate
        debrief(
            office,
            prep_card(office, deal(f"Euro {n}", f"Euro deal {n}")),
            dataclasses.replace(NOTHING, conceded="Free support hours – $1,000 -> case study worth €5,000"),
        )
    review = command_as(office, "review", DAVE).replace("\u200b", "")
    assert "3 debriefed negotiations" in review and "returned less than" not in review
    for n in range(3):  # and $1,000 for $300 three times is
        debrief(
            office,
            prep_card(office, deal(f"Dollar {n}", f"Dollar deal {n}")),
            dataclasses.replace(NOTHING, conceded="Free support hours – $1,000 -> case study worth $300"),
        )
    review = command_as(office, "review", DAVE).replace("\u200b", "")
    assert "3 of 6 accepted trades returned less than" in review


# ------------------------------------------------------------------------------------------ 5. privacy


def sharing(parley: Parley, on: bool) -> None:
    with parley.services.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.team_id == "T0EXAMPLE"))
        assert workspace is not None
        workspace.settings = {**(workspace.settings or {}), "counterpart_sharing": on}


def test_a_colleague_sees_per_currency_sums_over_enough_deals_and_no_single_deal(office: Parley) -> None:
    for n in range(3):
        debrief(office, prep_card(office, deal("Umbrella", f"Alice's {n}")), MIXED)
    # with sharing off, the Home list doesn't even count Alice's counterparts for Carol
    sharing(office, False)
    meet(office, CAROL)
    office.open_home(CAROL)
    body = json.dumps((office.slack.home(CAROL) or {}).get("blocks", []), ensure_ascii=False)
    assert "Umbrella" not in body and "No counterparts yet" in body and "more" not in body.lower()
    sharing(office, True)
    office.open_home(CAROL)
    body = json.dumps((office.slack.home(CAROL) or {}).get("blocks", []), ensure_ascii=False)
    assert "Umbrella" in body and "balance −1,500 EUR (0.4× get/give), +56,400 USD (16.7× get/give)" in body
    shown = prep_as(office, deal("Umbrella", "Carol's"), CAROL)
    known = shown.split("What we know about Umbrella")[1].split("Trades that work here")[0]
    assert "Met 3 times here" in known
    assert "We conceded 2,400 EUR + 3,600 USD and got 900 EUR + 60,000 USD back" in known
    assert "Alice's" not in known and "Fine." not in known  # no title, no lesson
    [alice] = [m for m in rows(office, Member) if m.slack_user_id == ALICE]
    assert alice.display_name not in known


def test_requests_in_another_workspace_are_no_evidence_here(office: Parley) -> None:
    for n, approve in enumerate((True, True, True)):
        request_trade(office, prep_card(office, deal("Acme", f"Deal {n}")))
        decide(office, approve)
    mallory = resolve_actor(office.services, office.app.client, OTHER_TEAM, MALLORY)
    result = use_case_prep(
        office.services, mallory, deal("Acme", "Theirs"), negotiation_id=None, submission_key="k-other"
    )
    assert result.saved is not None
    with office.services.db.read() as session:  # the plan is built when it is delivered
        now = plan_now(session, office.services, mallory.workspace_id, result.saved.negotiation_id)
    assert now is not None and not now.ranking.by_evidence
    assert "Fewer than 3 past offers" in now.ranking.note
    mine = trades_section(prep_as(office, deal("Acme", "Ours"), ALICE))
    assert "accepted in 3 of 3 offers with Acme here" in mine


def test_a_counterparts_deal_count_includes_what_was_merged_into_it(office: Parley) -> None:
    alice = meet(office, ALICE)
    now = office.services.clock()
    with office.services.db.session() as session:
        member = session.get(Member, alice)
        assert member is not None
        ws = member.workspace_id
        root = create_counterpart(session, ws, name="Acme", key="acme", kind="customer", now=now)
        twin = create_counterpart(session, ws, name="Acme Corp", key="acme corp", kind="customer", now=now)
        other = create_counterpart(session, ws, name="Acme Corp", key="acme corp", kind="customer", now=now)
        for n, counterpart in enumerate((root, root, twin, other)):
            negotiation = create_negotiation(
                session, ws, alice, title=f"Deal {n}", counterpart_kind="customer",
                counterpart_name=counterpart.name, when=None, currency="USD",
            )  # fmt: skip
            link_negotiation(session, negotiation, counterpart.id)
        twin.merged_into_id = root.id
        session.flush()
        counts = {known.id: known.negotiations for known in candidates(session, ws, "acme")}
        assert counts == {root.id: 3}  # its own two and the merged twin's one, not the other's
        assert {k.id: k.negotiations for k in candidates(session, ws, "acme corp")} == {other.id: 1}


def test_a_counterpart_met_next_week_is_a_next_meeting_not_a_last_contact(office: Parley) -> None:
    alice = meet(office, ALICE)
    now = office.services.clock()
    today = now.date()
    with office.services.db.session() as session:
        member = session.get(Member, alice)
        assert member is not None
        for name, when in (("Initech", today - timedelta(days=10)), ("Globex", today + timedelta(days=7))):
            negotiation = create_negotiation(
                session, member.workspace_id, alice, title=f"{name} deal", counterpart_kind="customer",
                counterpart_name=name, when=when, currency="USD",
            )  # fmt: skip
            counterpart = create_counterpart(
                session, member.workspace_id, name=name, key=name.lower(), kind="customer", now=now
            )
            link_negotiation(session, negotiation, counterpart.id)
    office.open_home(ALICE)
    home = json.dumps((office.slack.home(ALICE) or {}).get("blocks", []), ensure_ascii=False)
    ahead, past = (day_words(today + timedelta(days=7)), day_words(today - timedelta(days=10)))
    assert f"*Globex* · 1 negotiation · next meeting {ahead}" in home
    assert f"*Initech* · 1 negotiation · last contact {past}" in home
    assert "last contact " + ahead not in home
