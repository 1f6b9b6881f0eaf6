"""Sample contexts for `/negotiate settings` and `/negotiate playbook` (issue 17)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from coaching.workspace_settings import Group
from tests.templates.conftest import Kit, sample

DAYS = [(d, d.title()) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
TIMES = st.sampled_from(["00:00", "09:00", "17:30", "23:59"])
REF = st.fixed_dictionaries({"id": st.integers(min_value=1, max_value=2**31), "org": st.booleans()})
SCOPE = st.fixed_dictionaries({"scope": st.sampled_from(["workspace", "org"])})
SOURCES = st.sampled_from(["", "default", "set for the org", "set for this workspace"])


@sample("views/settings_admin")
def _settings_admin(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    row = st.fixed_dictionaries(
        {"label": kit.text, "value": kit.text, "is_default": st.booleans(), "source": SOURCES}
    )
    group = st.fixed_dictionaries(
        {"key": st.sampled_from([g.value for g in Group]), "title": kit.text, "rows": kit.many(row)}
    )
    groups = st.lists(group, min_size=1, max_size=4, unique_by=lambda g: g["key"])
    return st.fixed_dictionaries(
        {"groups": groups, "playbook": kit.text, "org": st.booleans(), "in_org": st.booleans(), "meta": SCOPE}
    )


def _field(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    base = {
        "block": st.sampled_from(["setting_a", "setting_b", "setting_c"]),
        "label": kit.text,
        "hint": kit.text,
        "optional": st.booleans(),
        "options": st.just(DAYS),
        "chosen": st.lists(st.sampled_from(DAYS), max_size=1),
    }
    text_kinds = st.sampled_from(["int", "optional_int", "currency", "amount", "ratio", "cadence", "country"])
    return st.one_of(
        st.fixed_dictionaries(
            {**base, "kind": st.just("hours"), "start": TIMES, "end": TIMES, "initial": st.just("")}
        ),
        st.fixed_dictionaries({**base, "kind": st.just("time"), "initial": TIMES}),
        st.fixed_dictionaries(
            {**base, "kind": st.sampled_from(["weekday", "bool", "choice"]), "initial": st.just("")}
        ),
        st.fixed_dictionaries(
            {
                **base,
                "kind": text_kinds,
                "initial": st.sampled_from(["", "3", "USD", "5,000 USD", "before-1, due"]),
            }
        ),
        st.fixed_dictionaries(
            {**base, "kind": st.just("dates"), "initial": st.sampled_from(["", "2026-12-25\n2026-12-26"])}
        ),
    )


@sample("views/settings_group")
def _settings_group(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    meta = st.fixed_dictionaries(
        {
            "group": st.sampled_from([g.value for g in Group]),
            "root_view_id": st.just("V1"),
            "scope": st.sampled_from(["workspace", "org"]),
        }
    )
    return st.fixed_dictionaries(
        {
            "title": kit.text,
            "meta": meta,
            "fields": st.lists(_field(kit), min_size=1, max_size=4, unique_by=lambda f: f["block"]),
        }
    )


@sample("views/playbook")
def _playbook(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    version = st.fixed_dictionaries(
        {
            "ref": REF,
            "version": st.integers(1, 999),
            "name": kit.text,
            "applied": kit.text,
            "in_force": st.booleans(),
        }
    )
    draft = st.none() | st.fixed_dictionaries({"ref": REF, "name": kit.text, "summary": kit.many(kit.text)})
    return st.fixed_dictionaries(
        {
            "name": kit.text,
            "where": kit.text,
            "overrides": kit.many(kit.text),
            "notice": kit.text,
            "problems": st.lists(kit.many(kit.text), max_size=3),
            "draft": draft,
            "versions": st.lists(version, max_size=5),
            "org": st.booleans(),
            "meta": SCOPE,
        }
    )


@sample("views/playbook_paste")
def _playbook_paste(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"meta": SCOPE})


@sample("messages/playbook_upload")
def _playbook_upload(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    draft = st.fixed_dictionaries({"ref": REF, "name": kit.text, "summary": kit.many(kit.text)})
    return st.one_of(
        st.fixed_dictionaries(
            {"filename": kit.text, "problems": st.just([]), "draft": st.none(), "refusal": kit.text}
        ),
        st.fixed_dictionaries(
            {"filename": kit.text, "problems": kit.many(kit.text), "draft": st.none(), "refusal": st.just("")}
        ),
        st.fixed_dictionaries(
            {"filename": kit.text, "problems": st.just([]), "draft": draft, "refusal": st.just("")}
        ),
    )
