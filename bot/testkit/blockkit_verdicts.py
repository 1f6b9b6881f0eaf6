"""Remembered verdicts and slack-sdk's second opinion, for the Block Kit checks in ``blockkit``.

Apps send the same blocks over and over (a modal's fixed fields, a message's footer), and the fake
Slack validates every call, so verdicts are remembered by the exact JSON they were reached on (they
depend on nothing else). slack-sdk's models are a second opinion on a block ours found nothing wrong
with; building them costs far more than our own rules, hence the cache.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

_sdk_logger = logging.getLogger(__name__)
_V = TypeVar("_V")


def json_key(value: Any) -> str | None:
    """The exact JSON text of ``value``, or None if it is not plain JSON (then nothing is cached)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None


class Verdicts:
    """Verdicts remembered by the JSON text they were reached on.

    Without this a busy benchmark would spend much of its shared CPU re-validating identical JSON —
    work real Slack does on its own servers. Bounded: when full it starts over.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._seen: dict[str, Any] = {}

    def get(self, key: str | None, decide: Callable[[], _V]) -> _V:
        if key is None:
            return decide()
        try:
            return cast(_V, self._seen[key])
        except KeyError:
            verdict = decide()
            if len(self._seen) >= self._size:
                self._seen.clear()
            self._seen[key] = verdict
            return verdict


SDK_VERDICTS = Verdicts(4096)  # block JSON → slack-sdk's complaint, "" for none
SURFACE_VERDICTS = Verdicts(1024)  # view or message JSON → its problems


def sdk_complaint(ptr: str, build: Callable[[], object]) -> str | None:
    """Run a slack-sdk model's validators; its exception becomes the complaint, never escapes."""
    try:
        build()
    except SlackObjectFormationError as error:
        return f"{error} (slack-sdk)"
    except Exception as error:  # arbitrary input may break the sdk's constructors in any way
        _sdk_logger.debug("slack-sdk could not build %s: %r", ptr, error)
        return f"malformed: {type(error).__name__}: {error} (slack-sdk)"
    return None


def sdk_block_complaint(ptr: str, block: dict[str, Any]) -> str:
    """slack-sdk's complaint about one block, "" for none (remembered by the block's JSON)."""
    return SDK_VERDICTS.get(
        json_key(block),
        lambda: sdk_complaint(ptr, lambda: Block.parse(block).to_dict()) or "",  # type: ignore[union-attr]
    )
