"""The digest tests run on the scheduling tests' world (a movable clock, tick and delivery wired to the
strict fake Slack), with the seeded week of ``tests/digests/seeding.py``."""

from __future__ import annotations

import pytest

from bot.testkit.fake_slack import FakeSlack
from tests.digests.seeding import Seeded, add_users, seed_week
from tests.scheduling.conftest import World
from tests.scheduling.conftest import clock as clock  # the movable clock and world, shared
from tests.scheduling.conftest import slack as slack
from tests.scheduling.conftest import world as world


@pytest.fixture
def seeded(world: World, slack: FakeSlack) -> Seeded:
    add_users(slack)
    return seed_week(world.db)
