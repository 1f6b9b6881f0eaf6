"""coaching.dates: one way to write a date, in the reader's style and language."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.dates import (
    ENGLISH,
    LANGUAGES,
    DateReader,
    DateStyle,
    date_reader_of,
    dates_as,
    day_words,
    moment_words,
)

SUNDAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("style", "with_year", "without_year"),
    [
        (DateStyle.SHORT, "Sun 6 Dec 2026", "Sun 6 Dec"),
        (DateStyle.LONG, "Sunday 6 December 2026", "Sunday 6 December"),
        (DateStyle.US, "Sunday, December 6, 2026", "Sunday, December 6"),
        (DateStyle.ISO, "2026-12-06", "2026-12-06"),
    ],
)
def test_english_in_each_style(style: DateStyle, with_year: str, without_year: str) -> None:
    assert day_words(SUNDAY, style=style) == with_year
    assert day_words(SUNDAY, style=style, year=False) == without_year


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("fr-FR", "dim. 6 déc. 2026", "dimanche 6 décembre 2026"),
        ("de-DE", "So., 6. Dez. 2026", "Sonntag, 6. Dezember 2026"),
        ("ja-JP", "2026年12月6日(日)", "2026年12月6日日曜日"),
        ("es-LA", "dom, 6 dic 2026", "domingo, 6 de diciembre de 2026"),
    ],
)
def test_other_languages_use_their_own_words_and_order(language: str, short: str, long: str) -> None:
    assert day_words(SUNDAY, style=DateStyle.SHORT, language=language) == short
    assert day_words(SUNDAY, style=DateStyle.LONG, language=language) == long
    assert day_words(SUNDAY, style=DateStyle.US, language=language) == long  # the US order is English's
    assert day_words(SUNDAY, style=DateStyle.ISO, language=language) == "2026-12-06"


def test_the_reader_set_for_a_message_writes_its_dates_and_is_put_back_after() -> None:
    moment = datetime(2026, 12, 6, 9, 5)
    with dates_as(DateReader(DateStyle.SHORT, "fr-FR")):
        assert day_words(SUNDAY) == "dim. 6 déc. 2026"
        assert moment_words(moment) == "dim. 6 déc. 2026, 09:05"
        with dates_as(DateReader(DateStyle.ISO, ENGLISH)):
            assert moment_words(moment) == "2026-12-06 at 09:05"
        assert day_words(SUNDAY) == "dim. 6 déc. 2026"
    assert moment_words(moment) == "Sun 6 Dec 2026 at 09:05"


@pytest.mark.parametrize(
    ("settings", "reader"),
    [
        (None, DateReader(DateStyle.SHORT, ENGLISH)),
        ({"slack_locale": "en-US"}, DateReader(DateStyle.US, ENGLISH)),
        ({"slack_locale": "en-GB"}, DateReader(DateStyle.SHORT, ENGLISH)),
        ({"slack_locale": "fr-FR"}, DateReader(DateStyle.SHORT, "fr-FR")),
        ({"slack_locale": "en-US", "date_style": "iso"}, DateReader(DateStyle.ISO, ENGLISH)),
        ({"slack_locale": "fr-FR", "date_language": "de-DE"}, DateReader(DateStyle.SHORT, "de-DE")),
        ({"slack_locale": "xx-YY", "date_language": "tlh", "date_style": "roman"}, DateReader()),
        ({"slack_locale": 7, "date_language": ["fr-FR"]}, DateReader()),
    ],
)
def test_a_members_reader_is_their_choice_else_their_slack_language(
    settings: dict[str, object] | None, reader: DateReader
) -> None:
    assert date_reader_of(settings) == reader


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    style=st.sampled_from(DateStyle),
    language=st.sampled_from(sorted(LANGUAGES)),
    year=st.booleans(),
)
def test_every_date_reads_in_every_style_and_language(
    day: date, style: DateStyle, language: str, year: bool
) -> None:
    text = day_words(day, style=style, language=language, year=year)
    assert text and "\n" not in text
    assert (str(day.year) in text) == (year or style is DateStyle.ISO)
