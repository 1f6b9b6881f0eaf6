"""`/negotiate prep` end to end: the modal, validation in it, the stored prep, the plan in the DM,
*Edit prep*, authorisation, double submissions and failures after (and before) the commit."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text

from bot.app import build_app
from bot.flows.prep_modal import BLOCK_FOR
from bot.members import resolve_actor
from bot.services import Services
from bot.testkit.requests_interactivity import ClientRefused, without_length_limits
from coaching.counterparts import CounterpartKind
from coaching.fullplan import full_plan_sections, order_for
from coaching.playbook import load_default
from coaching.prep import PrepField, PrepForm, build_prep_plan, validate_prep
from coaching.samples import SAMPLES
from coaching.styles import Style, profile_for
from storage.models import AuditEvent, IdempotencyKey, Member, Negotiation, PrepPlan
from templates import escape_mrkdwn
from templates.ids.commitments import CommitAction
from templates.ids.negotiation import NegotiationAction
from templates.ids.prep import PrepBlock, PrepPlanBlock
from templates.ids.trades import TradeAction
from tests.app.conftest import NOW, InlineExecutor, Parley, response_json
from tests.templates.conftest import live_tokens

ALICE, BOB = "U0ALICE", "U0BOB"
TODAY = "2026-11-23"  # NOW in Alice's time zone (Europe/London)
MEETING = "2026-12-01"

CUSTOMER = PrepForm(
    title="Renewal pricing",
    counterpart_kind="customer",
    counterpart_name="Northwind Ltd",
    date=MEETING,
    objectives="Renew for 24 months\nKeep the discount under 5%",
    limits="Discount above 10%",
    walk_away="Renewal below $100,000 a year",
    tradeables=(
        "Extra onboarding workshop – $1,500 – worth $4,000\n"
        "Quarterly business review – $500 – worth $2,000\n"
        "Discount above 10% – $12,000"
    ),
    wants="24-month term – worth $20,000\nPayment up front – worth $3,000",
    counterpart_style="strategist",
)


# ------------------------------------------------------------------------------------------ helpers


def form_for(kind: CounterpartKind) -> PrepForm:
    """The coaching samples, moved to a date that is still ahead of NOW."""
    return dataclasses.replace(SAMPLES[kind].prep, date=MEETING)


def prep_values(form: PrepForm) -> dict[str, Any]:
    """``{block_id: value}`` for the harness: what a member would type and pick."""
    values: dict[str, Any] = {}
    for field in PrepField:
        value = getattr(form, field.value)
        selects = (PrepField.COUNTERPART_KIND, PrepField.COUNTERPART_STYLE, PrepField.DATE)
        values[BLOCK_FOR[field]] = (value or None) if field in selects else value
    return values


def set_style(parley: Parley, user_id: str, style: Style | None) -> None:
    """Record the member (first contact) and give them a style, as the assessment would."""
    actor = resolve_actor(parley.services, parley.app.client, "T0EXAMPLE", user_id)
    with parley.services.db.session() as session:
        member = session.get(Member, actor.member_id)
        assert member is not None
        member.style = style.value if style else None


def open_prep(
    parley: Parley, args: str = "", user_id: str = ALICE, channel_id: str = "D0ALICE"
) -> dict[str, Any]:
    response = parley.command(f"prep {args}".strip(), user_id=user_id, channel_id=channel_id)
    assert response.status == 200
    view = parley.open_view(user_id)
    assert view["callback_id"] == "prep_submit"
    return view


def prep(parley: Parley, form: PrepForm = CUSTOMER, user_id: str = ALICE) -> dict[str, Any]:
    """Run /negotiate prep and submit ``form``; returns the plan message from the DM."""
    view = open_prep(parley, user_id=user_id)
    response = parley.submit(prep_values(form), user_id=user_id, view=view)
    assert response.status == 200 and response_json(response) == {}, response.body
    return plan_messages(parley, user_id)[-1]


def plan_messages(parley: Parley, user_id: str = ALICE) -> list[dict[str, Any]]:
    return [m for m in parley.dms(user_id) if m["text"].startswith("Prep plan:")]


def full_plan(parley: Parley, card: dict[str, Any], user_id: str = ALICE) -> dict[str, Any]:
    """The full plan: the one reply in the card's thread."""
    [reply] = parley.slack.thread(parley.slack.dm_channel(user_id), card["ts"])
    return reply


def plan_text(parley: Parley, card: dict[str, Any], user_id: str = ALICE) -> str:
    """Everything the plan shows: the three-moves card, then the full plan in its thread."""
    return message_text(card) + "\n" + message_text(full_plan(parley, card, user_id))


def message_text(message: dict[str, Any]) -> str:
    """Everything displayed in a message's blocks, one text object per line."""
    lines: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                lines.append(node["text"])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks", []))
    return "\n".join(lines)


def action_ids(message: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def count(parley: Parley, model: type[Any]) -> int:
    with parley.services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def rows(parley: Parley, model: type[Any]) -> list[Any]:
    with parley.services.db.session() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def errors_of(response: Any) -> dict[str, str]:
    body = response_json(response)
    assert body.get("response_action") == "errors", body
    return dict(body["errors"])


def at(parley: Parley, now: datetime) -> Parley:
    services = Services(settings=parley.services.settings, db=parley.services.db, clock=lambda: now)
    return Parley(build_app(services, listener_executor=InlineExecutor()), services, parley.slack)


def expected_plan(form: PrepForm, style: Style | None) -> Any:
    validation = validate_prep(form, today=NOW.date(), default_currency="USD")
    assert validation.prep is not None, validation.errors
    return build_prep_plan(validation.prep, style, load_default())


# ------------------------------------------------------------------------------------------ the modal


def test_prep_opens_the_modal_with_the_title_typed_after_the_command(parley: Parley) -> None:
    view = open_prep(parley, "Q3 renewal with <!channel>")
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks[PrepBlock.TITLE]["element"]["initial_value"] == "Q3 renewal with <!channel>"
    kinds = blocks[PrepBlock.COUNTERPART_KIND]["element"]["options"]
    assert [option["value"] for option in kinds] == [kind.value for kind in CounterpartKind]
    assert blocks[PrepBlock.DATE]["element"]["type"] == "datepicker"
    hint = blocks[PrepBlock.TRADEABLES]["hint"]["text"]
    assert "Extra training day – $2,000 (worth 5k to them)" in hint
    assert len(view["private_metadata"]) < 100
    assert "/negotiate style" in message_text(view)  # no style yet: neutral coaching is announced


def test_help_lists_prep_and_debrief(parley: Parley) -> None:
    help_text = message_text(response_json(parley.command("help")))
    assert "/negotiate prep [title]" in help_text and "/negotiate debrief" in help_text


# ------------------------------------------------------------------------------------------ happy paths


@pytest.mark.parametrize(
    ("style", "kind"),
    [
        (Style.CLOSER, CounterpartKind.MANAGEMENT),
        (Style.DIPLOMAT, CounterpartKind.CONSULTANT),
        (Style.STRATEGIST, CounterpartKind.CUSTOMER),
        (Style.GAME_CHANGER, CounterpartKind.LEARNER),
        (Style.CLOSER, CounterpartKind.SUPPLIER),
        (None, CounterpartKind.OTHER),
    ],
)
def test_prep_stores_the_prep_and_dms_the_plan_for_the_style_and_kind(
    parley: Parley, style: Style | None, kind: CounterpartKind
) -> None:
    set_style(parley, ALICE, style)
    form = form_for(kind)
    message = prep(parley, form)
    shown = plan_text(parley, message)
    plan = expected_plan(form, style)
    profile = profile_for(style)

    assert escape_mrkdwn(f"Prep plan: {form.title}") in shown
    assert profile.label in shown
    assert plan.trades, "the samples all have something to trade"
    sections = full_plan_sections(plan)  # the full plan, in the style's order and words
    for section in sections:
        assert escape_mrkdwn(section.title) in shown
        for line in section.lines:
            assert escape_mrkdwn(line) in shown
    keys = {s.key for s in sections}
    assert [s.key for s in sections] == [key for key in order_for(style, kind) if key in keys]
    for note in plan.style_notes:  # "For you": this style with this kind of counterpart
        assert escape_mrkdwn(note) in shown
    for limit in plan.limits:
        assert escape_mrkdwn(limit.limit) in shown
    for ask in plan.asks:
        assert escape_mrkdwn(ask.script) in shown
    for held in plan.held_back:
        assert escape_mrkdwn(held.tradeable.item) in shown
    assert escape_mrkdwn(plan.walk_away) in shown
    assert (escape_mrkdwn(plan.checklist[0]) in shown) == (style is None)  # the neutral plan's checklist
    assert ("/negotiate style" in shown) == (style is None)
    reply = full_plan(parley, message)
    assert reply["blocks"][-1]["elements"][0]["text"].startswith("Written for")  # nothing was cut
    assert action_ids(reply) == []  # the buttons are on the card only
    assert action_ids(message)[:2] == [NegotiationAction.LOG_DEBRIEF, NegotiationAction.EDIT_PREP]

    [negotiation] = rows(parley, Negotiation)
    [stored] = rows(parley, PrepPlan)
    assert (negotiation.title, negotiation.counterpart_kind, negotiation.status) == (
        form.title,
        kind,
        "planned",
    )
    assert negotiation.date is not None and negotiation.date.isoformat() == MEETING
    assert (stored.objectives, stored.limits, stored.tradeables, stored.wants, stored.walk_away) == (
        form.objectives,
        form.limits,
        form.tradeables,
        form.wants,
        form.walk_away,
    )
    assert stored.style == (style.value if style else None)
    assert stored.counterpart_style == (form.counterpart_style or None)
    assert (stored.slack_channel, stored.slack_ts, stored.slack_thread_ts) == (
        parley.slack.dm_channel(ALICE),
        message["ts"],
        reply["ts"],
    )
    assert [event.action for event in rows(parley, AuditEvent) if event.action.startswith("prep.")] == [
        "prep.created"
    ]


def test_limits_are_held_back_from_the_trades(parley: Parley) -> None:
    shown = plan_text(parley, prep(parley))
    assert "Held back" in shown
    assert "more than 10 % offered (“Discount above 10%”) — your limit was discount ≤ 10 %" in shown
    assert "we’ll agree to “Discount above 10%”" not in shown


def test_user_text_in_the_plan_is_escaped(parley: Parley) -> None:
    form = dataclasses.replace(
        CUSTOMER, title="<!channel> renewal", objectives="Ping <@U0BOB> & <https://evil.example|click>"
    )
    message = prep(parley, form)
    assert live_tokens({"blocks": message["blocks"], "text": message["text"]}) == []
    assert "&lt;!channel&gt; renewal" in message_text(message)


# ------------------------------------------------------------------------------------------ validation


VALIDATION_CASES = [
    (
        {"date": "2026-11-22"},
        PrepBlock.DATE,
        "2026-11-22 has already passed; pick today (2026-11-23) or later.",
    ),
    (
        {"tradeables": "Extra onboarding workshop – $1,500\nCoaching – 12abc"},
        PrepBlock.TRADEABLES,
        "Line 2 “Coaching – 12abc”: value '12abc' ",
    ),
    (
        {"wants": "24-month term – costs $500"},
        PrepBlock.WANTS,
        "Line 1 “24-month term – costs $500”: a want has a value to us",
    ),
    ({"objectives": "  \n \n"}, PrepBlock.OBJECTIVES, "Write at least one objective"),
    ({"title": "x" * 151}, PrepBlock.TITLE, "Keep this under 150 characters (it has 151)."),
    ({"objectives": "y" * 3001}, PrepBlock.OBJECTIVES, "Keep this under 3,000 characters (it has 3,001)."),
    ({"walk_away": "w" * 3001}, PrepBlock.WALK_AWAY, "Keep this under 3,000 characters (it has 3,001)."),
    ({"counterpart_name": "n" * 151}, PrepBlock.COUNTERPART_NAME, "Keep this under 150 characters"),
    ({"counterpart_kind": ""}, PrepBlock.COUNTERPART_KIND, "Choose who you are negotiating with."),
    ({"date": ""}, PrepBlock.DATE, "Pick the date of the negotiation."),
]


def test_each_validation_error_shows_in_the_modal_and_stores_nothing(parley: Parley) -> None:
    view = open_prep(parley)
    refused = 0
    for change, block, expected in VALIDATION_CASES:
        typed = prep_values(dataclasses.replace(CUSTOMER, **change))
        try:
            response = parley.submit(typed, view=view)
        except ClientRefused:  # over the field's max_length: Slack stops it at the field...
            refused += 1  # ...and the server refuses it too, should it arrive
            response = parley.submit(typed, view=without_length_limits(view))
        errors = errors_of(response)
        assert set(errors) == {block}, change
        assert expected in errors[block], (change, errors[block])
    assert refused == sum("Keep this under" in expected for _, _, expected in VALIDATION_CASES) > 0
    assert count(parley, Negotiation) == count(parley, PrepPlan) == count(parley, IdempotencyKey) == 0
    assert plan_messages(parley) == []
    # Fixed, the same modal goes through: nothing typed was lost along the way.
    assert response_json(parley.submit(prep_values(CUSTOMER), view=view)) == {}
    assert count(parley, Negotiation) == 1


def test_every_unreadable_line_is_reported_with_its_number(parley: Parley) -> None:
    view = open_prep(parley)
    bad = "Coaching – 12abc\n\nWorkshop – $1,500\nJob aids – €€5\n – $300"
    errors = errors_of(parley.submit(prep_values(dataclasses.replace(CUSTOMER, tradeables=bad)), view=view))
    message = errors[PrepBlock.TRADEABLES]
    assert "Line 1 “Coaching – 12abc”" in message
    assert "line 4 “Job aids – €€5”" in message
    assert "line 5" in message and "label empty" in message


def test_the_date_is_checked_against_the_members_own_calendar(parley: Parley) -> None:
    parley.slack.add_user("U0KIRI", name="kiri", tz="Pacific/Kiritimati")  # UTC+14: already tomorrow
    later = at(parley, datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    view = open_prep(later, user_id="U0KIRI", channel_id=later.slack.dm_channel("U0KIRI"))
    response = later.submit(
        prep_values(dataclasses.replace(CUSTOMER, date="2026-11-23")), user_id="U0KIRI", view=view
    )
    assert "pick today (2026-11-24) or later" in errors_of(response)[PrepBlock.DATE]


# ------------------------------------------------------------------------------------------ edit prep


def test_edit_prep_reopens_the_modal_prefilled_and_updates_in_place(parley: Parley) -> None:
    set_style(parley, ALICE, Style.DIPLOMAT)
    plan = prep(parley)
    reply = full_plan(parley, plan)
    assert parley.click(NegotiationAction.EDIT_PREP, message=plan).status == 200
    view = parley.open_view()
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert view["title"]["text"] == "Edit prep"
    assert blocks[PrepBlock.TITLE]["element"]["initial_value"] == CUSTOMER.title
    assert blocks[PrepBlock.TRADEABLES]["element"]["initial_value"] == CUSTOMER.tradeables
    assert blocks[PrepBlock.DATE]["element"]["initial_date"] == MEETING
    assert blocks[PrepBlock.COUNTERPART_KIND]["element"]["initial_option"]["value"] == "customer"
    assert blocks[PrepBlock.COUNTERPART_STYLE]["element"]["initial_option"]["value"] == "strategist"

    response = parley.submit(
        {PrepBlock.TITLE: "Renewal pricing, round two", PrepBlock.LIMITS: "Discount above 10%\nNet 90 terms"},
        view=view,
    )
    assert response_json(response) == {}
    [negotiation] = rows(parley, Negotiation)
    [stored] = rows(parley, PrepPlan)
    assert negotiation.title == "Renewal pricing, round two"
    assert stored.limits == "Discount above 10%\nNet 90 terms"
    assert stored.tradeables == CUSTOMER.tradeables  # untouched fields kept verbatim
    [message] = plan_messages(parley)  # the card and its thread reply updated in place, not posted again
    updated_reply = full_plan(parley, message)
    assert message["ts"] == plan["ts"] and "edited" in message
    assert updated_reply["ts"] == reply["ts"] and "edited" in updated_reply
    assert "Renewal pricing, round two" in message_text(message)
    assert "Net 90 terms" in message_text(updated_reply) and "Net 90 terms" not in message_text(reply)
    assert "Updated with your latest edits" in message_text(message)
    assert [call.args["ts"] for call in parley.slack.calls_to("chat.update")] == [plan["ts"], reply["ts"]]
    assert len(parley.slack.calls_to("chat.postMessage")) == 2  # the card and the reply, once each
    actions = [event.action for event in rows(parley, AuditEvent) if event.action.startswith("prep.")]
    assert actions == ["prep.created", "prep.updated"]


def test_edit_prep_posts_a_new_plan_when_the_old_message_is_gone(parley: Parley) -> None:
    plan = prep(parley)
    parley.app.client.chat_delete(channel=parley.slack.dm_channel(ALICE), ts=plan["ts"])
    parley.click(NegotiationAction.EDIT_PREP, message=plan)
    parley.submit({PrepBlock.TITLE: "Renewal, again"})
    [message] = plan_messages(parley)
    assert message["ts"] != plan["ts"] and "Renewal, again" in message["text"]
    [stored] = rows(parley, PrepPlan)
    assert stored.slack_ts == message["ts"]
    assert count(parley, Negotiation) == 1


def test_double_submitted_edit_updates_once(parley: Parley) -> None:
    plan = prep(parley)
    parley.click(NegotiationAction.EDIT_PREP, message=plan)
    view = parley.open_view()
    for _ in range(2):
        assert parley.submit({PrepBlock.TITLE: "Twice"}, view=view).status == 200
    assert len(parley.slack.calls_to("chat.update")) == 2  # the card and its thread reply, once
    assert full_plan(parley, plan)["text"] == "Full plan: Twice"
    assert count(parley, Negotiation) == count(parley, PrepPlan) == 1


# ------------------------------------------------------------------------------------------ authorisation


def test_someone_elses_edit_click_is_refused_and_changes_nothing(parley: Parley) -> None:
    plan = prep(parley)
    views_before = len(parley.slack.calls_to("views.open"))
    response = parley.click(
        NegotiationAction.EDIT_PREP, message=plan, user_id=BOB, channel_id=parley.slack.dm_channel(ALICE)
    )
    assert response.status == 200
    assert len(parley.slack.calls_to("views.open")) == views_before
    [notice] = parley.slack.ephemerals(user=BOB)
    assert "isn't yours" in notice["text"]
    assert parley.slack.ephemerals(user=ALICE) == []


def test_a_forged_submission_for_someone_elses_negotiation_is_refused(parley: Parley) -> None:
    prep(parley)
    [negotiation] = rows(parley, Negotiation)
    view = open_prep(parley, user_id=BOB, channel_id="C0GENERAL")
    view["private_metadata"] = f'{{"channel_id":"C0GENERAL","negotiation_id":{negotiation.id}}}'
    errors = errors_of(
        parley.submit(prep_values(dataclasses.replace(CUSTOMER, title="Mine now")), user_id=BOB, view=view)
    )
    assert "isn't yours" in errors[PrepBlock.TITLE]
    [unchanged] = rows(parley, Negotiation)
    assert unchanged.title == CUSTOMER.title and count(parley, PrepPlan) == 1


def test_a_forged_button_value_is_answered_not_crashed_on(parley: Parley) -> None:
    plan = prep(parley)
    actions = next(block for block in plan["blocks"] if block.get("block_id") == PrepPlanBlock.ACTIONS)
    for element in actions["elements"]:
        element["value"] = '{"negotiation_id": "drop table"}'
    assert parley.click(NegotiationAction.EDIT_PREP, message=plan).status == 200
    assert "doesn't work any more" in parley.slack.ephemerals(user=ALICE)[-1]["text"]


def test_stale_metadata_is_answered_in_the_modal(parley: Parley) -> None:
    view = open_prep(parley)
    view["private_metadata"] = "not json"
    errors = errors_of(parley.submit(prep_values(CUSTOMER), view=view))
    assert "out of date" in errors[PrepBlock.TITLE]
    assert count(parley, Negotiation) == 0


# ------------------------------------------------------------------------------------------ robustness


def test_double_submission_stores_one_negotiation_and_posts_one_plan(parley: Parley) -> None:
    view = open_prep(parley)
    for _ in range(2):
        response = parley.submit(prep_values(CUSTOMER), view=view)
        assert response.status == 200 and response_json(response) == {}
    assert count(parley, Negotiation) == count(parley, PrepPlan) == 1
    assert len(plan_messages(parley)) == 1


@pytest.mark.parametrize(
    "failure",
    [
        {"error": "channel_not_found"},
        {"rate_limited": 30},  # too long to wait on a listener thread
    ],
)
def test_a_slack_failure_after_the_commit_keeps_the_prep_and_tells_the_member(
    parley: Parley, failure: dict[str, Any]
) -> None:
    view = open_prep(parley, channel_id="C0GENERAL")
    if "rate_limited" in failure:
        parley.slack.rate_limit("chat.postMessage", retry_after=failure["rate_limited"])
    else:
        parley.slack.fail_next("chat.postMessage", **failure)
    response = parley.submit(prep_values(CUSTOMER), view=view)
    assert response.status == 200 and response_json(response) == {}
    assert plan_messages(parley) == []
    assert count(parley, Negotiation) == 1
    [stored] = rows(parley, PrepPlan)
    assert stored.slack_ts is None and stored.tradeables == CUSTOMER.tradeables
    [notice] = parley.slack.ephemerals(channel="C0GENERAL", user=ALICE)
    assert "Your prep is saved" in notice["text"] and "Nothing you typed is lost" in message_text(notice)


@pytest.mark.parametrize("failure", [{"status": 500}, {"rate_limited": 0}])
def test_a_transient_slack_failure_is_retried(parley: Parley, failure: dict[str, Any]) -> None:
    view = open_prep(parley)
    if "rate_limited" in failure:
        parley.slack.rate_limit("chat.postMessage", retry_after=failure["rate_limited"])
    else:
        parley.slack.fail_next("chat.postMessage", **failure)
    parley.submit(prep_values(CUSTOMER), view=view)
    [message] = plan_messages(parley)
    [stored] = rows(parley, PrepPlan)
    assert stored.slack_ts == message["ts"]
    assert parley.slack.ephemerals(user=ALICE) == []


def test_a_database_failure_answers_in_the_modal_and_writes_nothing(parley: Parley) -> None:
    view = open_prep(parley)
    with parley.services.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE prep_plans"))
    errors = errors_of(parley.submit(prep_values(CUSTOMER), view=view))
    assert "couldn't save this" in errors[PrepBlock.TITLE] and "still here" in errors[PrepBlock.TITLE]
    assert count(parley, Negotiation) == count(parley, IdempotencyKey) == 0
    assert plan_messages(parley) == []
    PrepPlan.__table__.create(parley.services.db.engine)  # the database is back: the same modal goes through
    assert response_json(parley.submit(prep_values(CUSTOMER), view=view)) == {}
    assert count(parley, Negotiation) == count(parley, PrepPlan) == 1
    assert len(plan_messages(parley)) == 1


def test_the_modal_not_opening_is_reported(parley: Parley) -> None:
    parley.slack.fail_next("views.open", error="expired_trigger_id")
    parley.command("prep", channel_id="C0GENERAL")
    [notice] = parley.slack.ephemerals(channel="C0GENERAL", user=ALICE)
    assert "didn't open" in notice["text"]


# ------------------------------------------------------------------------------------------ card and thread


@pytest.mark.parametrize("style", [*Style, None])
@pytest.mark.parametrize(
    "kind", [CounterpartKind.CUSTOMER, CounterpartKind.LEARNER, CounterpartKind.MANAGEMENT]
)
def test_the_card_is_the_three_moves_and_the_full_plan_is_its_one_thread_reply(
    parley: Parley, style: Style | None, kind: CounterpartKind
) -> None:
    set_style(parley, ALICE, style)
    card = prep(parley, form_for(kind))
    reply = full_plan(parley, card)
    card_text, full_text = message_text(card), message_text(reply)

    assert len(card_text) <= 1_800, len(card_text)  # the moves are ≤ 1,500; the rest is the header
    assert "Your three moves" in card_text and "full plan is in this message's thread" in card_text
    assert "For you" not in card_text and "Commitments to ask for" not in card_text
    assert "Your three moves" not in full_text
    for section in full_plan_sections(expected_plan(form_for(kind), style)):
        assert escape_mrkdwn(section.title) in full_text
    assert reply["thread_ts"] == card["ts"] and reply["text"] == f"Full plan: {form_for(kind).title}"
    assert action_ids(card) == [
        NegotiationAction.LOG_DEBRIEF,
        NegotiationAction.EDIT_PREP,
        TradeAction.PROPOSE,
        CommitAction.ADD,
    ]
    whole = (card_text + full_text).lower()
    assert whole.count("never give") <= 1  # each principle said once (at most)
    if kind is CounterpartKind.LEARNER:
        assert "counter they'll refuse" not in whole  # a move that doesn't apply is left out
    if kind is not CounterpartKind.CUSTOMER:  # places are booked: the chargeback is asked for up front
        assert "Commitments to ask for, with their conditions" in full_text
        assert "14 days' notice is charged back at 50 %" in full_text
    assert [m["ts"] for m in parley.dms(ALICE)].count(card["ts"]) == 1
    assert len(parley.slack.thread(parley.slack.dm_channel(ALICE), card["ts"])) == 1


def test_a_gone_thread_reply_is_posted_again_under_the_card_on_edit(parley: Parley) -> None:
    card = prep(parley)
    reply = full_plan(parley, card)
    parley.app.client.chat_delete(channel=parley.slack.dm_channel(ALICE), ts=reply["ts"])
    parley.click(NegotiationAction.EDIT_PREP, message=card)
    parley.submit({PrepBlock.TITLE: "Renewal, again"})
    [message] = plan_messages(parley)
    again = full_plan(parley, message)
    assert message["ts"] == card["ts"] and again["ts"] != reply["ts"]
    assert again["text"] == "Full plan: Renewal, again"
    [stored] = rows(parley, PrepPlan)
    assert (stored.slack_ts, stored.slack_thread_ts) == (card["ts"], again["ts"])


def test_a_refused_thread_reply_keeps_the_card_and_tells_the_member(parley: Parley) -> None:
    def refuse_the_reply(call: Any) -> None:
        if call.method == "chat.postMessage" and str(call.args.get("text", "")).startswith("Prep plan:"):
            parley.slack.fail_next("chat.postMessage", error="msg_too_long")

    unsubscribe = parley.slack.subscribe(refuse_the_reply)
    card = prep(parley)
    unsubscribe()
    assert parley.slack.thread(parley.slack.dm_channel(ALICE), card["ts"]) == []
    [stored] = rows(parley, PrepPlan)
    assert (stored.slack_ts, stored.slack_thread_ts) == (card["ts"], None)
    notices = [message_text(e) for e in parley.slack.ephemerals(user=ALICE)]
    assert any("The full plan didn't arrive" in text for text in notices), notices


def test_a_huge_amount_in_prep_is_a_field_error_like_in_the_trade_modal(parley: Parley) -> None:
    """It used to be folded into the item's name; now it is shown under the field and nothing is saved."""
    view = open_prep(parley)
    huge = dataclasses.replace(CUSTOMER, tradeables="Extra day – 99999999999999 – worth 5,000")
    errors = errors_of(parley.submit(prep_values(huge), view=view))
    assert set(errors) == {PrepBlock.TRADEABLES}
    assert "too large" in errors[PrepBlock.TRADEABLES]
    assert count(parley, Negotiation) == 0
