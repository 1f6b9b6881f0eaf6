"""What the fake records about each call, and the form-argument decoding every entry point shares."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

JSON_ARGS: Final = ("blocks", "attachments", "view", "files", "metadata")  # JSON strings in form bodies


@dataclass(frozen=True)
class Call:
    """One request as the fake saw it: parsed arguments (JSON fields decoded), answer and HTTP status."""

    method: str
    args: dict[str, Any]
    answer: dict[str, Any] | bytes = field(repr=False)  # the JSON sent back, parsed when first read
    status: int
    token: str | None = None

    @cached_property
    def response(self) -> dict[str, Any]:
        """The answer as a dict (a copy: later changes to the fake's state do not show in it)."""
        if isinstance(self.answer, bytes):
            parsed: dict[str, Any] = json.loads(self.answer)
            return parsed
        return self.answer

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.response.get("ok") is True

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass
class Injected:
    """A queued artificial answer: ``status`` 429 means rate limited with ``retry_after``."""

    status: int
    error: str
    retry_after: int = 0


def decode_json_args(args: dict[str, Any]) -> dict[str, Any]:
    decoded = dict(args)
    for key in JSON_ARGS:
        value = decoded.get(key)
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):  # else left a string: the method answers *_format errors
                decoded[key] = json.loads(value)
    return decoded
