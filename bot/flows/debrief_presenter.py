"""The context for the debrief's templates: the modal (with or without a chosen negotiation) and the
analysis message."""

from __future__ import annotations

from typing import Any

from bot.flows.debrief import Choice, SavedDebrief, Target
from bot.flows.prep import (
    style_of,
)
from coaching.counterparts import CounterpartKind
from coaching.dates import day_words
from coaching.debrief import (
    Outcome,
    describe_concession,
)
from coaching.items import Side
from coaching.parsing import format_ledger_item
from coaching.phrasing import format_ratio
from coaching.styles import profile_for
from templates.fit import truncate
from templates.ids.debrief import DebriefBlock
from templates.limits import PLAIN_TEXT_INPUT_MAX


def debrief_modal_context(
    *,
    choices: list[Choice],
    target: Target | None,
    metadata: dict[str, Any],
    style: str | None,
    currency: str,
) -> dict[str, Any]:
    """The ``views/debrief`` template's context: plain strings and lists only."""
    member_style = style_of(style)
    return {
        "target": (
            None
            if target is None
            else {
                "title": target.title,
                "kind_label": target.kind_label,
                "date": day_words(target.when) if target.when else "",
            }
        ),
        "choices": [
            [str(c.negotiation_id), f"{c.title} · {day_words(c.when)}" if c.when else c.title]
            for c in choices
        ],
        "kinds": [[kind.value, kind.label] for kind in CounterpartKind],
        "outcomes": [[o.value, o.label] for o in Outcome],
        "style_label": profile_for(member_style).label,
        "has_style": member_style is not None,
        "metadata": metadata,
        "currency": currency,
        "initial": (
            {DebriefBlock.CONCEDED.value: truncate("\n".join(target.approved_trades), PLAIN_TEXT_INPUT_MAX)}
            if target is not None and target.approved_trades
            else {}
        ),
    }


def analysis_message_context(saved: SavedDebrief) -> dict[str, Any]:
    """The ``messages/debrief_analysis`` template's context."""
    analysis = saved.analysis
    balances = []
    for b in analysis.balances:
        sign = "+" if b.difference.amount_minor >= 0 else ""
        balances.append(
            {
                "currency": b.currency,
                "conceded": str(b.conceded),
                "received": str(b.received),
                "difference": f"{sign}{b.difference}",
                "ratio": format_ratio(b.ratio) if b.ratio is not None else "",
                "needs_attention": b.needs_attention,
            }
        )
    commitments = [
        {
            "who": "You" if c.side is Side.OURS else "They" if c.side is Side.THEIRS else c.who,
            "what": c.what,
            "due": day_words(c.due),
            "ours": c.side is Side.OURS,
        }
        for c in (*analysis.our_commitments, *analysis.their_commitments, *analysis.named_commitments)
    ]
    return {
        "title": saved.title,
        "style_label": profile_for(analysis.style).label,
        "has_style": analysis.style is not None,
        "summary": analysis.summary,
        "balances": balances,
        "giveaways": [describe_concession(c) for c in analysis.giveaways],
        "giveaway_total": analysis.giveaway_total.format(empty=""),
        "shortfalls": [
            f"{describe_concession(s.concession)}: short by {s.amount}" for s in analysis.shortfalls
        ],
        "left_behind": analysis.money_left_behind.format(empty=""),
        "unassessed": [describe_concession(c) for c in analysis.unassessed],
        "had_prep": saved.had_prep,
        "breaches": [
            {"item": b.concession.item, "limit": b.limit, "detail": b.detail}
            for b in analysis.limits_breached
        ],
        "limits_held": [f"“{s.limit}” — {s.why}" for s in analysis.limits_held],
        "limits_unchecked": [f"“{s.limit}” — {s.why}" for s in analysis.limits_unchecked],
        "offered": [format_ledger_item(i) for i in analysis.offered],
        "held": [format_ledger_item(i) for i in analysis.held],
        "commitments": commitments,
        "reflection_question": analysis.reflection_question,
        "lesson": analysis.lesson,
        "giveaway_note": analysis.giveaway_note,
        "needs_attention": analysis.needs_attention,
        "ref": {"negotiation_id": saved.negotiation_id},
    }
