"""Text length as Slack counts it (UTF-16 code units), so what a form accepts fits where it goes."""

from __future__ import annotations


def text_length(text: str) -> int:
    """Length in UTF-16 code units (never less than the code-point count)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
