"""Ids that the templates in this package put into payloads (STYLE.md item 4: one place for ids).

Templates read them through the ``ids`` global, e.g. ``"{{ ids.CallbackId.LOADING }}"``; listeners
import the same members, so a rename cannot leave the two out of step.
"""

from enum import StrEnum
from typing import Final


class CallbackId(StrEnum):
    LOADING = "parley_loading"


TEMPLATE_IDS: Final = {"CallbackId": CallbackId}
