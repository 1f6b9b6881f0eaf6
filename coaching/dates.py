"""The one way Parley writes a calendar date or a local moment in a message: ``Sun 6 Dec 2026``.

A calendar date (a due date, a negotiation's day) is the same day for everybody, so it is written out
the same way everywhere: weekday, day without a leading zero, month, year — ``Sun 6 Dec 2026``. The year
may be left off only where the surrounding text already fixes it (a digest's week). A moment (a snooze
ending, a trade's deadline) is written in the reader's own zone with the same date words plus the time,
``Sun 6 Dec 2026 at 09:00``; messages that go to many readers use Slack's ``<!date^…>`` token instead
(``templates.mrkdwn.date``), which each Slack client shows in its reader's own zone and locale.

A member may choose how dates are written for them (``Member.settings["date_style"]``, a
:class:`DateStyle`; the default is the one above). The reader's style is a context variable rather
than a parameter threaded through every presenter: whoever knows the reader — a request's resolved
member (``bot.members``), a nudge or digest being rendered for its recipient — sets it with
:func:`dates_as` / :func:`read_dates_as`, and every date written meanwhile follows it. Listeners run
in a copy of their request's context (``bot.prompt_ack``), so one member's choice never leaks into
another's request.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

__all__ = ["DATE_STYLE_KEY", "DateStyle", "date_style_of", "dates_as", "day_words", "moment_words"]

DATE_STYLE_KEY: Final = "date_style"


class DateStyle(StrEnum):
    SHORT = "short"  # Sun 6 Dec 2026 (the default)
    LONG = "long"  # Sunday 6 December 2026
    US = "us"  # Sunday, December 6, 2026
    ISO = "iso"  # 2026-12-06

    @property
    def example(self) -> str:
        return day_words(date(2026, 12, 6), style=self)


_READER: ContextVar[DateStyle] = ContextVar("parley_date_style", default=DateStyle.SHORT)


def date_style_of(member_settings: Mapping[str, Any] | None) -> DateStyle:
    """A member's chosen style; anything unreadable is the default."""
    try:
        return DateStyle(str((member_settings or {}).get(DATE_STYLE_KEY) or DateStyle.SHORT.value))
    except ValueError:
        return DateStyle.SHORT


@contextmanager
def dates_as(style: DateStyle) -> Iterator[None]:
    """Write dates in ``style`` inside the block (a message rendered for one reader)."""
    token = _READER.set(style)
    try:
        yield
    finally:
        _READER.reset(token)


def read_dates_as(style: DateStyle) -> None:
    """Write dates in ``style`` for the rest of the current context (a listener's own copy)."""
    _READER.set(style)


def day_words(day: date, *, year: bool = True, style: DateStyle | None = None) -> str:
    """``Sun 6 Dec 2026`` (``Sun 6 Dec`` with ``year=False``), or the reader's chosen style:
    ``Sunday 6 December 2026``, ``Sunday, December 6, 2026``, ``2026-12-06`` (ISO always has its year)."""
    style = style or _READER.get()
    if style is DateStyle.ISO:
        return day.isoformat()
    if style is DateStyle.LONG:
        text = f"{day:%A} {day.day} {day:%B}"
        return f"{text} {day.year}" if year else text
    if style is DateStyle.US:
        text = f"{day:%A}, {day:%B} {day.day}"
        return f"{text}, {day.year}" if year else text
    text = f"{day:%a} {day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def moment_words(
    local: datetime, *, year: bool = True, zone_name: bool = False, style: DateStyle | None = None
) -> str:
    """``Sun 6 Dec 2026 at 09:00`` for a moment already in the reader's zone (``… 09:00 CET``)."""
    text = f"{day_words(local.date(), year=year, style=style)} at {local:%H:%M}"
    return f"{text} {local.tzname()}" if zone_name and local.tzname() else text
