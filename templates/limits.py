"""Block Kit limits, in one place.

Slack answers ``invalid_blocks`` / ``invalid_arguments`` past these (see ``shared/slack-platform.md``);
the renderer truncates to them. The fake Slack (``bot/testkit/blockkit_limits.py``) keeps its own copy,
written from Slack's reference, so one misreading cannot pass both the renderer and its checker.
"""

from typing import Final

MESSAGE_BLOCKS: Final = 50
VIEW_BLOCKS: Final = 100
MESSAGE_BLOCK_TEXT: Final = 12_000  # Slack's undocumented msg_blocks_too_long is ~13,000; keep a margin
MESSAGE_TEXT: Final = 40_000

SECTION_TEXT: Final = 3_000
SECTION_FIELDS: Final = 10
SECTION_FIELD_TEXT: Final = 2_000
HEADER_TEXT: Final = 150
CONTEXT_ELEMENTS: Final = 10
ACTIONS_ELEMENTS: Final = 25

BUTTON_TEXT: Final = 75
BUTTON_VALUE: Final = 2_000
BUTTON_URL: Final = 3_000
CONFIRM_TITLE: Final = 100
CONFIRM_TEXT: Final = 300

OPTION_TEXT: Final = 75
OPTION_VALUE: Final = 150
SELECT_OPTIONS: Final = 100

INPUT_LABEL: Final = 2_000
INPUT_HINT: Final = 2_000
PLACEHOLDER: Final = 150
PLAIN_TEXT_INPUT_MAX: Final = 3_000

ID_LENGTH: Final = 255

VIEW_TITLE: Final = 24
VIEW_SUBMIT: Final = 24
VIEW_CLOSE: Final = 24
PRIVATE_METADATA: Final = 3_000
CALLBACK_ID: Final = 255
VIEW_BYTES: Final = 250_000
VIEW_PUSH_DEPTH: Final = 3

ELLIPSIS: Final = "…"
