"""Sample contexts for the App Home tab: hostile text, and every list as long as the flow lets it be.

The flow (``bot/flows/home.py``) is the template's only caller and it cuts each user string to
``SHOWN_CHARACTERS`` and each list to ``limits_for(expanded)``; the factory applies the same cuts, so
the worst case here is the worst case Slack can receive (the 200-row lists are tested end to end in
``tests/app/test_home.py``).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bot.flows.home import clip, limits_for
from templates.ids.home import HomeSection
from tests.templates.conftest import Kit, sample

STEPS = ["upcoming", "today", "debrief", "paused", "undated", "unprepped"]


def _negotiation(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "title": text,
            "counterpart": text,
            "step": st.sampled_from(STEPS),
            "when": text,
            "ref": st.fixed_dictionaries({"negotiation_id": st.integers(1, 2**53)}),
        }
    )


def _commitment(kit: Kit, text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "id": st.integers(1, 2**53),
            "text": text,
            "due": text,
            "overdue": st.booleans(),
            "owed_to": st.one_of(st.just(""), kit.user_id),
            "negotiation": text,
        }
    )


def _outcome(kit: Kit, text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "title": text,
            "outcome": text,
            "when": text,
            "balance": kit.many(text).map(lambda lines: lines[:5]),  # one line per currency
            "giveaways": st.integers(0, 10_000),
            "attention": st.booleans(),
        }
    )


def _team(kit: Kit, text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["trade", "overdue", "debrief"]),
            "user_id": kit.user_id,
            "text": text,
            "other": text,
            "when": text,
        }
    )


def _section(
    kit: Kit, text: st.SearchStrategy[str], key: HomeSection, expanded: HomeSection | None
) -> st.SearchStrategy[dict[str, Any]]:
    item = {
        HomeSection.NEGOTIATIONS: _negotiation(text),
        HomeSection.COMMITMENTS: _commitment(kit, text),
        HomeSection.OUTCOMES: _outcome(kit, text),
        HomeSection.TEAM: _team(kit, text),
        HomeSection.COUNTERPARTS: st.fixed_dictionaries(
            {"name": text, "deals": st.integers(0, 10**9), "when": text, "balance": text}
        ),
    }[key]
    limit = limits_for(expanded)[key]
    return st.fixed_dictionaries(
        {
            "key": st.just(key.value),
            "title": text,
            "summary": text,
            "empty": text,
            "rows": kit.many(item).map(lambda rows: rows[:limit]),
            "more": st.integers(0, 10_000),
            "expanded": st.just(key == expanded),
        }
    )


def _sections(kit: Kit, expanded: HomeSection | None) -> st.SearchStrategy[list[dict[str, Any]]]:
    text = kit.text.map(clip)
    parts = [_section(kit, text, key, expanded) for key in HomeSection]
    team = st.one_of(st.none(), parts.pop())
    return st.tuples(*parts, team).map(lambda drawn: [part for part in drawn if part is not None])


@sample("views/home")
def _home(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    style = st.one_of(
        st.none(),
        st.fixed_dictionaries({"label": kit.text, "essence": kit.text, "coaching": kit.many(kit.text)}),
    )
    sections = st.sampled_from([None, *HomeSection]).flatmap(lambda expanded: _sections(kit, expanded))
    manager_missing = st.one_of(st.just(""), kit.text)  # the manager left Slack (bot.flows.leavers)
    return st.fixed_dictionaries({"style": style, "sections": sections, "manager_missing": manager_missing})
