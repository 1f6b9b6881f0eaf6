"""Ids of the team structure modal (``/negotiate team``)."""

from enum import StrEnum


class TeamCallback(StrEnum):
    SET = "team_set_submit"
    DONE = "team_done"


class TeamBlock(StrEnum):
    """Input blocks; each element's ``action_id`` is its block's id."""

    MEMBER = "team_member"
    MANAGER = "team_manager"
    FALLBACK = "team_fallback"
