"""Sample contexts for the members' data screens (my-data, the erase confirmation, the Members screen)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.templates.conftest import Kit, sample

KEYS = ("negotiations", "preps", "debriefs", "ledger_entries", "assessments", "trades", "commitments")


def _holdings() -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries({key: st.integers(0, 10**9) for key in KEYS})


def _metadata(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"slack_user_id": kit.user_id, "admin": st.booleans()})


@sample("views/my_data")
def _my_data(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "subject": st.one_of(st.just(""), kit.user_id),
            "admin": st.booleans(),
            "holdings": _holdings(),
            "exporting": st.booleans(),
            "erasing": st.booleans(),
            "message": st.one_of(st.just(""), kit.text),
            "picker": st.booleans(),
            "metadata": _metadata(kit),
        }
    )


@sample("views/my_data_erase")
def _my_data_erase(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"subject": kit.user_id, "admin": st.booleans(), "holdings": _holdings(), "metadata": _metadata(kit)}
    )


@sample("views/my_data_done")
def _my_data_done(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"title": kit.text, "message": kit.text})


@sample("messages/card_retired")
def _card_retired(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"headline": kit.text})
