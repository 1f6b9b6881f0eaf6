"""Commitments' views and messages: the commit, cancel and settings modals, the card and the list."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.flows.commitments import LIST_SHOWN_MINE, LIST_SHOWN_OWED, CommitDefaults, CommitmentsList
from bot.flows.commitments_changes import CancelPreview
from bot.flows.commitments_items import CancelOrigin, CommitmentItem
from bot.flows.commitments_settings import FROM_SLACK, NudgeMode, SettingsState
from coaching.commitments import UnitValue
from coaching.dates import ENGLISH, EXAMPLE_DAY, LANGUAGES, DateStyle, day_words
from coaching.money import Money
from coaching.worktime import WEEKDAY_NAMES
from templates import Message, render_message, render_view


def commit_view(defaults: CommitDefaults) -> dict[str, Any]:
    return render_view(
        "views/commit_modal",
        metadata=asdict(defaults.origin),
        owner_user_id=defaults.owner_user_id,
        negotiations=[(choice.id, choice.title) for choice in defaults.negotiations],
        selected=defaults.selected_negotiation or 0,
        today=defaults.today.isoformat(),
        notice_days=defaults.notice_days,
        percent=defaults.percent,
        currency=defaults.currency,
    )


def cancel_view(preview: CancelPreview, origin: CancelOrigin, *, changed: bool = False) -> dict[str, Any]:
    return render_view(
        "views/commit_cancel",
        metadata=asdict(origin),
        item=preview.item,
        consequence=preview.consequence,
        notice_days=preview.notice_given_days,
        notify=list(preview.notify),
        changed=changed,
        units=preview.units,
        units_total=preview.units_total,
        unit_count=UnitValue(preview.units_total, preview.unit, Money(0, "USD")).count(),
    )


def _date_styles(state: SettingsState) -> list[tuple[str, str]]:
    """Each style with an example in the language they read dates in (the US order is English's)."""
    language = state.slack_language if state.date_language == FROM_SLACK else state.date_language
    return [
        (style.value, day_words(EXAMPLE_DAY, style=style, language=language))
        for style in DateStyle
        if style is not DateStyle.US or language == ENGLISH
    ]


def _date_languages(state: SettingsState) -> list[tuple[str, str]]:
    """Their Slack language first, then every language, each with an example date."""

    def example(language: str) -> str:
        return day_words(EXAMPLE_DAY, style=DateStyle.SHORT, language=language)

    slack = state.slack_language
    first = (FROM_SLACK, f"Your Slack language ({LANGUAGES[slack]}): {example(slack)}")
    return [first, *((key, f"{name}: {example(key)}") for key, name in LANGUAGES.items())]


def settings_view(state: SettingsState, *, with_digest: bool = False) -> dict[str, Any]:
    """The member's nudge settings (and, from ``/negotiate settings``, their digest choices)."""
    all_days = [(name, name.title()) for name in WEEKDAY_NAMES]
    extra = (
        {
            "digest": state.digest,
            "digest_quiet": state.digest_quiet,
            "date_style": state.date_style,
            "date_styles": _date_styles(state),
            "date_language": state.date_language,
            "date_languages": _date_languages(state),
            "holiday_country": state.holiday_country,
            "zone_country": state.zone_country,
        }
        if with_digest
        else {}
    )
    return render_view(
        "views/commit_settings",
        mode=state.mode.value,
        modes=[(mode.value, mode.label) for mode in NudgeMode],
        start=state.hours.start.isoformat("minutes"),
        end=state.hours.end.isoformat("minutes"),
        chosen_days=[all_days[day] for day in state.hours.days],
        all_days=all_days,
        workspace_hours=state.workspace_hours,
        **extra,
    )


def card_message(item: CommitmentItem, *, note: str = "", intro: str = "") -> Message:
    return render_message("messages/commitment_card", item=item, note=note, intro=intro)


def list_message(listing: CommitmentsList, *, note: str = "") -> Message:
    return render_message(
        "messages/commitments_list",
        mine=list(listing.mine[:LIST_SHOWN_MINE]),
        more_mine=max(0, len(listing.mine) - LIST_SHOWN_MINE),
        owed=list(listing.owed[:LIST_SHOWN_OWED]),
        more_owed=max(0, len(listing.owed) - LIST_SHOWN_OWED),
        nudges=listing.nudges,
        hours=listing.hours,
        note=note,
    )
