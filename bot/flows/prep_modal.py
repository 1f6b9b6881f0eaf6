"""The prep modal: its metadata, the view, and reading a submission back.

Shared by ``/negotiate prep``, *Edit prep*, the digest's *Prep your next negotiation* and the
submission listener. Block ids map one-to-one onto :class:`~coaching.prep.PrepField`, so validation
errors land under the input they are about.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.edge import state_value
from bot.flows.prep import fit_initial, prep_modal_context
from coaching.prep import PrepField, PrepForm
from templates import render_view
from templates.escape import encode_json_string
from templates.field_limits import FIELD_LIMITS
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


def prep_form(values: Mapping[str, Any]) -> PrepForm:
    """The submitted prep modal as typed."""
    return PrepForm(**{field.value: state_value(values, BLOCK_FOR[field]) or "" for field in PrepField})


def prep_view(
    *,
    form: PrepForm,
    meta: PrepModalMeta,
    style: str | None,
    editing: bool,
    currency: str,
    match: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if match is None and form == PrepForm(title=form.title):  # a new prep: empty but the typed title
        return _with_title(_blank_view(meta, style, editing, currency), form.title)
    return _render(form=form, meta=meta, style=style, editing=editing, currency=currency, match=match)


@functools.lru_cache(maxsize=1024)
def _blank_view(meta: PrepModalMeta, style: str | None, editing: bool, currency: str) -> str:
    """The empty prep modal as JSON text, rendered and fitted once per (metadata, style, currency):
    ``/negotiate prep`` is the request path's most common modal, and rendering plus fitting it cost
    more CPU than everything else that command does."""
    return json.dumps(_render(form=PrepForm(), meta=meta, style=style, editing=editing, currency=currency))


def _with_title(blank: str, title: str) -> dict[str, Any]:
    """A fresh copy of the cached empty modal with the title typed after the command, set exactly
    as the template sets it (``initial_value`` before ``placeholder``, fitted, verbatim)."""
    view: dict[str, Any] = json.loads(blank)
    initial = fit_initial(title, FIELD_LIMITS["prep_title"])
    if initial:
        block = next(b for b in view["blocks"] if b.get("block_id") == PrepBlock.TITLE)
        element = block["element"]
        block["element"] = {
            **{k: v for k, v in element.items() if k != "placeholder"},
            "initial_value": json.loads(f'"{encode_json_string(initial)}"'),  # as ``|plain`` writes it
            **({"placeholder": element["placeholder"]} if "placeholder" in element else {}),
        }
    return view


def _render(
    *,
    form: PrepForm,
    meta: PrepModalMeta,
    style: str | None,
    editing: bool,
    currency: str,
    match: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return render_view(
        "views/prep",
        **prep_modal_context(
            form,
            style=style,
            editing=editing,
            metadata=dataclasses.asdict(meta),
            currency=currency,
            match=match,
        ),
    )


def counterpart_choice(values: Mapping[str, Any]) -> str:
    """The "met them before?" answer: a counterpart id, "new", or "" when the modal didn't ask."""
    return state_value(values, PrepBlock.COUNTERPART_MATCH) or ""
