from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from coaching.counterparts import CounterpartKind
from coaching.debrief import DebriefForm, analyse_debrief, validate_debrief
from coaching.plaintext import render_debrief, render_prep_plan, render_profile
from coaching.playbook import Playbook
from coaching.prep import build_prep_plan, validate_prep
from coaching.preview import main, render_preview
from coaching.samples import CASES, SAMPLE_CURRENCY, SAMPLE_TODAY, SAMPLES
from coaching.styles import PROFILES, Style

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", list(CounterpartKind))
def test_every_sample_validates(kind: CounterpartKind) -> None:
    sample = SAMPLES[kind]
    prep = validate_prep(sample.prep, today=SAMPLE_TODAY, default_currency=SAMPLE_CURRENCY)
    debrief = validate_debrief(sample.debrief, default_currency=SAMPLE_CURRENCY)
    assert prep.ok and debrief.ok, (dict(prep.errors), dict(debrief.errors))
    assert prep.prep is not None and prep.prep.counterpart_kind is kind


def test_render_prep_plan(playbook: Playbook) -> None:
    prep = validate_prep(
        SAMPLES[CounterpartKind.MANAGEMENT].prep, today=SAMPLE_TODAY, default_currency="USD"
    ).prep
    assert prep is not None
    text = render_prep_plan(build_prep_plan(prep, Style.DIPLOMAT, playbook))
    lines = text.splitlines()
    assert lines[0] == (
        "PREP PLAN · 🐬 Diplomat · “Leadership course length” with "
        "Dana Ruiz (VP Operations) · Management · 2025-03-10"
    )
    for heading in (  # the Diplomat's full plan: the firm line first, each yes with its "if"
        "YOUR THREE MOVES",
        "Their asks",
        "Objectives",
        "Your firm line",
        "Walk-away",
        "Each yes, with its “if”",
        "When you feel the urge to offer, ask instead",
        "Commitments to ask for, with their conditions",
        "Before the meeting",
        "For you",
        "Moves for you from the playbook",
    ):
        assert heading in lines, heading
    assert lines.index("Your firm line") < lines.index("Each yes, with its “if”")
    assert "In the room" not in lines and "Checklist" not in lines  # each principle is said once
    assert text.lower().count("never give") <= 1  # the Diplomat's "if" on every yes says it
    script = (
        "Say: I can do “earlier start date”, if you can agree to “Seat at the quarterly planning meeting”."
    )
    assert f"  • {script}" in lines
    assert (
        "  • Take “Cutting a full day” off your tradeables: it matches your limit “Cutting a full day”."
        in lines
    )
    assert "  • Two and a half days, and only with something of equal value in return" in lines


def test_render_debrief(playbook: Playbook) -> None:
    sample = SAMPLES[CounterpartKind.SUPPLIER]
    prep = validate_prep(sample.prep, today=SAMPLE_TODAY, default_currency="USD").prep
    debrief = validate_debrief(sample.debrief, default_currency="USD").debrief
    assert prep is not None and debrief is not None
    text = render_debrief(analyse_debrief(debrief, prep, Style.GAME_CHANGER, playbook))
    assert text.splitlines() == [
        "DEBRIEF · 🐵 Game Changer · Agreed. Conceded 600 USD, received 400 USD (0.7×). "
        "1 giveaway worth 600 USD. Money left behind: 600 USD. 1 limit breached.",
        "",
        "Give/get balance",
        "  • USD: conceded 600 USD, received 400 USD (0.7×), difference -200 USD: needs attention",
        "",
        "Giveaways (nothing in return)",
        "  • “Paying for express delivery” (600 USD) for nothing",
        "",
        "Money left behind: 600 USD",
        "",
        "Limits breached",
        "  • “Paying for express delivery” conceded — it matches your limit “Paying for express delivery”",
        "",
        "Commitments",
        "  • they: deliver the printed copies by 2025-03-07",
        "",
        "Reflect: Which idea took you past the limit, and at what point could you have checked it?",
        "Lesson: You offered “Paying for express delivery” (600 USD) before pricing it, and got nothing "
        "back. Costed first, it is a trade: “We can add Paying for express delivery if you agree to Credit "
        "for the late week.” Check each new idea against your limits before you say it out loud.",
    ]


def test_render_debrief_lists_shortfalls_and_unassessed(playbook: Playbook) -> None:
    debrief = validate_debrief(
        DebriefForm(outcome="agreed", conceded="A – $5 -> B worth $2\nC -> D", held="Floor – $9"),
        default_currency="USD",
    ).debrief
    assert debrief is not None
    text = render_debrief(analyse_debrief(debrief, None, None, playbook))
    assert "  • “A” (5 USD) for “B” (2 USD): short by 3 USD" in text.splitlines()
    assert "  • “C” for “D”" in text.splitlines()
    assert "  • Floor – 9 USD" in text.splitlines()


def test_render_profile() -> None:
    text = render_profile(PROFILES[Style.STRATEGIST])
    assert text.splitlines()[0] == "🦉 Strategist: Plans every angle and trusts evidence over instinct."
    assert "What Parley will coach you on" in text and "How you tend to concede: Holds firmly" in text


def test_every_style_and_kind_reads_differently(playbook: Playbook) -> None:
    for kind in CounterpartKind:
        previews = {style: render_preview(style, kind, playbook) for style in (*Style, None)}
        for first, second in itertools.combinations(previews.values(), 2):
            assert first != second
        for style, text in previews.items():
            label = PROFILES[style].label if style else "🧭 No style yet"
            assert text.splitlines()[1] == f"{label} × {kind.label}"


def test_main_prints_one_combination(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--style", "closer", "--kind", "consultant", "--case", "consultant"]) == 0
    out = capsys.readouterr().out
    assert out.count("PREP PLAN") == 1 and out.count("DEBRIEF") == 1
    assert "🦁 Closer × Consultant / vendor · case consultant" in out
    assert "  limit “Fee above $60,000” → checked by number: fee ≤ 60,000 USD" in out.splitlines()
    assert "  they will ask: “Fee of $68,000”" in out.splitlines()


def test_main_prints_every_style_kind_and_case_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.count("PREP PLAN") == len(CASES) * 5
    for case in CASES:
        assert f"🦉 Strategist × {case.kind.label} · case {case.name}" in out
    assert main(["--style", "none", "--kind", "learner"]) == 0
    out = capsys.readouterr().out
    assert out.count("PREP PLAN") == 2 and "🧭 No style yet × Learner / participant · case learner" in out
    assert "  they will ask: (not known)" in out.splitlines()


def test_main_prints_the_cards_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--case", "seat-renewal", "--card"]) == 0
    out = capsys.readouterr().out
    assert "PREP PLAN" not in out and "DEBRIEF" not in out
    assert out.count("1. ") == 5 and "Price the close as a trade" in out and "One number to hold" in out


def test_main_rejects_unknown_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--style", "shark"])
    assert caught.value.code == 2
    assert "invalid choice: 'shark'" in capsys.readouterr().err


def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coaching.preview", "--style", "diplomat", "--kind", "management"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[1] == "🐬 Diplomat × Management · case management"


def test_the_examples_in_docs_coaching_are_what_the_engine_writes(playbook: Playbook) -> None:
    """docs/coaching.md quotes the seat renewal's Diplomat card and every style's debrief rewrite."""
    from coaching.samples import SEAT_RENEWAL

    doc = (ROOT / "docs" / "coaching.md").read_text(encoding="utf-8")
    prep = validate_prep(SEAT_RENEWAL.prep, today=SAMPLE_TODAY, default_currency=SAMPLE_CURRENCY).prep
    debrief = validate_debrief(SEAT_RENEWAL.debrief, default_currency=SAMPLE_CURRENCY).debrief
    assert prep is not None and debrief is not None
    card = build_prep_plan(prep, Style.DIPLOMAT, playbook).first_screen
    assert card is not None
    quoted_card = doc.split("the Diplomat's card:\n\n```\n", 1)[1].split("\n```", 1)[0]
    assert quoted_card == card.text()
    for style in Style:
        note = analyse_debrief(debrief, prep, style, playbook).giveaway_note
        assert f"| {PROFILES[style].label} | {note} |" in doc, style
