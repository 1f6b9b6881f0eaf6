"""Ids of the prep modal (``/negotiate prep`` and *Edit prep*) and the prep plan message."""

from enum import StrEnum


class PrepCallback(StrEnum):
    SUBMIT = "prep_submit"


class PrepBlock(StrEnum):
    """Input blocks of the prep modal; each element's ``action_id`` is its block's id."""

    TITLE = "prep_title"
    COUNTERPART_KIND = "prep_counterpart_kind"
    COUNTERPART_NAME = "prep_counterpart_name"
    COUNTERPART_STYLE = "prep_counterpart_style"
    DATE = "prep_date"
    OBJECTIVES = "prep_objectives"
    LIMITS = "prep_limits"
    WALK_AWAY = "prep_walk_away"
    TRADEABLES = "prep_tradeables"
    WANTS = "prep_wants"
    ASKS = "prep_asks"
    COUNTERPART_MATCH = "prep_counterpart_match"  # shown only to confirm or split a known counterpart


class PrepPlanBlock(StrEnum):
    """Blocks of the prep plan message that other features may look for (its buttons)."""

    ACTIONS = "prep_plan_actions"
