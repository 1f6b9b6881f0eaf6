"""The cached empty prep modal, with the typed title put in, is exactly the modal the template renders."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.flows.prep_modal import PrepModalMeta, _render, prep_view
from coaching.prep import PrepForm
from coaching.styles import Style

metas = st.builds(
    PrepModalMeta,
    negotiation_id=st.none() | st.integers(1, 10**9),
    channel_id=st.sampled_from(["", "C0GENERAL", "D0ALICE"]),
)
styles = st.none() | st.sampled_from([s.value for s in Style])


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(max_size=3100),
    meta=metas,
    style=styles,
    editing=st.booleans(),
    currency=st.sampled_from(["USD", "EUR"]),
)
def test_the_cached_modal_is_the_rendered_one(
    title: str, meta: PrepModalMeta, style: str | None, editing: bool, currency: str
) -> None:
    form = PrepForm(title=title)
    cached = prep_view(form=form, meta=meta, style=style, editing=editing, currency=currency)
    rendered = _render(form=form, meta=meta, style=style, editing=editing, currency=currency)
    assert json.dumps(cached) == json.dumps(rendered)  # the same payload, key order included


def test_each_request_gets_its_own_copy() -> None:
    meta = PrepModalMeta(channel_id="D0ALICE")
    first = prep_view(form=PrepForm(title="Alpha deal"), meta=meta, style=None, editing=False, currency="USD")
    first["blocks"].clear()
    second = prep_view(
        form=PrepForm(title="Bravo deal"), meta=meta, style=None, editing=False, currency="USD"
    )
    assert second["blocks"] and "Bravo deal" in json.dumps(second) and "Alpha deal" not in json.dumps(second)


def test_a_form_with_more_than_a_title_is_rendered_in_full() -> None:
    form = PrepForm(title="Q3", counterpart_name="Acme", objectives="Renew")
    view = prep_view(form=form, meta=PrepModalMeta(), style=None, editing=True, currency="USD")
    assert json.dumps(view) == json.dumps(
        _render(form=form, meta=PrepModalMeta(), style=None, editing=True, currency="USD")
    )
    assert "Acme" in json.dumps(view)
