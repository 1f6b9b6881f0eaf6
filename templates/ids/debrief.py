"""Ids of the debrief modal (``/negotiate debrief`` and *Log the debrief*)."""

from enum import StrEnum


class DebriefCallback(StrEnum):
    SUBMIT = "debrief_submit"


class DebriefBlock(StrEnum):
    """Input blocks of the debrief modal; each element's ``action_id`` is its block's id."""

    NEGOTIATION = "debrief_negotiation"
    TITLE = "debrief_title"
    COUNTERPART_KIND = "debrief_counterpart_kind"
    OUTCOME = "debrief_outcome"
    OFFERED = "debrief_offered"
    CONCEDED = "debrief_conceded"
    HELD = "debrief_held"
    COMMITMENTS = "debrief_commitments"
    REFLECTION = "debrief_reflection"


class DebriefChoice(StrEnum):
    """Special values of the negotiation select (the others are negotiation ids)."""

    UNPREPPED = "new"
