"""Sample contexts for the team structure modal."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.templates.conftest import Kit, sample


@sample("views/team_set")
def _team_set(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    maybe_user = st.one_of(st.just(""), kit.user_id)
    return st.fixed_dictionaries(
        {
            "is_admin": st.booleans(),
            "can_edit": st.booleans(),
            "member": kit.user_id,
            "manager": maybe_user,
            "fallback": maybe_user,
            "admins": kit.many(kit.user_id),
        }
    )


@sample("views/team_done")
def _team_done(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    maybe_user = st.one_of(st.just(""), kit.user_id)
    return st.fixed_dictionaries(
        {
            "member": kit.user_id,
            "manager": maybe_user,
            "fallback": maybe_user,
            "manager_changed": st.booleans(),
            "fallback_changed": st.booleans(),
        }
    )
