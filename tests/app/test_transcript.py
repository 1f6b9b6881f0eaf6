"""A prep plan and a debrief analysis as the member reads them in their DM, end to end.

Run ``pytest tests/app/test_transcript.py -rP`` to see the transcript: what Slack would show, one
text object per line, for a Strategist preparing and then debriefing a customer renewal.
"""

from __future__ import annotations

from coaching.styles import Style
from tests.app.conftest import Parley, response_json
from tests.app.test_debrief import GOOD, analyses, debrief_values, open_from_button
from tests.app.test_prep import CUSTOMER, full_plan, message_text, prep, set_style


def test_transcript_of_a_prep_plan_and_its_debrief_analysis(parley: Parley) -> None:
    set_style(parley, "U0ALICE", Style.STRATEGIST)
    plan = prep(parley, CUSTOMER)
    view = open_from_button(parley, plan)
    assert response_json(parley.submit(debrief_values(GOOD), view=view)) == {}
    [analysis] = analyses(parley)

    reply = full_plan(parley, plan)
    plan_text, analysis_text = message_text(plan), message_text(analysis)
    full_text = message_text(reply)
    print(f"--- prep plan DM: the card ---\n{plan['text']}\n\n{plan_text}\n")  # shown with -rP
    print(f"--- in its thread ---\n{reply['text']}\n\n{full_text}\n")
    print(f"--- debrief analysis DM ---\n{analysis['text']}\n\n{analysis_text}")

    # The plan: the member's style, the counterpart, what they trade and where they walk away.
    assert "Prep plan: Renewal pricing" in plan_text
    assert "Strategist" in plan_text and "Northwind Ltd" in plan_text
    assert "Renewal below $100,000 a year" in full_text
    # The analysis: the balance, a giveaway, a limit breached against the prep, and a question.
    assert analysis["text"].startswith("Debrief of")
    assert "Discount above 10%" in analysis_text  # conceded for nothing, and a limit from the prep
    assert "?" in analysis_text  # the style's reflection question
