"""Plain-text renderings of a prep plan, a debrief analysis and a style profile.

For the trainer preview and for notification fallbacks (the ``text`` of a Slack message); the rich
Slack layouts live in ``templates/``. Pure functions of their input.
"""

from __future__ import annotations

from collections.abc import Iterable

from coaching.debrief import DebriefAnalysis, describe_concession
from coaching.fullplan import full_plan_sections
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
    for section in full_plan_sections(plan):
        title = section.title.split(": ", 1)[-1] if section.title.startswith(":") else section.title
        title = title.split(" ", 1)[1] if title.startswith(":") else title
        out += _section(title, section.lines, section.mark)
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
