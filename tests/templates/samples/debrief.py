"""Sample contexts for the debrief modal and the debrief analysis message."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from coaching.counterparts import CounterpartKind
from coaching.debrief import Outcome
from templates.ids.debrief import DebriefBlock
from tests.templates.conftest import Kit, sample

KINDS = [[kind.value, kind.label] for kind in CounterpartKind]
OUTCOMES = [[outcome.value, outcome.label] for outcome in Outcome]


@sample("views/debrief")
def _debrief_modal(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    target = st.fixed_dictionaries({"title": kit.text, "kind_label": kit.text, "date": kit.text})
    # Option values are negotiation ids; at most 99 open negotiations are listed (plus "didn't prep").
    choice = st.tuples(st.integers(1, 2**53).map(str), kit.text).map(list)
    return st.fixed_dictionaries(
        {
            "target": st.one_of(st.none(), target),
            "choices": kit.many(choice).map(lambda items: items[:99]),
            "kinds": st.just(KINDS),
            "outcomes": st.just(OUTCOMES),
            "style_label": kit.text,
            "has_style": st.booleans(),
            "currency": st.sampled_from(["USD", "EUR"]),
            "initial": st.one_of(
                st.just({}),
                st.fixed_dictionaries({DebriefBlock.CONCEDED.value: kit.text.map(lambda t: t[:1000])}),
            ),
            "metadata": st.fixed_dictionaries(
                {
                    "negotiation_id": st.one_of(st.none(), st.integers(1, 2**53)),
                    "channel_id": st.sampled_from(["", "C0GENERAL"]),
                }
            ),
        }
    )


@sample("messages/debrief_analysis")
def _debrief_analysis(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    balance = st.fixed_dictionaries(
        {
            "currency": kit.text,
            "conceded": kit.text,
            "received": kit.text,
            "difference": kit.text,
            "ratio": kit.text,
            "needs_attention": st.booleans(),
        }
    )
    breach = st.fixed_dictionaries({"item": kit.text, "limit": kit.text, "detail": kit.text})
    commitment = st.fixed_dictionaries(
        {"who": kit.text, "what": kit.text, "due": kit.text, "ours": st.booleans()}
    )
    return st.fixed_dictionaries(
        {
            "title": kit.text,
            "style_label": kit.text,
            "has_style": st.booleans(),
            "summary": kit.text,
            "balances": kit.many(balance),
            "giveaways": kit.many(kit.text),
            "giveaway_total": kit.text,
            "shortfalls": kit.many(kit.text),
            "left_behind": kit.text,
            "unassessed": kit.many(kit.text),
            "had_prep": st.booleans(),
            "breaches": kit.many(breach),
            "limits_held": kit.many(kit.text),
            "limits_unchecked": kit.many(kit.text),
            "offered": kit.many(kit.text),
            "held": kit.many(kit.text),
            "commitments": kit.many(commitment),
            "reflection_question": kit.text,
            "lesson": kit.text,
            "giveaway_note": kit.text,
            "needs_attention": st.booleans(),
            "ref": st.fixed_dictionaries({"negotiation_id": st.integers(1, 2**53)}),
        }
    )
