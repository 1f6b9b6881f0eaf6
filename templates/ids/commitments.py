"""Ids of the commitments feature: the commit modal, the list, nudges, cancellation and nudge settings."""

from enum import StrEnum


class CommitCallback(StrEnum):
    CREATE = "commit_create"
    CANCEL = "commit_cancel"
    SETTINGS = "commit_settings"


class CommitBlock(StrEnum):
    WHAT = "commit_what"
    OWNER = "commit_owner"
    OWED_TO = "commit_owed_to"
    DUE = "commit_due"
    NEGOTIATION = "commit_negotiation"
    NOTICE_DAYS = "commit_notice_days"
    PERCENT = "commit_percent"
    VALUE_BASE = "commit_value_base"
    CHARGED_TO = "commit_charged_to"
    CANCEL_UNITS = "commit_cancel_units"  # the cancel modal: how many of the units
    # nudge settings
    NUDGES = "commit_nudges"
    HOURS_START = "commit_hours_start"
    HOURS_END = "commit_hours_end"
    DAYS = "commit_days"
    DIGEST = "commit_digest"  # shown when opened from /negotiate settings (a member's own preferences)
    DIGEST_QUIET = "commit_digest_quiet"
    DATE_STYLE = "commit_date_style"  # how dates are written for them (coaching.dates)
    DATE_LANGUAGE = "commit_date_language"  # the language dates are written in (coaching.dates)
    HOLIDAY_COUNTRY = "commit_holiday_country"  # whose public holidays they keep (bot.holidays)
    # one actions block per commitment in a list: "commit_row_<id>"
    ROW = "commit_row"
    LIST_FOOTER = "commit_list_footer"


class CommitAction(StrEnum):
    """Buttons and selects in messages (in a modal, an input's action_id is its block's id)."""

    DONE = "commitment_done"
    SNOOZE = "commitment_snooze"
    CANCEL = "commitment_cancel"
    SETTINGS = "commitment_settings"
    ADD = "commitment_add"  # on a prep plan or debrief analysis; value: NegotiationRef
    NEW = "commitment_new"  # on the list; no value
