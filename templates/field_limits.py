"""The longest text each modal field accepts, taken from the validation that checks it on submit.

Every ``plain_text_input`` carries ``max_length`` from here (``{{ field_limits.prep_title|int }}``), so
Slack stops the typing at the field and shows its own message under it, and the server's check —
which still runs, for clients that do not enforce it — can never disagree with what the field allowed.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from coaching.commitment_form import MAX_CHARGED_TO, MAX_VALUE_TEXT, MAX_WHAT
from coaching.prep import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, MAX_TITLE_LENGTH
from coaching.trade_form import MAX_AMOUNT, MAX_ITEM, MAX_REASON

__all__ = ["FIELD_LIMITS"]

FIELD_LIMITS: Final = MappingProxyType(
    {
        "prep_title": MAX_TITLE_LENGTH,
        "prep_name": MAX_NAME_LENGTH,
        "long_text": MAX_TEXT_LENGTH,
        "debrief_title": MAX_TITLE_LENGTH,
        "trade_item": MAX_ITEM,
        "trade_amount": MAX_AMOUNT,
        "trade_reason": MAX_REASON,
        "commit_what": MAX_WHAT,
        "commit_value": MAX_VALUE_TEXT,
        "commit_charged_to": MAX_CHARGED_TO,
    }
)
