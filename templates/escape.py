"""Escaping for the two languages every template value lands in: Slack mrkdwn inside a JSON string.

A value interpolated with ``{{ value }}`` is first escaped for mrkdwn (``&`` ``<`` ``>`` and nothing else,
see ``shared/slack-platform.md``) and then encoded as the *content* of a JSON string literal (quotes,
backslashes, control characters). The marker types below say which of the two steps a value skips:

``Trusted``  mrkdwn the app built itself (``<@U123>``, links, dates): JSON-encoded, not mrkdwn-escaped.
``Plain``    a raw value for a field Slack neither parses nor decodes (``initial_value``, ``url``):
             JSON-encoded, not mrkdwn-escaped, so it round-trips byte for byte.
``Encoded``  already escaped *and* JSON-encoded template output (macro results, ``|tojson``): passed through.

All three are ``str`` subclasses on purpose: any string operation on them (``~``, ``|upper``, slicing)
returns a plain ``str``, which is escaped again — mistakes make output over-escaped, never unsafe.
"""

from __future__ import annotations

import re
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Final

__all__ = [
    "GUARD",
    "Encoded",
    "Plain",
    "Trusted",
    "app_text",
    "encode_json_string",
    "escape_controls",
    "escape_mrkdwn",
    "mark_user_text",
    "resolve_markers",
    "trusted",
]

_SURROGATE = re.compile("[\ud800-\udfff]")

GUARD: Final = "\u200b"
"""ZERO WIDTH SPACE: invisible, and to Slack's formatter a word character (neither space nor punctuation)."""
_MARKERS = re.compile(r"[*_~`]")
_NO_CLOSE_AFTER: Final = frozenset(")]}\"'")
"""A wrapper's closing marker after one of these may not take effect (reported for ``*word)*``)."""


class Trusted(str):
    """App-built mrkdwn that must reach Slack unescaped (still JSON-encoded). Never wrap user text."""

    __slots__ = ()


class Plain(str):
    """A raw value for a non-text-object field; see the module docstring. Never for displayed text."""

    __slots__ = ()


class Encoded(str):
    """Text that is already escaped and JSON-encoded; private to the renderer."""

    __slots__ = ()


def trusted(text: str) -> Trusted:
    """Mark mrkdwn the app itself built as safe to send as is (escape any user part with escape_mrkdwn)."""
    if not isinstance(text, str):
        raise TypeError(f"trusted() takes a str, not {type(text).__name__}")
    return Trusted(text)


def app_text(text: str) -> Trusted:
    """Mrkdwn the app itself wrote, with no user text in it: its ```code``` and ``*bold*`` format as
    written, and ``& < >`` are still escaped. Text that includes anything a user typed is built with
    ``trusted(f"… {escape_mrkdwn(part)} …")`` instead."""
    if not isinstance(text, str):
        raise TypeError(f"app_text() takes a str, not {type(text).__name__}")
    return Trusted(escape_controls(text))


def escape_controls(text: str) -> str:
    """Escape Slack's three control characters, exactly once: ``&amp;`` in, ``&amp;amp;`` out.

    Only for app-built tokens (a ``<!date^…>`` format); user text goes through ``escape_mrkdwn``.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_mrkdwn(text: str) -> str:
    """User text as typed, in any mrkdwn field: no mention, link or formatting can come out of it.

    Slack has no escape for its formatting characters (a backslash shows literally), so each of
    ``* _ ~ ` `` is fenced with ``GUARD`` on both sides: a marker only opens after a space or punctuation
    and only closes before one, and an invisible word character on each side makes it neither. The text's
    own ends are guarded too when a wrapper's marker there might not take effect (a space at either
    end; a closing bracket or quote at the end), so an app-built wrapper such as ``*{{ title }}*``
    still closes when the title ends in ``)`` or starts with a space — the bold stays bold and its
    asterisks never show. ``& < >`` become entities exactly once.
    """
    return resolve_markers(mark_user_text(text), mrkdwn=True)


# Templates cannot know whether a ``{{ value }}`` lands in a mrkdwn text or in an id, a button value or a
# plain_text label, so the renderer marks user text with Unicode noncharacters (reserved for exactly this
# kind of internal use) and resolves them once the JSON is parsed and each string's field is known.
_SENTINELS: Final = {"*": "\ufdd0", "_": "\ufdd1", "~": "\ufdd2", "`": "\ufdd3"}
_EDGE: Final = "\ufdd4"
_TO_GUARDED = str.maketrans({v: GUARD + k + GUARD for k, v in _SENTINELS.items()} | {_EDGE: GUARD})
_TO_RAW = str.maketrans({v: k for k, v in _SENTINELS.items()} | {_EDGE: ""})
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
SENTINEL_PATTERN: Final = re.compile("[\ufdd0-\ufdd4]")


def mark_user_text(text: str) -> str:
    """``& < >`` escaped and the formatting markers and guardable ends marked, for ``resolve_markers``."""
    escaped = escape_controls(text)
    if not escaped:
        return escaped
    if _NONCHARACTERS.search(escaped):  # never meaningful in interchanged text; they would be misread
        escaped = _NONCHARACTERS.sub("\ufffd", escaped)
    if _MARKERS.search(escaped):
        escaped = _MARKERS.sub(lambda m: _mark(escaped, m.start()), escaped)
    if escaped[0].isspace():
        escaped = _EDGE + escaped
    if escaped[-1].isspace() or escaped[-1] in _NO_CLOSE_AFTER:
        escaped += _EDGE
    return escaped


def _mark(text: str, at: int) -> str:
    """The marker at ``at``, marked for a guard unless it sits between two letters or digits.

    Between two word characters ``*``, ``_`` and ``~`` can neither open (that needs a space or
    punctuation before) nor close (that needs one after), so ``snake_case`` and ``:white_check_mark:``
    stay as they are — and an emoji code keeps working. A backtick is always guarded.
    """
    char = text[at]
    inside = 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum()
    return char if inside and char != "`" else _SENTINELS[char]


def resolve_markers(text: str, *, mrkdwn: bool) -> str:
    """Marked user text as it must reach Slack: guarded in mrkdwn, raw characters anywhere else."""
    return text.translate(_TO_GUARDED if mrkdwn else _TO_RAW)


def encode_json_string(text: str) -> str:
    """Encode ``text`` as the inside of a JSON string literal (no surrounding quotes).

    Lone surrogates (valid in a Python ``str``, invalid in UTF-8, possible in JSON Slack sent us) become
    U+FFFD, and split surrogate pairs are joined, so the payload can always be encoded for the wire.
    NUL is dropped: it shows nothing in Slack, and PostgreSQL refuses it in text and JSONB (outbox rows).
    """
    text = text.replace("\x00", "")
    if not text.isascii() and _SURROGATE.search(text):  # most text is ASCII: no surrogates to look for
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return encode_basestring(text)[1:-1]  # what json.dumps(text, ensure_ascii=False) does, minus its setup
