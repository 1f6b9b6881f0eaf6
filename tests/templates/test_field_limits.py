"""Every text input in every modal carries Slack's ``max_length`` — the same number its server-side check
uses — so an over-long entry is stopped where it is typed, with Slack's message under the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.testkit.blockkit import validate_view
from coaching.commitment_form import MAX_CHARGED_TO, MAX_VALUE_TEXT, MAX_WHAT
from coaching.prep import MAX_TEXT_LENGTH, MAX_TITLE_LENGTH
from coaching.trade_form import MAX_AMOUNT, MAX_ITEM, MAX_REASON
from templates.field_limits import FIELD_LIMITS
from tests.templates.conftest import HOSTILE, SampleFactory, render_any, template_files

VIEWS = [name for name in template_files() if name.startswith("views/")]


def text_inputs(view: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for block in view.get("blocks", []):
        element = block.get("element")
        if (
            block.get("type") == "input"
            and isinstance(element, dict)
            and element["type"] == "plain_text_input"
        ):
            yield block.get("block_id", "?"), element


@pytest.mark.parametrize("name", VIEWS)
@settings(max_examples=3, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_text_input_has_a_max_length(
    name: str, template_samples: dict[str, SampleFactory], data: st.DataObject
) -> None:
    view = render_any(name, data.draw(template_samples[name](HOSTILE)))
    assert isinstance(view, dict)
    for block_id, element in text_inputs(view):
        assert 1 <= element.get("max_length", 0) <= 3000, f"{name}: {block_id} has no max_length"
        if "initial_value" in element:
            assert len(element["initial_value"]) <= element["max_length"], f"{name}: {block_id}"


def test_the_limits_are_the_validators_own_numbers() -> None:
    assert dict(FIELD_LIMITS) == {
        "prep_title": MAX_TITLE_LENGTH,
        "prep_name": 150,
        "long_text": MAX_TEXT_LENGTH,
        "debrief_title": MAX_TITLE_LENGTH,
        "trade_item": MAX_ITEM,
        "trade_amount": MAX_AMOUNT,
        "trade_reason": MAX_REASON,
        "commit_what": MAX_WHAT,
        "commit_value": MAX_VALUE_TEXT,
        "commit_charged_to": MAX_CHARGED_TO,
    }


def test_the_fake_slack_refuses_min_length_above_max_length_and_max_length_over_3000() -> None:
    def view(element: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "modal",
            "title": {"type": "plain_text", "text": "T"},
            "submit": {"type": "plain_text", "text": "Save"},
            "blocks": [
                {
                    "type": "input",
                    "block_id": "b",
                    "label": {"type": "plain_text", "text": "L"},
                    "element": {"type": "plain_text_input", "action_id": "a", **element},
                }
            ],
        }

    assert validate_view(view({"min_length": 5, "max_length": 10})) == []
    assert any("min_length" in p for p in validate_view(view({"min_length": 20, "max_length": 10})))
    assert any("max_length" in p for p in validate_view(view({"max_length": 3001})))
    assert any("max_length" in p for p in validate_view(view({"max_length": 0})))
