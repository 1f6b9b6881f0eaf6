"""The prep modal's Slack side: its metadata, opening it, and reading a submission back.

Shared by ``/negotiate prep``, *Edit prep* and the submission listener (no ``register``: not a
listener itself). Block ids map one-to-one onto :class:`~coaching.prep.PrepField`, so validation
errors land under the input they are about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from slack_sdk import WebClient

from bot.flows.prep import prep_modal_context
from coaching.prep import PrepField, PrepForm
from templates import render_view
from templates.ids.prep import PrepBlock


@dataclass(frozen=True)
class PrepModalMeta:
    """``private_metadata``: the negotiation being edited (None for a new one) and where the member
    started, for ephemeral notices. Ids only, so it stays far under Slack's 3,000 characters."""

    negotiation_id: int | None = None
    channel_id: str = ""


BLOCK_FOR: Mapping[PrepField, PrepBlock] = MappingProxyType(
    {
        PrepField.TITLE: PrepBlock.TITLE,
        PrepField.COUNTERPART_KIND: PrepBlock.COUNTERPART_KIND,
        PrepField.COUNTERPART_NAME: PrepBlock.COUNTERPART_NAME,
        PrepField.COUNTERPART_STYLE: PrepBlock.COUNTERPART_STYLE,
        PrepField.DATE: PrepBlock.DATE,
        PrepField.OBJECTIVES: PrepBlock.OBJECTIVES,
        PrepField.LIMITS: PrepBlock.LIMITS,
        PrepField.WALK_AWAY: PrepBlock.WALK_AWAY,
        PrepField.TRADEABLES: PrepBlock.TRADEABLES,
        PrepField.WANTS: PrepBlock.WANTS,
        PrepField.ASKS: PrepBlock.ASKS,
    }
)
assert set(BLOCK_FOR) == set(PrepField), "every prep field needs an input block"


def state_value(values: Mapping[str, Any], block_id: str) -> str | None:
    """What one input holds as text (``""`` if left empty); None when the view has no such input.

    Reads whichever key Slack uses for the element (``value``, ``selected_option``,
    ``selected_date``); anything that is not text (a forged payload) reads as empty. NUL characters
    are dropped here, before validation: Slack shows nothing for them and the database would drop
    them anyway, so what is validated (trimmed, measured, parsed) is exactly what is stored.
    """
    actions = values.get(block_id)
    if not isinstance(actions, Mapping):
        return None
    entry = next(iter(actions.values()), None)
    if not isinstance(entry, Mapping):
        return ""
    if "selected_option" in entry:
        option = entry.get("selected_option")
        value = option.get("value") if isinstance(option, Mapping) else None
    elif "selected_date" in entry:
        value = entry.get("selected_date")
    else:
        value = entry.get("value")
    return value.replace("\x00", "") if isinstance(value, str) else ""


def prep_form(values: Mapping[str, Any]) -> PrepForm:
    """The submitted prep modal as typed."""
    return PrepForm(**{field.value: state_value(values, BLOCK_FOR[field]) or "" for field in PrepField})


def open_prep_modal(
    client: WebClient,
    trigger_id: str,
    *,
    form: PrepForm,
    meta: PrepModalMeta,
    style: str | None,
    editing: bool,
    currency: str,
) -> None:
    view = render_view(
        "views/prep",
        **prep_modal_context(
            form, style=style, editing=editing, metadata=dataclasses.asdict(meta), currency=currency
        ),
    )
    client.views_open(trigger_id=trigger_id, view=view)
