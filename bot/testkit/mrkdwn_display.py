"""What a Slack client shows for a mrkdwn string: the text a reader sees and which parts are styled.

A model of Slack's formatter, strict where Slack is reported to be strict, so a test can ask "does the
user's text come back exactly as typed, with no formatting gained or lost?":

* ``*bold*``, ``_italic_``, ``~strike~`` and ``` `code` ``` are pairs of one marker character. A marker
  *opens* only at the start of a line or after whitespace or punctuation, and only before a
  non-space; it *closes* only after a character that is neither whitespace nor a closing bracket,
  quote or marker (Slack leaves ``*word)*`` unformatted; a code span may end after anything but a
  space) and only before the end, whitespace or punctuation. Pairs never span a line break; the
  inside of a code span is literal.
* Zero-width characters are invisible and count as word characters (neither space nor punctuation).
* ``<@U1>`` shows as ``@U1``, ``<#C1>`` as ``#C1``, ``<url|label>`` as ``label``, ``<!date^…|fallback>``
  as ``fallback``, other ``<!…>`` as ``@…``; then ``&lt;`` ``&gt;`` ``&amp;`` (and nothing else) are decoded.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass

__all__ = ["Run", "displayed", "runs"]

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_MARKERS = "*_~"
_ASCII_PUNCT = frozenset(string.punctuation)
_NO_CLOSE_AFTER = frozenset(")]}\"'*_~`")
"""Reported: Slack leaves ``*word)*`` unformatted. Sentence punctuation (``*Note:*``) closes fine."""
_TOKEN = re.compile(r"<([^<>]*)>")
_STYLE = {"*": "bold", "_": "italic", "~": "strike", "`": "code"}


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of shown text with the styles Slack gives it."""

    text: str
    styles: frozenset[str]


def _is_punct(c: str) -> bool:
    return c in _ASCII_PUNCT or (c not in _ZERO_WIDTH and unicodedata.category(c).startswith("P"))


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else ""
    return (before.isspace() or _is_punct(before)) and after != "" and not after.isspace()


def _closes(text: str, j: int, start: int) -> bool:
    if j <= start + 1:
        return False
    before = text[j - 1]
    after = text[j + 1] if j + 1 < len(text) else "\n"
    word_before = not before.isspace() and (text[j] == "`" or before not in _NO_CLOSE_AFTER)
    return word_before and (after.isspace() or _is_punct(after))


def _tokens(text: str) -> str:
    def shown(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner.startswith(("@", "#")):
            return inner.split("|", 1)[0]
        if inner.startswith("!date^"):
            return inner.split("|", 1)[1] if "|" in inner else ""
        if inner.startswith("!"):
            return "@" + inner[1:].split("|", 1)[0]
        return inner.split("|", 1)[1] if "|" in inner else inner

    return _TOKEN.sub(shown, text)


def _decode(text: str) -> str:
    text = "".join(c for c in text if c not in _ZERO_WIDTH)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _pair(text: str, i: int, marker: str) -> int | None:
    if not _opens(text, i):
        return None
    j = i + 1
    while j < len(text) and text[j] != "\n":
        if text[j] == marker and _closes(text, j, i):
            return j
        j += 1
    return None


def _format(text: str, styles: frozenset[str], markers: str) -> list[Run]:
    out: list[Run] = []
    plain_from = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c in markers:
            j = _pair(text, i, c)
            if j is not None:
                if plain_from < i:
                    out.append(Run(text[plain_from:i], styles))
                inner = text[i + 1 : j]
                style = styles | {_STYLE[c]}
                if c == "`":
                    out.append(Run(inner, style))
                else:
                    out.extend(_format(inner, style, markers.replace(c, "")))
                i = plain_from = j + 1
                continue
        i += 1
    if plain_from < len(text):
        out.append(Run(text[plain_from:], styles))
    return out


def runs(mrkdwn: str) -> list[Run]:
    """The styled stretches a reader sees (empty ones dropped), decoded and without zero-width characters."""
    shown = _format(_tokens(mrkdwn), frozenset(), "`" + _MARKERS)
    decoded = [Run(_decode(run.text), run.styles) for run in shown]
    return [run for run in decoded if run.text]


def displayed(mrkdwn: str) -> str:
    """The characters a reader sees, formatting markers that took effect removed."""
    return "".join(run.text for run in runs(mrkdwn))
