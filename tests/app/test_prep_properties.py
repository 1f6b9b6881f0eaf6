"""Hostile text through the prep modal: whatever is typed, Slack accepts every call Parley makes, no
mention, channel ping or link is injected, errors land under inputs, and a saved prep keeps the text
verbatim (and reopens in *Edit prep*)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.flows.prep_modal import BLOCK_FOR
from bot.testkit.requests_interactivity import ClientRefused, without_length_limits
from coaching.counterparts import CounterpartKind
from coaching.prep import PrepForm
from coaching.styles import Style
from storage.models import PrepPlan
from templates.ids.negotiation import NegotiationAction
from tests.app.conftest import Parley, response_json
from tests.app.test_prep import ALICE, MEETING, open_prep, plan_messages, prep_values, rows
from tests.templates.conftest import HOSTILE_SNIPPETS, hostile_text, live_tokens


def sendable(text: str) -> str:
    """Slack sends valid UTF-8: a lone surrogate cannot reach the app (or be encoded by the harness)."""
    return text.encode("utf-8", "ignore").decode("utf-8")


snippet = st.sampled_from(HOSTILE_SNIPPETS)
short = st.lists(st.one_of(snippet, st.text(max_size=6)), min_size=1, max_size=6).map("".join).map(sendable)
hostile = hostile_text.map(sendable)
label = short.map(lambda text: "Item " + " ".join(text.split()))
amount = st.sampled_from(["", " – $500", " – 1.5k – worth $2,000", " (worth 800 EUR)", " – 12abc"])
lines = st.lists(st.tuples(label, amount).map("".join), max_size=4).map("\n".join)


def mostly(usable: st.SearchStrategy[str], hostile: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Usually text that may pass validation (so the plan is posted), sometimes anything at all."""
    return st.one_of(usable, usable, usable, hostile)


def sent_payloads(parley: Parley) -> list[dict[str, Any]]:
    """Every message or view Parley sent to Slack (what the fake Slack validated)."""
    payloads = []
    for call in parley.slack.calls:
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            payloads.append({"text": call.args.get("text", ""), "blocks": call.args.get("blocks") or []})
        elif call.method in ("views.open", "views.update", "views.publish"):
            payloads.append(call.args["view"])
    return payloads


def assert_only_valid_and_inert(parley: Parley) -> None:
    failed = [
        (call.method, call.error, call.response.get("errors")) for call in parley.slack.calls if not call.ok
    ]
    assert failed == [], "Slack rejected a call"
    own = {f"<@{ALICE}>"}  # the app's own greeting mentions the member it greets (built by mention())
    for payload in sent_payloads(parley):
        injected = [token for token in live_tokens(payload) if token not in own]
        assert injected == [], "user text became a live mention, channel or link"


prep_forms = st.builds(
    PrepForm,
    title=mostly(short.map(lambda text: "Deal " + text[:140]), hostile),
    counterpart_kind=st.sampled_from([kind.value for kind in CounterpartKind]),
    counterpart_name=mostly(short.map(lambda text: text[:150]), hostile),
    date=st.just(MEETING),
    objectives=mostly(short.map(lambda text: "Objective " + text), hostile),
    limits=mostly(lines, hostile),
    walk_away=mostly(short, hostile),
    tradeables=mostly(lines, hostile),
    wants=lines,
    counterpart_style=st.sampled_from(["", *(style.value for style in Style)]),
)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=prep_forms)
def test_hostile_prep_input_yields_only_valid_inert_block_kit(parley: Parley, form: PrepForm) -> None:
    parley.slack.reset_calls()
    view = open_prep(parley, form.title.replace("\n", " ")[:200])
    try:
        response = parley.submit(prep_values(form), view=view)
    except ClientRefused:  # over a field's max_length: what reaches Parley if a client lets it through
        response = parley.submit(prep_values(form), view=without_length_limits(view))
    assert response.status == 200
    body = response_json(response)
    event("saved" if not body else "refused: " + ", ".join(sorted(body.get("errors", {}))))
    if body:
        assert body["response_action"] == "errors"
        assert set(body["errors"]) <= set(BLOCK_FOR.values())
    else:
        plan = plan_messages(parley)[-1]
        stored = rows(parley, PrepPlan)[-1]
        typed = (form.objectives, form.tradeables, form.wants, form.limits)
        # NUL is dropped as the form is read (Slack shows nothing for it); the rest is kept as typed.
        assert (stored.objectives, stored.tradeables, stored.wants, stored.limits) == tuple(
            text.replace("\x00", "") for text in typed
        )
        assert stored.slack_ts == plan["ts"]
        parley.click(NegotiationAction.EDIT_PREP, message=plan)  # the saved text prefills the modal
        assert parley.open_view()["title"]["text"] == "Edit prep"
    assert_only_valid_and_inert(parley)
    assert parley.slack.ephemerals(user=ALICE) == []
