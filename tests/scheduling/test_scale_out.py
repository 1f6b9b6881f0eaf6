"""Scale-out for real: 2 web nodes (`parley serve`, 2 workers each) and 2 clocks on one PostgreSQL.

The scenario of :mod:`bench.scale_out`, small: mixed traffic (commands, submissions — some sent twice,
to both nodes — and *Edit prep* clicks) through both web nodes, two clocks racing to deliver the
nudges and digests their catch-up enqueues, two time-travelled ``parley tick`` processes at once,
one clock killed with ``kill -9`` mid-delivery and restarted, one web node drained, killed with
``kill -9`` and restarted. Every submission's effects, every nudge and every digest must happen
exactly once, and every request must be answered inside Slack's 3 s (Slack's contract, not a
benchmark: an answer after 3 s is a failure Slack shows the member).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scale_out import check, cluster_on, correctness_run
from bot.testkit.fake_slack import FakeSlack
from storage.db import Database

MEMBERS = 6
PREPS = 2


def test_two_web_nodes_and_two_clocks_do_everything_exactly_once_through_kill_nines(
    db: Database, slack: FakeSlack, tmp_path: Path
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("scale-out runs on PostgreSQL: several processes share one database server")
    url = db.engine.url.render_as_string(hide_password=False)
    lines: list[str] = []
    with cluster_on(slack, url, tmp_path) as cluster:
        run = correctness_run(slack, db, cluster, members=MEMBERS, preps=PREPS, report=lines.append)
        problems = check(slack, db, run, MEMBERS)
        assert cluster.webs[0].restarts == 1 and cluster.clocks[0].restarts == 1, lines
    assert len(run.killed) == 2, lines
    assert run.commands == MEMBERS * PREPS and run.clicks == run.commands
    assert {s.kind for s in run.sent} == {"command", "submission", "click"}
    assert problems == [], "\n".join([*problems, *lines])
