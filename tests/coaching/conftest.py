"""Shared fixtures for the coaching engine's tests.

Test modules are imported with ``--import-mode=importlib`` and cannot import each other, so shared
things are fixtures; each property-test module keeps its own small Hypothesis strategies.
"""

from __future__ import annotations

from datetime import date

import pytest

from coaching.counterparts import CounterpartKind
from coaching.items import Tradeable, Want
from coaching.money import Money
from coaching.playbook import Playbook, load_default
from coaching.prep import PrepInput


@pytest.fixture(scope="session")
def playbook() -> Playbook:
    return load_default()


def usd(major: int | str) -> Money:
    return Money.of(major, "USD")


@pytest.fixture
def management_prep() -> PrepInput:
    """The article's course-length negotiation, priced."""
    return PrepInput(
        title="Leadership course length",
        counterpart_kind=CounterpartKind.MANAGEMENT,
        counterpart_name="Dana",
        date=date(2025, 3, 10),
        objectives=("Keep the course at full value",),
        limits=("Cutting a full day", "Dropping the assessment"),
        walk_away="Two and a half days, with something in return",
        tradeables=(
            Tradeable("Tailored job aids", usd(800), usd(1500)),
            Tradeable("Extra coaching session", usd(300), usd(2000)),
            Tradeable("Earlier start date", usd(0), None),
            Tradeable("Cutting a full day", usd(6000), None),
            Tradeable("Free parking", usd(0), usd(100)),
        ),
        wants=(Want("Sponsor opens the course", usd(1000)), Want("Seat at quarterly planning", usd(5000))),
        currency="USD",
    )
