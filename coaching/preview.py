"""Trainer preview: ``python -m coaching.preview [--style S] [--kind K] [--case NAME] [--card]``.

Prints, for every style × counterpart kind × case (or the ones asked for), the case as typed — their
asks, and how each limit was read (a number Parley checks, or wording it can only match) — then the
prep plan ("Your three moves" and the full plan) and the debrief analysis, from the cases in
:mod:`coaching.samples`. ``--card`` prints only the three moves, to compare styles side by side.
Everything except :func:`main` is pure; ``main`` is the only place in ``coaching/`` that writes to
stdout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coaching.constraints import read_limits
from coaching.counterparts import CounterpartKind
from coaching.debrief import analyse_debrief, validate_debrief
from coaching.plaintext import render_debrief, render_prep_plan
from coaching.playbook import Playbook, load_default
from coaching.prep import PrepInput, build_prep_plan, validate_prep
from coaching.samples import CASES, SAMPLE_CURRENCY, SAMPLE_TODAY, SAMPLES, Case
from coaching.styles import Style, profile_for

NO_STYLE = "none"
RULE = "═" * 100


def describe_case(prep: PrepInput) -> str:
    """The case as Parley read it: each limit (a number, or wording only) and their asks."""
    out = ["CASE AS READ"]
    for limit in read_limits(prep.limits, prep.currency):
        read = f"checked by number: {limit.constraint}" if limit.constraint else "wording only"
        out.append(f"  limit “{limit.text}” → {read}")
    out += [f"  they will ask: “{ask.text}”" for ask in prep.asks] or ["  they will ask: (not known)"]
    return "\n".join(out)


def render_preview(
    style: Style | None,
    kind: CounterpartKind,
    playbook: Playbook | None = None,
    case: Case | None = None,
    *,
    card_only: bool = False,
) -> str:
    """The case, the prep plan and the debrief analysis for one style and one case (the kind's
    sample when ``case`` is None); with ``card_only``, just "Your three moves"."""
    book = playbook or load_default()
    sample = case.sample if case is not None else SAMPLES[kind]
    prep = validate_prep(sample.prep, today=SAMPLE_TODAY, default_currency=SAMPLE_CURRENCY).prep
    debrief = validate_debrief(sample.debrief, default_currency=SAMPLE_CURRENCY).debrief
    assert prep is not None and debrief is not None, "the samples must always validate"
    plan = build_prep_plan(prep, style, book)
    name = f" · case {case.name}" if case is not None else ""
    heading = f"{profile_for(style).label} × {kind.label}{name}"
    if card_only:
        screen = plan.first_screen.text() if plan.first_screen is not None else ""
        return "\n".join([RULE, heading, RULE, screen, ""])
    analysis = analyse_debrief(debrief, prep, style, book)
    parts = [describe_case(prep), "", render_prep_plan(plan), "", render_debrief(analysis), ""]
    return "\n".join([RULE, heading, RULE, *parts])


def main(argv: Sequence[str] | None = None) -> int:
    """Print the previews asked for; returns the process exit status."""
    style_names = [style.value for style in Style]
    parser = argparse.ArgumentParser(prog="python -m coaching.preview", description="Trainer preview.")
    parser.add_argument(
        "--style", choices=[*style_names, NO_STYLE, "all"], default="all", help="learner style (default: all)"
    )
    kind_names = [kind.value for kind in CounterpartKind]
    parser.add_argument("--kind", choices=[*kind_names, "all"], default="all", help="counterpart kind")
    parser.add_argument(
        "--case", choices=[c.name for c in CASES] + ["all"], default="all", help="one case (default: all)"
    )
    parser.add_argument("--card", action="store_true", help="only the first screen, “Your three moves”")
    args = parser.parse_args(argv)
    styles: list[Style | None]
    if args.style == "all":
        styles = [*Style, None]
    else:
        styles = [None if args.style == NO_STYLE else Style(args.style)]
    cases = [
        case
        for case in CASES
        if (args.kind in ("all", case.kind.value)) and (args.case in ("all", case.name))
    ]
    playbook = load_default()
    for case in cases:
        for style in styles:
            text = render_preview(style, case.kind, playbook, case, card_only=args.card)
            sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
