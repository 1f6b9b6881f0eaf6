"""Ids of the style assessment: its modal, its answers and the button that opens it."""

from enum import StrEnum


class StyleCallback(StrEnum):
    ASSESSMENT = "style_assessment"


class StyleBlock(StrEnum):
    """``QUESTION`` is a prefix: each question's input block is ``style_q:<question id>``."""

    QUESTION = "style_q"


class StyleAction(StrEnum):
    ANSWER = "style_answer"  # the radio buttons inside each question block
    TAKE_ASSESSMENT = "take_style_assessment"  # the button in the welcome DM and on the Home tab
