from __future__ import annotations

import itertools

import pytest

from coaching.counterparts import CounterpartKind
from coaching.styles import NEUTRAL, PROFILES, DebriefMoment, Style, StyleProfile, profile_for


def test_style_values_and_labels() -> None:
    assert [style.value for style in Style] == ["closer", "diplomat", "strategist", "game_changer"]
    assert [style.label for style in Style] == [
        "🦁 Closer",
        "🐬 Diplomat",
        "🦉 Strategist",
        "🐵 Game Changer",
    ]


def test_counterpart_kinds_and_labels() -> None:
    assert [kind.value for kind in CounterpartKind] == [
        "management",
        "consultant",
        "learner",
        "customer",
        "supplier",
        "other",
    ]
    assert [kind.label for kind in CounterpartKind] == [
        "Management",
        "Consultant / vendor",
        "Learner / participant",
        "Customer",
        "Supplier",
        "Other",
    ]
    assert CounterpartKind("learner") is CounterpartKind.LEARNER


def test_profile_for() -> None:
    assert profile_for(Style.DIPLOMAT) is PROFILES[Style.DIPLOMAT]
    assert profile_for(Style.DIPLOMAT).label == "🐬 Diplomat"
    assert profile_for(None) is NEUTRAL and NEUTRAL.style is None and NEUTRAL.as_counterpart is None
    assert "/negotiate style" in NEUTRAL.essence


@pytest.mark.parametrize("style", list(Style))
def test_every_profile_is_complete(style: Style) -> None:
    profile = PROFILES[style]
    assert profile.style is style
    for field in (
        "strengths",
        "blind_spots",
        "watch_in_prep",
        "watch_in_room",
        "watch_in_debrief",
        "coaching",
    ):
        assert len(getattr(profile, field)) >= 2, field
    assert profile.as_counterpart is not None
    assert profile.as_counterpart.signs and profile.as_counterpart.adapt and profile.as_counterpart.avoid
    assert set(profile.kind_notes) == set(CounterpartKind)
    assert set(profile.reflection) == set(profile.lesson) == set(DebriefMoment)
    assert profile.reflection[DebriefMoment.GIVEAWAY].endswith("?")
    assert "{what}" in profile.nudge and "{due}" in profile.nudge


def test_neutral_profile_is_complete_too() -> None:
    assert set(NEUTRAL.kind_notes) == set(CounterpartKind)
    assert set(NEUTRAL.reflection) == set(NEUTRAL.lesson) == set(DebriefMoment)


def _texts(profile: StyleProfile) -> list[str]:
    reading = profile.as_counterpart
    return [
        profile.essence,
        profile.concedes,
        profile.nudge,
        *profile.strengths,
        *profile.blind_spots,
        *profile.watch_in_prep,
        *profile.watch_in_room,
        *profile.watch_in_debrief,
        *profile.coaching,
        *profile.kind_notes.values(),
        *profile.reflection.values(),
        *profile.lesson.values(),
        *((*reading.signs, *reading.adapt, reading.avoid) if reading else ()),
    ]


def test_no_sentence_is_shared_between_styles() -> None:
    for first, second in itertools.combinations([*PROFILES.values(), NEUTRAL], 2):
        assert not set(_texts(first)) & set(_texts(second)), (first.name, second.name)


def test_the_blind_spots_the_design_names() -> None:
    assert "Gives without getting" in PROFILES[Style.DIPLOMAT].blind_spots[0]
    assert "speed" in PROFILES[Style.CLOSER].blind_spots[2]
    assert "person" in PROFILES[Style.STRATEGIST].blind_spots[0]
    assert "past the limits" in PROFILES[Style.GAME_CHANGER].blind_spots[0]


def test_note_for_each_kind() -> None:
    assert (
        PROFILES[Style.CLOSER]
        .note_for(CounterpartKind.CONSULTANT)
        .startswith("Pushing a sought-after expert")
    )
    assert NEUTRAL.note_for(CounterpartKind.LEARNER).startswith("Link each responsibility")
