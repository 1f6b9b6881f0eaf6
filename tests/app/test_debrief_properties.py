"""Hostile text through the debrief modal: Slack accepts every call Parley makes, nothing typed
becomes a live mention or link, errors land under inputs, and a stored debrief is whole."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.flows.debrief_modal import BLOCK_FOR
from bot.testkit.requests_interactivity import ClientRefused, without_length_limits
from coaching.counterparts import CounterpartKind
from coaching.debrief import DebriefForm, Outcome
from storage.models import Debrief, LedgerEntry, Negotiation
from templates.ids.debrief import DebriefBlock
from tests.app.conftest import Parley, response_json
from tests.app.test_debrief import analyses, debrief_values
from tests.app.test_prep import ALICE, count, rows
from tests.app.test_prep_properties import assert_only_valid_and_inert, hostile, label, lines, mostly, short

conceded_line = st.tuples(
    label,
    st.sampled_from([" – $500", "", " (300 EUR)"]),
    st.sampled_from([" -> ", " for ", " in return for "]),
    st.one_of(st.just("nothing"), label),
    st.sampled_from(["", " worth $800", " worth 12abc"]),
).map("".join)
commitment_line = st.tuples(
    st.sampled_from(["me", "we", "they", "Dana"]),
    short.map(lambda text: " ".join(text.split())),
    st.integers(1, 28),
).map(lambda parts: f"{parts[0]}: {parts[1]} by 2026-12-{parts[2]:02d}")

debrief_forms = st.builds(
    DebriefForm,
    outcome=st.sampled_from(["", *(outcome.value for outcome in Outcome)]),
    offered=mostly(lines, hostile),
    conceded=mostly(st.lists(conceded_line, max_size=4).map("\n".join), hostile),
    held=mostly(lines, hostile),
    commitments=mostly(st.lists(commitment_line, max_size=3).map("\n".join), hostile),
    reflection=mostly(short, hostile),
)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=debrief_forms, title=mostly(short.map(lambda text: "Talk " + text[:140]), hostile))
def test_hostile_debrief_input_yields_only_valid_inert_block_kit(
    parley: Parley, form: DebriefForm, title: str
) -> None:
    parley.slack.reset_calls()
    debriefs = count(parley, Debrief)
    parley.command("debrief")  # every earlier negotiation is debriefed: the modal asks which one
    view = parley.open_view()
    target = {DebriefBlock.TITLE: title, DebriefBlock.COUNTERPART_KIND: CounterpartKind.CUSTOMER.value}
    typed = debrief_values(form, **target)
    try:
        response = parley.submit(typed, view=view)
    except ClientRefused:  # over a field's max_length: what reaches Parley if a client lets it through
        response = parley.submit(typed, view=without_length_limits(view))
    assert response.status == 200
    body = response_json(response)
    event("saved" if not body else "refused: " + ", ".join(sorted(body.get("errors", {}))))
    if body:
        assert body["response_action"] == "errors"
        assert set(body["errors"]) <= set(BLOCK_FOR.values())
        assert count(parley, Debrief) == debriefs
    else:
        assert count(parley, Debrief) == debriefs + 1
        debrief = rows(parley, Debrief)[-1]
        # NUL is dropped as the form is read (Slack shows nothing for it), before anything else.
        assert debrief.analysis["form"]["conceded"] == form.conceded.replace("\x00", "")
        assert all(entry.debrief_id is not None for entry in rows(parley, LedgerEntry))
        assert rows(parley, Negotiation)[-1].title == title.replace("\x00", "").strip()
        assert len(analyses(parley)) == count(parley, Debrief)
    assert_only_valid_and_inert(parley)
    assert parley.slack.ephemerals(user=ALICE) == []
