"""The commit modal's fields at the Slack edge: :class:`~coaching.commitment_form.CommitField` ↔ blocks.

The form is checked in :mod:`coaching.commitment_form`, keyed by field; this maps the fields to the
modal's block ids, so errors land under the input they are about.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from coaching.commitment_form import CommitField
from templates.ids.commitments import CommitBlock

BLOCK_FOR: Mapping[CommitField, CommitBlock] = MappingProxyType(
    {
        CommitField.WHAT: CommitBlock.WHAT,
        CommitField.OWNER: CommitBlock.OWNER,
        CommitField.OWED_TO: CommitBlock.OWED_TO,
        CommitField.DUE: CommitBlock.DUE,
        CommitField.NEGOTIATION: CommitBlock.NEGOTIATION,
        CommitField.NOTICE_DAYS: CommitBlock.NOTICE_DAYS,
        CommitField.PERCENT: CommitBlock.PERCENT,
        CommitField.VALUE_BASE: CommitBlock.VALUE_BASE,
        CommitField.CHARGED_TO: CommitBlock.CHARGED_TO,
    }
)
assert set(BLOCK_FOR) == set(CommitField), "every commit field needs an input block"


def block_errors(errors: Mapping[CommitField, str]) -> dict[str, str]:
    """Field errors keyed by the block id they show under."""
    return {BLOCK_FOR[field]: text for field, text in errors.items()}
