"""Sample contexts for the counterparts list and the playbook review (issue 16)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.templates.conftest import Kit, sample


@sample("messages/counterparts_list")
def _counterparts_list(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    row = st.fixed_dictionaries(
        {
            "id": st.integers(1, 2**53),
            "name": kit.text,
            "deals": st.integers(0, 10**9),
            "when": kit.text,
            "balance": kit.text,
        }
    )
    return st.fixed_dictionaries({"admin": st.booleans(), "usage": kit.text, "rows": kit.many(row)})


@sample("messages/playbook_review")
def _playbook_review(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    suggestion = st.fixed_dictionaries({"key": kit.text, "change": kit.text, "evidence": kit.text})
    return st.fixed_dictionaries(
        {
            "period": kit.text,
            "deals": st.integers(0, 10**9),
            "moves": kit.many(st.fixed_dictionaries({"name": kit.text, "detail": kit.text})),
            "trades": kit.many(kit.text),
            "breaches": kit.many(kit.text),
            "suggestions": kit.many(suggestion),
            "note": kit.text,
        }
    )
