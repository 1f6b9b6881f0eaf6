"""Matching what people typed against the limits they set, forgivingly but predictably.

Both sides are normalised (case folded, punctuation and repeated spaces dropped, decimal points
inside numbers kept), then an item matches a limit when one equals the other or contains it as a
whole-word phrase: "Full day" matches "Cutting a full day", "day" does not match "Monday". A
phrase made only of little words ("a", "the", "of"…) is never matched inside another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NOT_WORD = re.compile(r"[^\w%.]+")
_STRAY_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_LITTLE = "a an the of to in on at by for from with and or no not per our their your my we us it is be"
_LITTLE_WORDS = frozenset(_LITTLE.split())


def normalise(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive form of a label."""
    words = _STRAY_DOT.sub(" ", _NOT_WORD.sub(" ", text.casefold()))
    return " ".join(words.replace("_", " ").split())


def matches_limit(item: str, limit: str) -> bool:
    """Whether ``item`` is, contains, or is contained in ``limit`` (whole words, normalised)."""
    a, b = normalise(item), normalise(limit)
    if not a or not b:
        return False
    if a == b:
        return True
    return (_meaningful(a) and f" {a} " in f" {b} ") or (_meaningful(b) and f" {b} " in f" {a} ")


def _meaningful(phrase: str) -> bool:
    return any(word not in _LITTLE_WORDS for word in phrase.split())


def matching_limit(item: str, limits: Iterable[str]) -> str | None:
    """The first limit that ``item`` matches, or None."""
    return next((limit for limit in limits if matches_limit(item, limit)), None)
