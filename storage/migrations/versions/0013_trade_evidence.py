"""Trades that work here count decided trade requests; erased ledger items lose their matching key.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

An erasure emptied a ledger row's ``item`` but kept ``item_key``, the same text normalised, so the
erased member's items still counted (and could be read) as evidence: the key goes where the item is
gone. The kinds' tallies are then rebuilt under the definition the app now keeps (the same as
``storage.queries.counterparts.REBUILD_TALLIES`` at this revision): debrief lines as before, plus
decided trade requests (approved or counter-accepted: accepted, until the negotiation is debriefed;
rejected: refused). No schema change; downgrade leaves the data as it is (the tallies stay valid).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACCEPTED = (
    "((e.debrief_id IS NOT NULL AND e.kind = 'conceded' AND e.received_item IS NOT NULL)"
    " OR (e.trade_id IS NOT NULL AND e.debrief_id IS NULL AND e.kind = 'offered'"
    " AND t.status IN ('approved', 'accepted') AND NOT EXISTS ("
    "SELECT 1 FROM debriefs d WHERE d.workspace_id = e.workspace_id"
    " AND d.negotiation_id = e.negotiation_id)))"
)
_REFUSED = (
    "((e.debrief_id IS NOT NULL AND e.kind = 'offered' AND NOT EXISTS ("
    "SELECT 1 FROM ledger_entries c WHERE c.workspace_id = e.workspace_id"
    " AND c.negotiation_id = e.negotiation_id AND c.kind = 'conceded' AND c.item_key = e.item_key))"
    " OR (e.trade_id IS NOT NULL AND e.debrief_id IS NULL AND e.kind = 'held' AND t.status = 'rejected'))"
)
REBUILD = f"""
INSERT INTO kind_trade_tallies (workspace_id, counterpart_kind, item_key, item, accepted, bucket, count)
SELECT workspace_id, counterpart_kind, item_key, min(item), accepted, bucket, count(*) FROM (
  SELECT e.workspace_id, e.counterpart_kind, e.item_key, e.item,
         CASE WHEN {_ACCEPTED} THEN 1 = 1 ELSE 1 = 0 END AS accepted,
         CASE WHEN {_ACCEPTED} AND e.value_minor > 0 AND e.received_value_minor IS NOT NULL
              THEN CASE WHEN e.received_value_minor * 10 / e.value_minor > 1000 THEN 1000
                        ELSE e.received_value_minor * 10 / e.value_minor END
              ELSE -1 END AS bucket
  FROM ledger_entries e LEFT JOIN trade_proposals t ON t.id = e.trade_id
  WHERE e.counterpart_kind IS NOT NULL AND e.item_key IS NOT NULL AND e.item_key <> ''
    AND ({_ACCEPTED} OR {_REFUSED})
) evidence
GROUP BY workspace_id, counterpart_kind, item_key, accepted, bucket
"""


def upgrade() -> None:
    op.execute("UPDATE ledger_entries SET item_key = NULL WHERE item = '' AND item_key IS NOT NULL")
    op.execute("DELETE FROM kind_trade_tallies")
    op.execute(REBUILD)


def downgrade() -> None:
    """Nothing to undo: no schema changed, and the rebuilt tallies are valid ones."""
