"""The trade modals' fields at the Slack edge: :class:`~coaching.trade_form.TradeField` ↔ input blocks.

The terms are read and checked in :mod:`coaching.trade_form`, keyed by field; this maps them to the
propose/counter modal's block ids, so errors land under the input they are about.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from bot import edge
from coaching.trade_form import TermsForm, TradeField
from templates.ids.trades import TradeBlock

BLOCK_FOR: Mapping[TradeField, TradeBlock] = MappingProxyType(
    {
        TradeField.GET: TradeBlock.GET,
        TradeField.GET_VALUE: TradeBlock.GET_VALUE,
        TradeField.GIVE: TradeBlock.GIVE,
        TradeField.GIVE_COST: TradeBlock.GIVE_COST,
        TradeField.REASON: TradeBlock.REASON,
    }
)
assert set(BLOCK_FOR) == set(TradeField), "every trade field needs an input block"


def terms_form(values: Mapping[str, Any]) -> TermsForm:
    """The terms as typed in the propose or counter modal (missing inputs read as empty)."""
    return TermsForm(
        **{field.value: edge.state_value(values, BLOCK_FOR[field]) or "" for field in TradeField}
    )


def block_errors(errors: Mapping[TradeField, str]) -> dict[str, str]:
    """Field errors keyed by the block id they show under."""
    return {BLOCK_FOR[field]: text for field, text in errors.items()}
