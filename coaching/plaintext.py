"""Plain-text renderings of a prep plan, a debrief analysis and a style profile.

For the trainer preview and for notification fallbacks (the ``text`` of a Slack message); the rich
Slack layouts live in ``templates/``. Pure functions of their input.
"""

from __future__ import annotations

from collections.abc import Iterable

from coaching.asks import Branch
from coaching.debrief import DebriefAnalysis, describe_concession
from coaching.parsing import format_commitment, format_ledger_item
from coaching.phrasing import format_ratio, plural, quoted
from coaching.prep import PrepPlan
from coaching.styles import StyleProfile, profile_for


def _section(title: str, lines: Iterable[str], bullet: str = "•") -> list[str]:
    items = list(lines)
    if not items:
        return []
    return ["", title, *(f"  {bullet} {line}" for line in items)]


def render_prep_plan(plan: PrepPlan) -> str:
    """The whole plan as text, in reading order, as Slack shows it: the three-moves card, then the
    full plan (a reply in the card's thread), each principle said once."""
    out = [f"PREP PLAN · {plan.headline}"]
    if plan.first_screen is not None and plan.first_screen.moves:
        out += ["", "YOUR THREE MOVES", plan.first_screen.text()]
        out += ["", "— full plan (a reply in the card's thread) —"]
    if plan.asks:
        out += ["", "Their asks"]
        for number, ask in enumerate(plan.asks, 1):
            label = ask.branch.value + (f" ({ask.constraint or ask.limit})" if ask.limit else "")
            out += [f"  {number}. {quoted(ask.ask)} → {label}"]
            if ask.first:
                out += [f"     {ask.first}"]
            out += [f"     {ask.script}"]
            if ask.note:
                out += [f"     {ask.note}"]
    out += _section("Objectives", plan.objectives)
    out += _section("Ask first, to uncover the real need", plan.questions)
    if plan.trades:
        out += ["", "Trades to propose (best first)"]
        for number, trade in enumerate(plan.trades, 1):
            out += [f"  {number}. {trade.sentence}", f"     {trade.why}"]
    out += _section(
        "Held back (breaks a limit, never offered)",
        (
            held.reason if held.constraint else f"{quoted(held.tradeable.item)}: matches {quoted(held.limit)}"
            for held in plan.held_back
        ),
    )
    out += _section("Limits to hold", (quoted(guard.limit) for guard in plan.limits))
    if plan.limits and not any(ask.branch is Branch.COUNTER for ask in plan.asks):  # else the asks script it
        guard = plan.limits[0]
        out += [f"When a limit is pushed: {guard.when_pushed}"]
        if guard.counter_example:
            out += [f"  A counter they will refuse, e.g.: {quoted(guard.counter_example)}"]
    out += _section("Commitments to ask for, with their conditions", plan.commitments)
    if plan.walk_away:
        out += ["", f"Walk-away: {plan.walk_away}"]
    out += _section("Before the meeting", plan.todo)
    style_label = profile_for(plan.style).label
    out += _section(f"For you ({style_label})", plan.style_notes)
    out += _section("Reading the other side", plan.counterpart_notes)
    out += _section("Checklist", plan.checklist, "☐")
    if not plan.moves:  # the room checklist restates the moves: said once
        out += _section("In the room", plan.in_the_room, "☐")
    out += _section(
        "Moves from the playbook", (f"{move.name}: {quoted(move.language[0])}" for move in plan.moves)
    )
    return "\n".join(out)


def render_debrief(analysis: DebriefAnalysis) -> str:
    """The analysis as text: summary, balance, giveaways, money left behind, breaches, lessons."""
    out = [f"DEBRIEF · {profile_for(analysis.style).label} · {analysis.summary}"]
    balance_lines = []
    for balance in analysis.balances:
        ratio = f" ({format_ratio(balance.ratio)})" if balance.ratio is not None else ""
        sign = "+" if balance.difference.amount_minor >= 0 else ""
        attention = ": needs attention" if balance.needs_attention else ""
        balance_lines.append(
            f"{balance.currency}: conceded {balance.conceded}, received {balance.received}{ratio}, "
            f"difference {sign}{balance.difference}{attention}"
        )
    out += _section("Give/get balance", balance_lines)
    out += _section("Giveaways (nothing in return)", (describe_concession(c) for c in analysis.giveaways))
    out += _section(
        "Came back worth less than it cost",
        (f"{describe_concession(s.concession)}: short by {s.amount}" for s in analysis.shortfalls),
    )
    unknown = len(analysis.unassessed)
    left = analysis.money_left_behind.format(empty="")
    if unknown:
        left = f"{left + ', plus ' if left else 'unknown: '}{plural(unknown, 'concession')} not valued"
    out += ["", f"Money left behind: {left or 'none'}"]
    out += _section(
        "Could not be assessed (add a cost or a value)", (describe_concession(c) for c in analysis.unassessed)
    )
    out += _section(
        "Limits breached",
        (
            b.detail or f"{quoted(b.concession.item)} matches your limit {quoted(b.limit)}"
            for b in analysis.limits_breached
        ),
    )
    out += _section("Held, checked by number", (f"{quoted(s.limit)}: {s.why}" for s in analysis.limits_held))
    out += _section(
        "Couldn't check (no claim made)", (f"{quoted(s.limit)}: {s.why}" for s in analysis.limits_unchecked)
    )
    out += _section("Held", (format_ledger_item(item) for item in analysis.held))
    commitments = (*analysis.our_commitments, *analysis.their_commitments, *analysis.named_commitments)
    out += _section("Commitments", (format_commitment(c) for c in commitments))
    out += [
        "",
        f"Reflect: {analysis.reflection_question}",
        f"Lesson: {' '.join(x for x in (analysis.giveaway_note, analysis.lesson) if x)}",
    ]
    return "\n".join(out)


def render_profile(profile: StyleProfile) -> str:
    """A style profile as text, as shown with an assessment result."""
    out = [f"{profile.label}: {profile.essence}"]
    out += _section("Strengths", profile.strengths)
    out += _section("Blind spots", profile.blind_spots)
    out += ["", f"How you tend to concede: {profile.concedes}"]
    out += _section("What Parley will coach you on", profile.coaching)
    return "\n".join(out)
