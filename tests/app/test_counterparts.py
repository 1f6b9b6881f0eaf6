"""Counterpart memory through the Slack app: a second prep with the same counterpart typed
differently shows the history; privacy for owner, manager, admin, stranger and another workspace;
trades ranked by evidence above the threshold and by the playbook below it; confirm and split in the
modal; merge, undo, rename and delete audited; hostile names; a fixed number of statements."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import event, select

from bot.flows.prep import plan_now
from bot.flows.prep import submit_prep as use_case_prep
from bot.members import resolve_actor
from bot.testkit import requests as slack_requests
from coaching.prep import PrepForm
from storage.models import AuditEvent, Counterpart, LedgerEntry, Member, Negotiation, Workspace
from templates.ids.prep import PrepBlock
from tests.app.conftest import Parley, response_json
from tests.app.test_debrief import GOOD, debrief_values, open_from_button
from tests.app.test_prep import CUSTOMER, full_plan, message_text, plan_messages, prep, prep_values, rows

ALICE, BOB, CAROL, DAVE, MALLORY = "U0ALICE", "U0BOB", "U0CAROL", "U0DAVE", "U0MALLORY"
TEAM, OTHER_TEAM = "T0EXAMPLE", "T0OTHER"


# ------------------------------------------------------------------------------------------ helpers


@pytest.fixture
def office(parley: Parley) -> Parley:
    """Alice (learner) reports to Bob; Carol is a colleague; Dave an admin; Mallory another workspace."""
    parley.slack.add_user(CAROL, name="carol", real_name="Carol Colleague")
    parley.slack.add_user(DAVE, name="dave", real_name="Dave Admin", is_admin=True)
    parley.slack.add_team(OTHER_TEAM, bot_token="xoxb-other")
    parley.slack.add_user(
        MALLORY, name="mallory", real_name="Mallory Other", team_id=OTHER_TEAM, is_admin=True
    )
    ids = {u: meet(parley, u) for u in (ALICE, BOB, CAROL, DAVE)}
    with parley.services.db.session() as session:
        alice = session.get(Member, ids[ALICE])
        assert alice is not None
        alice.manager_id = ids[BOB]
    return parley


def meet(parley: Parley, user_id: str, team_id: str = TEAM) -> int:
    return resolve_actor(parley.services, parley.app.client, team_id, user_id).member_id


def submit_prep(parley: Parley, form: PrepForm, user_id: str, team_id: str = TEAM, **extra: Any) -> Any:
    channel = parley.slack.dm_channel(user_id)
    response = parley.send(
        slack_requests.slash_command(
            user_id=user_id, team_id=team_id, channel_id=channel, text="prep",
            trigger_id=parley.slack.issue_trigger_id(user_id),
            response_url=parley.slack.issue_response_url(channel, user_id),
        )
    )  # fmt: skip
    assert response.status == 200
    view = parley.open_view(user_id)
    return parley.send(
        slack_requests.view_submission(view, prep_values(form) | extra, user_id=user_id, team_id=team_id)
    )


def prep_as(parley: Parley, form: PrepForm, user_id: str, team_id: str = TEAM) -> str:
    """Prep as ``user_id``; everything the plan shows (card and full plan)."""
    response = submit_prep(parley, form, user_id, team_id)
    assert response.status == 200 and response_json(response) == {}, response.body
    card = plan_messages(parley, user_id)[-1]
    return message_text(card) + "\n" + message_text(full_plan(parley, card, user_id))


def past_deal(parley: Parley, name: str = "Northwind Ltd", title: str = "Renewal 2025") -> None:
    """Alice preps and debriefs a deal with ``name`` (the debrief's ledger: one trade accepted)."""
    card = prep(parley, dataclasses.replace(CUSTOMER, counterpart_name=name, title=title))
    view = open_from_button(parley, card)
    response = parley.submit(debrief_values(GOOD), view=view)
    assert response.status == 200 and response_json(response) == {}, response.body


def with_name(name: str, title: str = "Renewal 2026") -> PrepForm:
    return dataclasses.replace(CUSTOMER, counterpart_name=name, title=title)


def counterparts(parley: Parley) -> list[Counterpart]:
    return rows(parley, Counterpart)


def audits(parley: Parley, prefix: str = "counterpart.") -> list[AuditEvent]:
    return [a for a in rows(parley, AuditEvent) if a.action.startswith(prefix)]


# ------------------------------------------------------------------------------------------ memory


def test_a_second_prep_typed_differently_shows_the_history(office: Parley) -> None:
    past_deal(office, "Northwind Ltd")
    shown = prep_as(office, with_name("northwind ltd."), ALICE)
    assert len(counterparts(office)) == 1
    [first, second] = rows(office, Negotiation)
    assert first.counterpart_id == second.counterpart_id is not None
    assert "What we know about Northwind Ltd" in shown
    assert "Met 1 time here: 1 agreed, 0 no deal" in shown
    assert "“Renewal 2025”" in shown  # her own deal, individually
    assert "They moved once the term was on the table." in shown  # the last debrief's lesson
    assert "We still owe" in shown and "They still owe" in shown  # the debrief's commitments
    assert "Met Northwind Ltd 1 time here (1 agreed)" in message_text(plan_messages(office, ALICE)[-1])
    # the ledger rows carry the counterpart, so recall is one index range
    assert {e.counterpart_id for e in rows(office, LedgerEntry)} == {first.counterpart_id}


def test_a_trade_proposed_from_the_plan_links_to_the_counterpart(office: Parley) -> None:
    """The storage function every trade request goes through (bot.flows.trades.submit_proposal)."""
    prep_as(office, with_name("Northwind Ltd"), ALICE)
    [negotiation] = rows(office, Negotiation)
    with office.services.db.session() as session:
        from storage.queries.trades import add_trade

        trade = add_trade(
            session, workspace_id=negotiation.workspace_id, negotiation_id=negotiation.id,
            requester_id=negotiation.owner_id, get_item="Term", give_item="Workshop", currency="USD",
        )  # fmt: skip
        assert trade.counterpart_id == negotiation.counterpart_id is not None


def test_a_first_prep_says_nothing_it_doesnt_know(office: Parley) -> None:
    shown = prep_as(office, with_name("Brand New Co"), ALICE)
    assert "What we know" not in shown
    assert [c.name for c in counterparts(office)] == ["Brand New Co"]


@pytest.mark.parametrize(
    ("viewer", "individual"),
    [(ALICE, True), (BOB, True), (DAVE, True), (CAROL, False)],
    ids=["owner", "manager", "admin", "stranger"],
)
def test_privacy_individual_deals_for_owner_manager_and_admin_aggregates_for_others(
    office: Parley, viewer: str, individual: bool
) -> None:
    past_deal(office, "Northwind Ltd")
    shown = prep_as(office, with_name("NORTHWIND"), viewer)
    assert "Met 1 time here" in shown
    assert ("Renewal 2025" in shown) is individual
    [alice] = [m for m in rows(office, Member) if m.slack_user_id == ALICE]
    assert (f"· {alice.display_name} ·" in shown) is individual  # her name, only to those who may see it
    assert ("They moved once the term was on the table." in shown) is individual
    if not individual:
        assert "their details are private" in shown
        assert "We conceded" not in shown and "USD" not in shown.split("What we know")[1].split("Trades")[0]


def test_another_workspace_sees_nothing(office: Parley) -> None:
    """This app's single-workspace token cannot open Mallory's modal, so her prep goes through the
    use case the listener calls, as a member of her own workspace."""
    past_deal(office, "Northwind Ltd")
    mallory = resolve_actor(office.services, office.app.client, OTHER_TEAM, MALLORY)
    with office.services.db.session() as session:  # even an admin of her own workspace
        member = session.get(Member, mallory.member_id)
        assert member is not None
        member.role = "admin"
    mallory = dataclasses.replace(mallory, is_admin=True)
    result = use_case_prep(
        office.services, mallory, with_name("Northwind Ltd"), negotiation_id=None, submission_key="k1"
    )
    assert result.saved is not None
    with office.services.db.read() as session:  # what her plan message would say about them
        now = plan_now(session, office.services, mallory.workspace_id, result.saved.negotiation_id)
    assert now is not None and now.owner.is_admin and now.known is not None
    assert now.known.lines == () and now.known.card_line is None
    with office.services.db.session() as session:
        spaces = {c.workspace_id for c in session.scalars(select(Counterpart))}
    assert len(spaces) == 2  # one Northwind per workspace


def test_sharing_off_hides_colleagues_history_but_not_the_owners(office: Parley) -> None:
    past_deal(office, "Northwind Ltd")
    with office.services.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.team_id == TEAM))
        assert workspace is not None
        workspace.settings = {**(workspace.settings or {}), "counterpart_sharing": False}
    stranger = prep_as(office, with_name("Northwind"), CAROL)
    assert "Met 1 time" not in stranger and "isn't shared in this workspace" in stranger
    owner = prep_as(office, with_name("Northwind", "Again"), ALICE)
    assert "Renewal 2025" in owner
    manager = prep_as(office, with_name("Northwind", "Her manager's"), BOB)
    assert "Renewal 2025" in manager  # the owner's manager chain still sees the deal


# ------------------------------------------------------------------------------------------ confirm / split


def ask_then_answer(office: Parley, form: PrepForm, answer: str | int) -> Any:
    """Submit a prep whose counterpart is like a known one: the modal is updated with the question
    (what Slack does with ``response_action: update``); then submit the answer in that view."""
    response = submit_prep(office, form, ALICE)
    body = response_json(response)
    assert body["response_action"] == "update", body
    assert len(rows(office, Negotiation)) == 1  # nothing stored until they answer
    updated = {**office.open_view(ALICE), "blocks": body["view"]["blocks"]}
    options = {b.get("block_id"): b for b in updated["blocks"]}[PrepBlock.COUNTERPART_MATCH]["element"][
        "options"
    ]
    value = answer if isinstance(answer, str) else options[answer]["value"]
    values = prep_values(form) | {PrepBlock.COUNTERPART_MATCH: value}
    return options, office.send(slack_requests.view_submission(updated, values, user_id=ALICE))


def test_a_near_duplicate_is_asked_about_in_the_modal_and_can_be_confirmed(office: Parley) -> None:
    past_deal(office, "Northwind Traders")
    options, response = ask_then_answer(office, with_name("Northwind Trader"), 0)
    assert [o["value"] for o in options][-1] == "new"
    assert "Northwind Traders (1 negotiation)" in options[0]["text"]["text"]
    assert response_json(response) == {}, response.body
    [first, second] = rows(office, Negotiation)
    assert first.counterpart_id == second.counterpart_id
    assert [a.action for a in audits(office, "counterpart.confirmed")] == ["counterpart.confirmed"]
    assert "Met Northwind Traders 1 time here" in message_text(plan_messages(office, ALICE)[-1])


def test_a_suggested_match_can_be_split_and_the_split_is_audited(office: Parley) -> None:
    past_deal(office, "Northwind Traders")
    _options, response = ask_then_answer(office, with_name("Northwind Trader"), "new")
    assert response_json(response) == {}, response.body
    [first, second] = rows(office, Negotiation)
    assert first.counterpart_id != second.counterpart_id
    [split] = audits(office, "counterpart.split")
    assert split.subject_id == second.counterpart_id and split.detail["not_the_same_as"] == [
        first.counterpart_id
    ]
    assert "What we know" not in message_text(plan_messages(office, ALICE)[-1])


def test_edit_prep_offers_to_split_an_exact_match(office: Parley) -> None:
    """Two organisations called Northwind: the second prep linked to the first by name; Edit prep
    shows the link preselected and "a different counterpart" splits it (audited)."""
    from templates.ids.negotiation import NegotiationAction

    past_deal(office, "Northwind", "The bank")
    prep_as(office, with_name("Northwind", "The retailer"), ALICE)
    card = plan_messages(office, ALICE)[-1]
    assert office.click(NegotiationAction.EDIT_PREP, message=card).status == 200
    view = office.open_view(ALICE)
    block = {b.get("block_id"): b for b in view["blocks"]}[PrepBlock.COUNTERPART_MATCH]
    linked = block["element"]["initial_option"]["value"]
    assert "Yes: Northwind (2 negotiations)" in block["element"]["initial_option"]["text"]["text"]
    values = prep_values(with_name("Northwind", "The retailer")) | {PrepBlock.COUNTERPART_MATCH: "new"}
    response = office.send(slack_requests.view_submission(view, values, user_id=ALICE))
    assert response_json(response) == {}, response.body
    bank, retailer = rows(office, Negotiation)
    assert bank.counterpart_id == int(linked) and retailer.counterpart_id not in (None, bank.counterpart_id)
    [split] = audits(office, "counterpart.split")
    assert split.detail["not_the_same_as"] == [bank.counterpart_id]
    # the next prep typed "Northwind" is asked about: two counterparts share the name now
    body = response_json(submit_prep(office, with_name("Northwind", "Third"), ALICE))
    assert body["response_action"] == "update"


# ------------------------------------------------------------------------------------------ ranking


TRADES = PrepForm(
    title="Renewal",
    counterpart_kind="customer",
    counterpart_name="Contoso",
    date=CUSTOMER.date,
    objectives="Renew",
    tradeables=(
        "Quarterly business review – $500 – worth $2,000\nExtra onboarding workshop – $1,500 – worth $4,000"
    ),
    wants="24-month term – worth $20,000",
)


def test_ranking_uses_evidence_above_the_threshold_and_the_playbook_below(office: Parley) -> None:
    below = prep_as(office, TRADES, ALICE)
    assert "Fewer than 3 past offers of these trades here: ranked by the playbook" in below
    for n in range(3):  # the workshop was accepted for the term three times with customers
        past_deal(office, f"Customer {n}", title=f"Deal {n}")
    above = prep_as(office, dataclasses.replace(TRADES, title="Renewal again"), ALICE)
    section = above.split("Trades that work here")[1]
    assert "accepted in 3 of 3 offers with customer counterparts here, median 13.3× value" in section
    first_trade = section.splitlines()[1]
    assert "workshop" in first_trade  # ranked first by evidence, though the playbook put it second
    # the review was offered in each debrief and never taken: refused three times, so it comes second
    assert (
        "“Quarterly business review”. (accepted in 0 of 3 offers with customer counterparts here, "
        "refused in 3)" in section
    )


# ------------------------------------------------------------------------------------------ statements


def test_prep_recall_is_a_fixed_number_of_statements_whatever_the_history(office: Parley) -> None:
    def statements_for_a_prep(title: str) -> int:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(str(args[2]))

        engine = office.services.db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            prep_as(office, with_name("Northwind", title), ALICE)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    past_deal(office, "Northwind", "One")
    small = statements_for_a_prep("Small history")
    for n in range(3):
        past_deal(office, "Northwind", f"More {n}")
    large = statements_for_a_prep("Larger history")
    assert small == large


# ------------------------------------------------------------------------------------------ admin commands


def command_as(parley: Parley, text: str, user_id: str) -> str:
    before = len(parley.slack.ephemerals(user=user_id))
    assert parley.command(text, user_id=user_id, channel_id=parley.slack.dm_channel(user_id)).status == 200
    replies = parley.slack.ephemerals(user=user_id)[before:]
    return "\n".join(message_text(r) or r.get("text", "") for r in replies)


def ids_by_name(parley: Parley) -> dict[str, int]:
    return {c.name: c.id for c in counterparts(parley)}


def test_merge_is_audited_and_undone_and_the_histories_follow(office: Parley) -> None:
    past_deal(office, "Northwind Ltd", "Deal A")
    past_deal(office, "NW Trading", "Deal B")
    ids = ids_by_name(office)
    nw, northwind = ids["NW Trading"], ids["Northwind Ltd"]
    refused = command_as(office, f"counterparts merge {nw} into {northwind}", CAROL)
    assert "Only an admin can merge" in refused
    assert {a.action for a in audits(office)} == {"counterpart.created"}  # nothing else happened
    done = command_as(office, f"counterparts merge {nw} into {northwind}", DAVE)
    assert "is now part of Northwind Ltd" in done
    shown = prep_as(office, with_name("Northwind"), ALICE)
    assert "Met 2 times here" in shown and "Deal B" in shown  # the merged history shows together
    undone = command_as(office, f"counterparts unmerge {nw}", DAVE)
    assert "is separate again" in undone
    again = prep_as(office, with_name("Northwind", "After the undo"), ALICE)
    assert "Deal B" not in again and "Deal A" in again
    actions = [a.action for a in audits(office) if a.action in ("counterpart.merged", "counterpart.unmerged")]
    assert actions == ["counterpart.merged", "counterpart.unmerged"]
    assert {n.counterpart_id for n in rows(office, Negotiation) if n.title == "Deal B"} == {
        nw
    }  # never rewritten


def test_rename_delete_and_restore_are_audited_and_lose_nothing(office: Parley) -> None:
    past_deal(office, "Northwind Ltd", "Deal A")
    [cid] = ids_by_name(office).values()
    assert "is now called Northwind Group" in command_as(
        office, f"counterparts rename {cid} Northwind Group", DAVE
    )
    assert "is deleted" in command_as(office, f"counterparts delete {cid}", DAVE)
    fresh = prep_as(office, with_name("Northwind Group"), ALICE)
    assert "What we know" not in fresh  # deleted: not recalled; a new counterpart is made
    [deal_a] = [n for n in rows(office, Negotiation) if n.title == "Deal A"]
    assert deal_a.counterpart_name == "Northwind Ltd" and deal_a.counterpart_id == cid  # kept as typed
    assert "is back" in command_as(office, f"counterparts restore {cid}", DAVE)
    actions = [a.action for a in audits(office) if a.subject_id == cid]
    assert actions[-3:] == ["counterpart.renamed", "counterpart.deleted", "counterpart.restored"]


@pytest.mark.parametrize(
    "text", ["counterparts merge", "counterparts merge 1 into", "counterparts frobnicate"]
)
def test_an_unreadable_counterparts_command_shows_the_usage_and_changes_nothing(
    office: Parley, text: str
) -> None:
    past_deal(office)
    before = [(c.id, c.name, c.merged_into_id, c.deleted_at) for c in counterparts(office)]
    assert "admins can `merge 12 into 7`" in command_as(office, text, DAVE)
    assert [(c.id, c.name, c.merged_into_id, c.deleted_at) for c in counterparts(office)] == before


def test_an_id_from_another_workspace_is_not_found(office: Parley) -> None:
    past_deal(office)
    mallory = resolve_actor(office.services, office.app.client, OTHER_TEAM, MALLORY)
    mallory = dataclasses.replace(mallory, is_admin=True)
    [cid] = ids_by_name(office).values()
    from bot.flows.counterparts import CounterpartRefused, run_command
    from coaching.counterpart_names import AdminCommand

    with pytest.raises(CounterpartRefused, match="There is no counterpart"):
        run_command(office.services, mallory, AdminCommand("delete", cid))
    assert [c.deleted_at for c in counterparts(office)] == [None]


def test_the_list_respects_privacy(office: Parley) -> None:
    past_deal(office, "Northwind Ltd", "Deal A")
    mine = command_as(office, "counterparts", ALICE)
    assert "Northwind Ltd" in mine and "balance +" in mine and "#" not in mine.split("Northwind")[0]
    stranger = command_as(office, "counterparts", CAROL)
    assert "Northwind Ltd" in stranger and "details private" in stranger and "balance" not in stranger
    admin = command_as(office, "counterparts", DAVE)
    assert "`#" in admin


# ------------------------------------------------------------------------------------------ hostile names


@pytest.mark.parametrize(
    "name",
    [
        "<!channel> *Acme* _Ltd_",
        "&lt;script&gt; Ltd",
        "Ａｃｍｅ　ＧｍｂＨ",
        "🦄 Unicorn Co.",
        "x" * 150,
        "Ltd.",
    ],
)
def test_hostile_names_are_stored_escaped_on_display_and_remembered(office: Parley, name: str) -> None:
    past_deal(office, name, "Deal A")
    shown = prep_as(office, with_name(name, "Deal B"), ALICE)
    assert "<!channel>" not in json_of(plan_messages(office, ALICE)[-1])
    assert "Deal A" in shown  # remembered
    assert len({n.counterpart_id for n in rows(office, Negotiation)}) == 1


def json_of(message: dict[str, Any]) -> str:
    import json

    return json.dumps(message.get("blocks", []), ensure_ascii=False)


# ------------------------------------------------------------------------------------------ home


def test_home_lists_counterparts_with_last_contact_count_and_balance(office: Parley) -> None:
    past_deal(office, "Northwind Ltd", "Deal A")
    office.open_home(ALICE)
    home = json_of(office.slack.home(ALICE) or {})
    assert (
        "Counterparts" in home and "Northwind Ltd" in home and "1 negotiation" in home and "balance +" in home
    )
    office.open_home(CAROL)
    theirs = json_of(office.slack.home(CAROL) or {})
    assert "Northwind Ltd" in theirs and "details private" in theirs and "balance +" not in theirs


# ------------------------------------------------------------------------------------------ review


def test_review_is_for_admins_and_suggests_edits_with_evidence(office: Parley) -> None:
    for n in range(3):
        past_deal(office, f"Customer {n}", f"Deal {n}")
    refused = command_as(office, "review", ALICE)
    assert "The playbook review is for admins" in refused
    assert "`/negotiate digest`" in refused  # the app's own code span, as Slack formats it
    raw = command_as(office, "review", DAVE)
    assert "`counters.customer`:" in raw  # not guarded as if someone had typed the backticks
    review = raw.replace("\u200b", "")
    assert "Playbook review: the last 30 days" in review
    assert "3 debriefed negotiations" in review
    assert "Discount above 10%" in review  # the limit breached in each debrief
    assert "`counters.customer`" in review and "Evidence: breached 3 times" in review
    assert "“Quarterly business review” (customer): accepted 0 of 3" in review


def test_the_reviews_own_formatting_shows_as_formatting_and_peoples_words_as_typed(office: Parley) -> None:
    """Item 5: the app's code spans (playbook keys) and bold (move names) format in Slack; the limit
    quoted inside a suggestion stays plain text (runs read it as Slack's formatter would)."""
    from bot.testkit.mrkdwn_display import displayed, runs
    from coaching.playbook import load_default

    for n in range(3):
        past_deal(office, f"Customer {n}", f"Deal {n}")
    before = len(office.slack.ephemerals(user=DAVE))
    office.command("review", user_id=DAVE, channel_id=office.slack.dm_channel(DAVE))
    [reply] = office.slack.ephemerals(user=DAVE)[before:]
    texts = [message_text({"blocks": [block]}) for block in reply["blocks"]]
    shown = [run for text in texts for run in runs(text)]
    assert any(run.text == "counters.customer" and run.styles == {"code"} for run in shown), shown
    moves = {move.name for move in load_default().moves}
    assert any(run.text in moves and run.styles == {"bold"} for run in shown), shown
    everything = "\n".join(displayed(text) for text in texts)
    assert "`" not in everything  # no backtick is shown: every one of them formats
    assert "“Discount above 10%”" in everything
    refused = command_as(office, "review", ALICE)
    assert any(run.text == "/negotiate digest" and run.styles == {"code"} for run in runs(refused))


def test_a_negotiation_with_them_still_ahead_is_the_next_meeting_not_the_last_contact(office: Parley) -> None:
    prep_as(office, with_name("Northwind Ltd", "Renewal, first round"), ALICE)  # planned, dated ahead
    shown = prep_as(office, with_name("Northwind", "Renewal, second round"), ALICE)
    assert "Met 1 time here: 0 agreed, 0 no deal, 1 open; next meeting " in shown
    assert "last contact" not in shown
