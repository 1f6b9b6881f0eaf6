"""Ids shared by the prep and debrief features (the prep plan carries the debrief's button)."""

from enum import StrEnum


class NegotiationAction(StrEnum):
    LOG_DEBRIEF = "log_debrief"
    EDIT_PREP = "edit_prep"
