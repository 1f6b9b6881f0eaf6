"""Trainer preview: ``python -m coaching.preview [--style STYLE] [--kind KIND]``.

Prints the prep plan and debrief analysis for every style × counterpart kind (or just one) from the
sample inputs in :mod:`coaching.samples`, so a trainer can read what each style is told. Everything
except :func:`main` is pure; ``main`` is the only place in ``coaching/`` that writes to stdout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coaching.counterparts import CounterpartKind
from coaching.debrief import analyse_debrief, validate_debrief
from coaching.plaintext import render_debrief, render_prep_plan
from coaching.playbook import Playbook, load_default
from coaching.prep import build_prep_plan, validate_prep
from coaching.samples import SAMPLE_CURRENCY, SAMPLE_TODAY, SAMPLES
from coaching.styles import Style, profile_for

NO_STYLE = "none"
RULE = "═" * 100


def render_preview(style: Style | None, kind: CounterpartKind, playbook: Playbook | None = None) -> str:
    """The prep plan and debrief analysis for one style and counterpart kind, from the samples."""
    book = playbook or load_default()
    sample = SAMPLES[kind]
    prep = validate_prep(sample.prep, today=SAMPLE_TODAY, default_currency=SAMPLE_CURRENCY).prep
    debrief = validate_debrief(sample.debrief, default_currency=SAMPLE_CURRENCY).debrief
    assert prep is not None and debrief is not None, "the samples must always validate"
    plan = build_prep_plan(prep, style, book)
    analysis = analyse_debrief(debrief, prep, style, book)
    heading = f"{profile_for(style).label} × {kind.label}"
    return "\n".join([RULE, heading, RULE, render_prep_plan(plan), "", render_debrief(analysis), ""])


def main(argv: Sequence[str] | None = None) -> int:
    """Print the previews asked for; returns the process exit status."""
    style_names = [style.value for style in Style]
    parser = argparse.ArgumentParser(prog="python -m coaching.preview", description="Trainer preview.")
    parser.add_argument(
        "--style", choices=[*style_names, NO_STYLE, "all"], default="all", help="learner style (default: all)"
    )
    kind_names = [kind.value for kind in CounterpartKind]
    parser.add_argument("--kind", choices=[*kind_names, "all"], default="all", help="counterpart kind")
    args = parser.parse_args(argv)
    styles: list[Style | None]
    if args.style == "all":
        styles = [*Style, None]
    else:
        styles = [None if args.style == NO_STYLE else Style(args.style)]
    kinds = list(CounterpartKind) if args.kind == "all" else [CounterpartKind(args.kind)]
    playbook = load_default()
    for kind in kinds:
        for style in styles:
            sys.stdout.write(render_preview(style, kind, playbook) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
