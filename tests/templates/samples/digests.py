"""Sample contexts for the weekly digest templates: learner, manager and organisation."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.templates.conftest import Kit, sample

SPARK = st.text(alphabet="▁▂▃▄▅▆▇█", min_size=0, max_size=12)
COUNT = st.integers(0, 10**6)
# The code caps these lists before rendering (bot/digests/content.py): the samples go to the caps,
# with hostile text in every item, rather than to 200 items nobody can be sent.
LISTED = 8  # LIST_MAX
TABLE_BLOCKS = 4  # TABLE_MAX_ROWS / TABLE_ROWS_PER_BLOCK
TABLE_ROWS = 15
ROW_WIDTH = 90  # a fixed-width row: cells are cut to their width


def capped(item: st.SearchStrategy[Any], size: int) -> st.SearchStrategy[list[Any]]:
    return st.one_of(st.lists(item, max_size=size), item.map(lambda x: [x] * size))


def _balances(kit: Kit) -> st.SearchStrategy[list[dict[str, Any]]]:
    return capped(
        st.fixed_dictionaries(
            {
                "currency": kit.text,
                "gave": kit.text,
                "got": kit.text,
                "ratio": kit.text,
                "difference": kit.text,
                "low": st.booleans(),
            }
        ),
        LISTED,
    )


def _trends(kit: Kit) -> st.SearchStrategy[list[dict[str, Any]]]:
    return kit.many(
        st.fixed_dictionaries(
            {
                "label": kit.text,
                "words": kit.text,
                "spark": SPARK,
                "mood": st.sampled_from(["", "better", "worse"]),
            }
        )
    )


def _table(kit: Kit) -> st.SearchStrategy[list[list[str]]]:
    row = kit.text.map(lambda text: text[:ROW_WIDTH])
    return capped(capped(row, TABLE_ROWS).filter(bool), TABLE_BLOCKS)


def _chart(kit: Kit) -> st.SearchStrategy[Any]:
    file_id = st.from_regex(r"F[A-Z0-9]{8,12}", fullmatch=True)
    return st.none() | st.fixed_dictionaries({"file_id": file_id, "alt": kit.text})


@sample("messages/digest_learner")
def _learner(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    ref = st.none() | st.builds(lambda n: {"negotiation_id": n}, st.integers(1, 10**12))
    return st.fixed_dictionaries(
        {
            "title": kit.text,
            "period": kit.text,
            "quiet": st.booleans(),
            "in_progress": st.booleans(),
            "headline": kit.text,
            "outcomes": kit.text,
            "balances": _balances(kit),
            "giveaways": kit.text,
            "left_behind": kit.text,
            "top_giveaway": kit.text,
            "limits": kit.text,
            "kept": COUNT,
            "lapsed": COUNT,
            "upcoming": capped(st.fixed_dictionaries({"what": kit.text, "due": kit.text}), LISTED),
            "more_upcoming": COUNT,
            "trends": _trends(kit),
            "tip": kit.text,
            "style_label": kit.text,
            "has_style": st.booleans(),
            "prep": st.fixed_dictionaries({"ref": ref, "title": kit.text, "when": kit.text}),
            "footer": kit.text,
            "currency": kit.text,
        }
    )


@sample("messages/digest_manager")
def _manager(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    person = st.fixed_dictionaries({"user_id": kit.user_id, "why": kit.text})
    overdue = st.fixed_dictionaries({"user_id": kit.user_id, "what": kit.text, "due": kit.text})
    waiting = st.fixed_dictionaries({"user_id": kit.user_id, "summary": kit.text, "waited": kit.text})
    non = st.none() | st.fixed_dictionaries({"summary": kit.text, "who": capped(kit.user_id, LISTED)})
    return st.fixed_dictionaries(
        {
            "title": kit.text,
            "period": kit.text,
            "quiet": st.booleans(),
            "in_progress": st.booleans(),
            "headline": kit.text,
            "balances": _balances(kit),
            "giveaways": kit.text,
            "left_behind": kit.text,
            "kept": COUNT,
            "lapsed": COUNT,
            "table_header": kit.text,
            "table": _table(kit),
            "more_rows": COUNT,
            "attention": capped(person, LISTED),
            "more_attention": COUNT,
            "overdue": capped(overdue, LISTED),
            "more_overdue": COUNT,
            "approvals": capped(waiting, LISTED),
            "more_approvals": COUNT,
            "non_responders": non,
            "trends": _trends(kit),
            "chart": _chart(kit),
            "chart_note": kit.text,
            "currency": kit.text,
        }
    )


@sample("messages/digest_org")
def _org(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "title": kit.text,
            "period": kit.text,
            "headline": kit.text,
            "members": COUNT,
            "in_progress": st.booleans(),
            "balances": _balances(kit),
            "giveaways": kit.text,
            "kept": COUNT,
            "lapsed": COUNT,
            "trends": _trends(kit),
            "teams_header": kit.text,
            "teams": _table(kit),
            "more_teams": COUNT,
            "kinds": kit.many(st.fixed_dictionaries({"label": kit.text, "line": kit.text})),
            "styles": kit.many(
                st.fixed_dictionaries({"label": kit.text, "members": COUNT, "line": kit.text})
            ),
            "hotspots": kit.many(
                st.fixed_dictionaries({"label": kit.text, "left": kit.text, "detail": kit.text})
            ),
            "recurring": kit.many(
                st.fixed_dictionaries({"item": kit.text, "count": COUNT, "total": kit.text})
            ),
            "non_responders": kit.text,
            "chart": _chart(kit),
            "chart_note": kit.text,
            "currency": kit.text,
        }
    )
