"""Ids of the App Home tab."""

from enum import StrEnum


class HomeAction(StrEnum):
    """Buttons that republish the Home tab with one list expanded (value: ``{"section": …}``)."""

    SHOW_MORE = "home_show_more"
    SHOW_FEWER = "home_show_fewer"


class HomeSection(StrEnum):
    """The Home tab's lists; also the values the show more / fewer buttons carry."""

    NEGOTIATIONS = "negotiations"
    COMMITMENTS = "commitments"
    OUTCOMES = "outcomes"
    TEAM = "team"
    COUNTERPARTS = "counterparts"


class HomeBlock(StrEnum):
    START = "home_start"  # the row of buttons that start something (Prep a negotiation)
    MORE = "home_more"  # + "_" + the section: a list's Show more / Show fewer row
