"""The one way Parley writes a calendar date or a local moment in a message: ``Sun 6 Dec 2026``.

A calendar date (a due date, a negotiation's day) is the same day for everybody, so it is written out
the same way everywhere: weekday, day without a leading zero, month, year — ``Sun 6 Dec 2026``. The year
may be left off only where the surrounding text already fixes it (a digest's week). A moment (a snooze
ending, a trade's deadline) is written in the reader's own zone with the same date words plus the time,
``Sun 6 Dec 2026 at 09:00``; messages that go to many readers use Slack's ``<!date^…>`` token instead
(``templates.mrkdwn.date``), which each Slack client shows in its reader's own zone and locale.

A member may choose how dates are written for them: a :class:`DateStyle` (``Member.settings
["date_style"]``) and a language (``["date_language"]``, one of Slack's own interface languages).
Without a choice, both follow the language they set in Slack (``users.info`` with ``include_locale``,
cached as ``["slack_locale"]``): ``en-US`` reads ``Sunday, December 6, 2026``, ``fr-FR`` ``dim. 6 déc.
2026``; without either, the default above. English is written by hand (the wording tests pin it); other
languages come from CLDR through Babel, so their abbreviations and word order are each language's own.

The reader is a context variable rather than a parameter threaded through every presenter: whoever
knows the reader — a request's resolved member (``bot.members``), a nudge or digest being rendered for
its recipient — sets it with :func:`dates_as` / :func:`read_dates_as`, and every date written meanwhile
follows it. Listeners run in a copy of their request's context (``bot.prompt_ack``), so one member's
choice never leaks into another's request.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any, Final

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_datetime_format

__all__ = [
    "DATE_LANGUAGE_KEY",
    "DATE_STYLE_KEY",
    "ENGLISH",
    "ENGLISH_SHORT",
    "LANGUAGES",
    "SLACK_LOCALE_KEY",
    "DateReader",
    "DateStyle",
    "date_reader_of",
    "dates_as",
    "day_words",
    "language_of",
    "moment_words",
    "read_dates_as",
]

DATE_STYLE_KEY: Final = "date_style"
DATE_LANGUAGE_KEY: Final = "date_language"
SLACK_LOCALE_KEY: Final = "slack_locale"
"""The member's Slack language (``users.info`` ``locale``, e.g. ``en-US``), kept with their profile."""

ENGLISH: Final = "en"
LANGUAGES: Final[dict[str, str]] = {
    ENGLISH: "English",
    "de-DE": "Deutsch",
    "es-ES": "Español (España)",
    "es-LA": "Español (Latinoamérica)",
    "fr-FR": "Français",
    "it-IT": "Italiano",
    "ja-JP": "日本語",
    "ko-KR": "한국어",
    "pt-BR": "Português (Brasil)",
    "zh-CN": "简体中文",
    "zh-TW": "繁體中文",
}
"""The languages dates can be written in: Slack's own interface languages (English is one, whichever
English: its variants differ in style, not words)."""
_CLDR: Final = {"es-LA": "es_419", "zh-CN": "zh_Hans_CN", "zh-TW": "zh_Hant_TW"}


class DateStyle(StrEnum):
    SHORT = "short"  # Sun 6 Dec 2026 (the default)
    LONG = "long"  # Sunday 6 December 2026
    US = "us"  # Sunday, December 6, 2026
    ISO = "iso"  # 2026-12-06


EXAMPLE_DAY = date(2026, 12, 6)
"""The day settings screens show each style and language with."""


@dataclass(frozen=True, slots=True)
class DateReader:
    """How one reader wants dates written."""

    style: DateStyle = DateStyle.SHORT
    language: str = ENGLISH  # a key of LANGUAGES


ENGLISH_SHORT: Final = DateReader()
"""The default reader: ``Sun 6 Dec 2026``."""
_READER: ContextVar[DateReader] = ContextVar("parley_date_reader", default=ENGLISH_SHORT)


def language_of(locale: object) -> str:
    """The LANGUAGES key for a Slack locale (``fr-FR`` → ``fr-FR``, ``en-GB`` → ``en``); English for
    anything else (a language Slack does not offer, or nothing)."""
    text = str(locale or "")
    if text in LANGUAGES:
        return text
    return ENGLISH


def date_reader_of(member_settings: Mapping[str, Any] | None) -> DateReader:
    """A member's chosen style and language, else what their Slack language implies; anything
    unreadable is the default."""
    settings = member_settings or {}
    locale = str(settings.get(SLACK_LOCALE_KEY) or "")
    try:
        style = DateStyle(str(settings.get(DATE_STYLE_KEY) or ""))
    except ValueError:
        style = DateStyle.US if locale == "en-US" else DateStyle.SHORT
    chosen = str(settings.get(DATE_LANGUAGE_KEY) or "")
    return DateReader(style, chosen if chosen in LANGUAGES else language_of(locale))


@contextmanager
def dates_as(reader: DateReader) -> Iterator[None]:
    """Write dates the reader's way inside the block (a message rendered for one reader)."""
    token = _READER.set(reader)
    try:
        yield
    finally:
        _READER.reset(token)


def read_dates_as(reader: DateReader) -> None:
    """Write dates the reader's way for the rest of the current context (a listener's own copy)."""
    _READER.set(reader)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(_CLDR.get(language, language.replace("-", "_")))


_SKELETONS: Final = {  # CLDR skeletons: each language orders and abbreviates them its own way
    (DateStyle.SHORT, True): "yMMMEd",
    (DateStyle.SHORT, False): "MMMEd",
    (DateStyle.LONG, False): "MMMMEEEEd",
}


def _other_language(day: date, year: bool, style: DateStyle, language: str) -> str:
    locale = _locale(language)
    if style is not DateStyle.SHORT and year:  # LONG, and US (an English convention) outside English
        return format_date(day, "full", locale=locale)
    key = (DateStyle.SHORT if style is DateStyle.SHORT else DateStyle.LONG, year)
    return format_skeleton(_SKELETONS[key], day, locale=locale)


def day_words(
    day: date, *, year: bool = True, style: DateStyle | None = None, language: str | None = None
) -> str:
    """``Sun 6 Dec 2026`` (``Sun 6 Dec`` with ``year=False``), or the reader's chosen style:
    ``Sunday 6 December 2026``, ``Sunday, December 6, 2026``, ``2026-12-06`` (ISO always has its year),
    in the reader's language."""
    reader = _READER.get()
    style = style or reader.style
    language = language or reader.language
    if style is DateStyle.ISO:
        return day.isoformat()
    if language != ENGLISH:
        return _other_language(day, year, style, language)
    if style is DateStyle.LONG:
        text = f"{day:%A} {day.day} {day:%B}"
        return f"{text} {day.year}" if year else text
    if style is DateStyle.US:
        text = f"{day:%A}, {day:%B} {day.day}"
        return f"{text}, {day.year}" if year else text
    text = f"{day:%a} {day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def moment_words(local: datetime, *, year: bool = True, zone_name: bool = False) -> str:
    """``Sun 6 Dec 2026 at 09:00`` for a moment already in the reader's zone (``… 09:00 CET``), in the
    reader's language (its own way of joining a date and a time)."""
    day = day_words(local.date(), year=year)
    reader = _READER.get()
    if reader.language == ENGLISH or reader.style is DateStyle.ISO:
        text = f"{day} at {local:%H:%M}"
    else:
        locale = _locale(reader.language)
        clock = format_time(local.time(), "HH:mm", locale=locale)
        joined = str(get_datetime_format("long", locale=locale))  # e.g. "{1} 'à' {0}"
        text = joined.replace("'", "").format(clock, day)
    return f"{text} {local.tzname()}" if zone_name and local.tzname() else text
