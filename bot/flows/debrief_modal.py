"""The debrief modal: its metadata, the view, and reading a submission back.

Shared by ``/negotiate debrief``, *Log the debrief* and the submission listener.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.edge import state_value
from bot.flows.debrief import Choice, DebriefErrorKey, DebriefRequest, Target, TargetField
from bot.flows.debrief_presenter import debrief_modal_context
from coaching.debrief import DebriefField, DebriefForm
from templates import render_view
from templates.ids.debrief import DebriefBlock


@dataclass(frozen=True)
class DebriefModalMeta:
    """``private_metadata``: the negotiation when opened from its button (None: the modal asks), and
    where the member started, for ephemeral notices. Ids only."""

    negotiation_id: int | None = None
    channel_id: str = ""


BLOCK_FOR: Mapping[DebriefErrorKey, DebriefBlock] = MappingProxyType(
    {
        DebriefField.OUTCOME: DebriefBlock.OUTCOME,
        DebriefField.OFFERED: DebriefBlock.OFFERED,
        DebriefField.CONCEDED: DebriefBlock.CONCEDED,
        DebriefField.HELD: DebriefBlock.HELD,
        DebriefField.COMMITMENTS: DebriefBlock.COMMITMENTS,
        DebriefField.REFLECTION: DebriefBlock.REFLECTION,
        TargetField.NEGOTIATION: DebriefBlock.NEGOTIATION,
        TargetField.TITLE: DebriefBlock.TITLE,
        TargetField.COUNTERPART_KIND: DebriefBlock.COUNTERPART_KIND,
    }
)
FALLBACK_BLOCK = DebriefBlock.OUTCOME  # in every variant of the modal


def debrief_request(values: Mapping[str, Any], meta: DebriefModalMeta) -> DebriefRequest:
    """The submitted debrief modal as typed."""

    def text(block: DebriefBlock) -> str:
        return state_value(values, block) or ""

    form = DebriefForm(
        outcome=text(DebriefBlock.OUTCOME),
        offered=text(DebriefBlock.OFFERED),
        conceded=text(DebriefBlock.CONCEDED),
        held=text(DebriefBlock.HELD),
        commitments=text(DebriefBlock.COMMITMENTS),
        reflection=text(DebriefBlock.REFLECTION),
    )
    return DebriefRequest(
        form=form,
        negotiation_id=meta.negotiation_id,
        choice=state_value(values, DebriefBlock.NEGOTIATION),
        title=text(DebriefBlock.TITLE),
        counterpart_kind=text(DebriefBlock.COUNTERPART_KIND),
    )


def modal_errors(errors: Mapping[DebriefErrorKey, str], values: Mapping[str, Any]) -> dict[str, str]:
    """Errors keyed by block id; one about an input this variant of the modal lacks goes under the
    outcome (Slack shows errors only under input blocks that exist)."""
    shown: dict[str, str] = {}
    for key, message in errors.items():
        block = BLOCK_FOR[key] if BLOCK_FOR[key] in values else FALLBACK_BLOCK
        shown[block] = f"{shown[block]} {message}" if block in shown else message
    return shown


def debrief_view(
    *,
    choices: list[Choice],
    target: Target | None,
    meta: DebriefModalMeta,
    style: str | None,
    currency: str,
) -> dict[str, Any]:
    context = debrief_modal_context(
        choices=choices, target=target, metadata=dataclasses.asdict(meta), style=style, currency=currency
    )
    return render_view("views/debrief", **context)
