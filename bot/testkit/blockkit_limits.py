"""Slack's Block Kit limits, written from Slack's reference (docs.slack.dev/reference/block-kit).

Kept apart from ``templates/limits.py`` on purpose: the renderer and the fake Slack's checker must not
share one reading of the reference, or one misunderstanding would pass both sides.
"""

from __future__ import annotations

from typing import Final

MESSAGE_BLOCKS: Final = 50  # blocks in a message
VIEW_BLOCKS: Final = 100  # blocks in a modal or Home tab
# Slack answers msg_blocks_too_long at roughly 13,000 characters of block text (undocumented); the fake
# refuses from 12,000 so a message near the edge fails here rather than in a workspace.
MESSAGE_BLOCK_TEXT: Final = 12_000
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
SELECT_OPTIONS: Final = 100  # options or option groups in a select menu
INPUT_LABEL: Final = 2_000
INPUT_HINT: Final = 2_000
PLACEHOLDER: Final = 150
PLAIN_TEXT_INPUT_MAX: Final = 3_000  # plain_text_input max_length
ID_LENGTH: Final = 255  # block_id, action_id
VIEW_TITLE: Final = 24
VIEW_SUBMIT: Final = 24
VIEW_CLOSE: Final = 24
PRIVATE_METADATA: Final = 3_000
CALLBACK_ID: Final = 255
VIEW_BYTES: Final = 250_000  # a whole view, as JSON (view_too_large)
VIEW_STACK_DEPTH: Final = 3  # a modal stack: the root plus two pushed views (push_limit_reached)
GENERIC_TEXT: Final = 3_000  # Slack's cap for a text object where no tighter limit is documented
OVERFLOW_OPTIONS: Final = 5
CHOICE_OPTIONS: Final = 10  # checkboxes and radio buttons
CONFIRM_BUTTON: Final = 30
IMAGE_ALT_TEXT: Final = 2_000
IMAGE_URL: Final = 3_000
