"""Ids of the weekly digests (learner, manager, organisation) and their buttons."""

from enum import StrEnum


class DigestAction(StrEnum):
    NEW_PREP = "digest_new_prep"
    """Open a fresh prep modal (the learner digest's button when nothing is planned)."""


class DigestBlock(StrEnum):
    ACTIONS = "digest_actions"
    CHART = "digest_chart"
