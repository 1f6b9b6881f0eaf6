"""Sample contexts for the prep modal and the prep plan message (hostile and worst-case input)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bot.flows.prep import fit_initial
from coaching.counterparts import CounterpartKind
from coaching.styles import Style
from templates.field_limits import FIELD_LIMITS
from tests.templates.conftest import Kit, sample

KINDS = [[kind.value, kind.label] for kind in CounterpartKind]
STYLES = [[style.value, style.label] for style in Style]


@sample("views/prep")
def _prep_modal(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    typed = kit.text.map(fit_initial)  # the listener fits prefilled text to a plain_text_input
    form = st.fixed_dictionaries(
        {
            "title": kit.text.map(lambda t: fit_initial(t, FIELD_LIMITS["prep_title"])),
            "counterpart_kind": st.sampled_from(["", *(value for value, _ in KINDS)]),
            "counterpart_name": kit.text.map(lambda t: fit_initial(t, FIELD_LIMITS["prep_name"])),
            "counterpart_style": st.sampled_from(["", *(value for value, _ in STYLES)]),
            "date": st.one_of(st.just(""), st.dates().map(lambda d: d.isoformat())),
            "objectives": typed,
            "limits": typed,
            "walk_away": typed,
            "tradeables": typed,
            "wants": typed,
            "asks": typed,
        }
    )
    return st.fixed_dictionaries(
        {
            "form": form,
            "kinds": st.just(KINDS),
            "styles": st.just(STYLES),
            "style_label": kit.text,
            "has_style": st.booleans(),
            "editing": st.booleans(),
            "currency": st.sampled_from(["USD", "EUR", "JPY"]),
            "metadata": st.fixed_dictionaries(
                {
                    "negotiation_id": st.one_of(st.none(), st.integers(1, 2**53)),
                    "channel_id": st.sampled_from(["", "C0GENERAL", "D0ALICE"]),
                }
            ),
            "match": st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "question": kit.text,
                        "options": kit.many(
                            st.tuples(st.sampled_from(["new", "1", "4503599627370496"]), kit.text)
                        ),
                        "initial": st.sampled_from(["", "new", "1"]),
                    }
                ),
            ),
        }
    )


@sample("messages/prep_plan_full")
@sample("messages/prep_plan")
def _prep_plan(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    trade = st.fixed_dictionaries({"sentence": kit.text, "why": kit.text})
    held = st.fixed_dictionaries(
        {"item": kit.text, "limit": kit.text, "reason": kit.text, "constraint": kit.text}
    )
    ask = st.fixed_dictionaries(
        {
            "ask": kit.text,
            "branch": st.sampled_from(["counter", "trade", "explore"]),
            "label": kit.text,
            "first": kit.text,
            "script": kit.text,
            "note": kit.text,
        }
    )
    guidance = st.fixed_dictionaries({"when_pushed": kit.text, "counter": kit.text})
    move = st.fixed_dictionaries({"name": kit.text, "when": kit.text, "language": kit.text})
    return st.fixed_dictionaries(
        {
            "title": kit.text,
            "headline": kit.text,
            "style_label": kit.text,
            "has_style": st.booleans(),
            "kind_label": kit.text,
            "who": kit.text,
            "date": kit.text,
            "objectives": kit.many(kit.text),
            "questions": kit.many(kit.text),
            "trades": kit.many(trade),
            "held_back": kit.many(held),
            "asks": kit.many(ask),
            "first_screen": st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "risk": kit.text,
                        "moves": kit.many(
                            st.fixed_dictionaries({"title": kit.text, "lines": kit.many(kit.text)})
                        ),
                    }
                ),
            ),
            "limits": kit.many(kit.text),
            "guidance": st.one_of(st.none(), guidance),
            "walk_away": kit.text,
            "commitments": kit.many(kit.text),
            "sections": kit.many(
                st.fixed_dictionaries(
                    {"title": kit.text, "lines": kit.many(kit.text), "mark": st.sampled_from(["•", "☐"])}
                )
            ),
            "todo": kit.many(kit.text),
            "style_notes": kit.many(kit.text),
            "counterpart_notes": kit.many(kit.text),
            "checklist": kit.many(kit.text),
            "in_the_room": kit.many(kit.text),
            "moves": kit.many(move),
            "ref": st.fixed_dictionaries({"negotiation_id": st.integers(1, 2**53)}),
            "updated": st.booleans(),
            "debriefed": st.booleans(),
            "known_line": st.one_of(st.none(), kit.text),
        }
    )
