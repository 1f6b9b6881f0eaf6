"""Typed metadata: round-trips, and anything forged or malformed is refused in one place."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.metadata import MetadataError, dump, load


@dataclass(frozen=True)
class Example:
    negotiation_id: int
    title: str | None = None
    tags: list[str] | None = None


@given(
    st.integers(), st.none() | st.text(max_size=50), st.none() | st.lists(st.text(max_size=10), max_size=5)
)
def test_round_trip(negotiation_id: int, title: str | None, tags: list[str] | None) -> None:
    value = Example(negotiation_id, title, tags)
    assert load(Example, dump(value)) == value


@pytest.mark.parametrize(
    "raw",
    [None, "", "nope", "[]", '{"negotiation_id": "42"}', '{"negotiation_id": true}', '{"x": 1}', "{}",
     '{"negotiation_id": 1, "tags": [1]}'],
)  # fmt: skip
def test_bad_metadata_is_refused(raw: str | None) -> None:
    with pytest.raises(MetadataError):
        load(Example, raw)


def test_over_limit_metadata_is_refused_not_truncated() -> None:
    with pytest.raises(MetadataError, match="over Slack's limit"):
        dump(Example(1, "x" * 3000))
