"""Make rendered payloads fit Block Kit's limits instead of failing with ``invalid_blocks``.

User text can be any length, so after rendering every text object is truncated to its limit with ``…``,
over-long lists are capped, and a message or view with too many blocks keeps what fits plus a final
``…and N more`` context block. Values that carry data or ids (``private_metadata``, option and button
values, URLs, ``*_id``) are never cut — a truncated id is a corrupt id — and raise ``LimitError`` instead.

Lengths are counted in UTF-16 code units, which is never less than the code-point count, so the result is
within the limit whichever way Slack counts. Cuts never split a surrogate pair, an ``&amp;``/``&lt;``/
``&gt;`` entity, a ``<…>`` token (mention, link, date) or a character from its combining marks.

The functions work in place on freshly parsed JSON and return it.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any, Final

from coaching.textlength import text_length
from templates import limits as L

__all__ = ["LimitError", "fit_message", "fit_view", "text_length", "truncate"]

log = logging.getLogger(__name__)

# Limits Slack documents that templates/limits.py does not (yet) hold.
TEXT_OBJECT: Final = 3_000  # any text object without a tighter limit (e.g. context elements)
CONFIRM_BUTTON: Final = 30  # confirm dialog's confirm / deny labels
ALT_TEXT: Final = 2_000
IMAGE_TITLE: Final = 2_000
OVERFLOW_OPTIONS: Final = 5
CHOICE_OPTIONS: Final = 10  # radio_buttons and checkboxes

_ENTITIES: Final = ("&amp;", "&lt;", "&gt;")
_TEXT_TYPES: Final = frozenset({"plain_text", "mrkdwn"})
_JOINERS: Final = frozenset("\u200d\ufe0e\ufe0f")  # ZWJ and variation selectors
_MARKER_RESERVE: Final = 32  # room for the "…and N more" block within a size budget
_MIN_SHRINK: Final = 200  # below this, a block that does not fit is dropped rather than shrunk
_VIEW_RESERVE: Final = 2_000  # bytes kept free for the marker block and the view's own fields


class LimitError(ValueError):
    """A value that must not be truncated is over its limit (the message names where)."""


def _prefix_end(text: str, units: int) -> int:
    """Largest index i such that text[:i] is at most ``units`` UTF-16 code units."""
    if text.isascii():
        return min(len(text), units)
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return i
    return len(text)


def _is_continuation(ch: str) -> bool:
    code = ord(ch)
    return (
        unicodedata.combining(ch) != 0
        or ch in _JOINERS
        or 0x1F3FB <= code <= 0x1F3FF  # skin-tone modifiers
        or 0xDC00 <= code <= 0xDFFF  # low half of a surrogate pair
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
    )


def _safe_cut(text: str, cut: int) -> int:
    """Move ``cut`` left until it splits nothing that must stay whole."""
    while cut > 0:
        start = cut
        if (cut < len(text) and _is_continuation(text[cut])) or text[cut - 1] in _JOINERS:
            cut -= 1
        amp = text.rfind("&", max(0, cut - 4), cut)
        if amp != -1 and any(text.startswith(e, amp) and amp + len(e) > cut for e in _ENTITIES):
            cut = amp
        lt = text.rfind("<", 0, cut)
        if lt != -1 and text.find(">", lt, cut) == -1:
            cut = lt
        if cut == start:
            break
    return cut


def truncate(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` UTF-16 units, else the longest safe prefix plus ``…``."""
    if text_length(text) <= limit:
        return text
    cut = _safe_cut(text, _prefix_end(text, limit - text_length(L.ELLIPSIS)))
    return text[:cut].rstrip() + L.ELLIPSIS


def _fit_text(obj: Any, limit: int) -> None:
    """Truncate a text object; an empty one (a blank user value) becomes ``…``, as Slack rejects empties."""
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        obj["text"] = truncate(obj["text"], limit) if obj["text"].strip() else L.ELLIPSIS


def _require(obj: dict[str, Any], key: str, limit: int, path: str) -> None:
    value = obj.get(key)
    if isinstance(value, str) and text_length(value) > limit:
        raise LimitError(
            f"{path}.{key} is {text_length(value)} characters, over Slack's limit of {limit}; "
            "it carries data or an id, so it is not truncated"
        )


def _more(count: int, kind: str = "mrkdwn") -> dict[str, Any]:
    return {"type": kind, "text": f"{L.ELLIPSIS}and {count} more"}


def _cap(items: list[Any], limit: int, path: str) -> list[Any]:
    """Drop what does not fit from a list that cannot show an overflow note (options, buttons)."""
    if len(items) > limit:
        log.warning("%s: dropped %d of %d items over Slack's limit", path, len(items) - limit, len(items))
        return items[:limit]
    return items


def _cap_with_note(items: list[Any], limit: int, note_type: str) -> list[Any]:
    if len(items) <= limit:
        return items
    return [*items[: limit - 1], _more(len(items) - limit + 1, note_type)]


def _fit_option(option: Any, path: str) -> None:
    if not isinstance(option, dict):
        return
    _fit_text(option.get("text"), L.OPTION_TEXT)
    _fit_text(option.get("description"), L.OPTION_TEXT)
    _require(option, "value", L.OPTION_VALUE, path)
    _require(option, "url", L.BUTTON_URL, path)


def _fit_options(element: dict[str, Any], path: str) -> None:
    kind = element.get("type")
    limit = {"overflow": OVERFLOW_OPTIONS, "radio_buttons": CHOICE_OPTIONS, "checkboxes": CHOICE_OPTIONS}.get(
        str(kind), L.SELECT_OPTIONS
    )
    if isinstance(element.get("options"), list):
        element["options"] = _cap(element["options"], limit, f"{path}.options")
        for i, option in enumerate(element["options"]):
            _fit_option(option, f"{path}.options[{i}]")
    if isinstance(element.get("option_groups"), list):
        element["option_groups"] = _cap(element["option_groups"], L.SELECT_OPTIONS, f"{path}.option_groups")
        for g, group in enumerate(element["option_groups"]):
            if not isinstance(group, dict):
                continue
            _fit_text(group.get("label"), L.OPTION_TEXT)
            gpath = f"{path}.option_groups[{g}]"
            if isinstance(group.get("options"), list):
                group["options"] = _cap(group["options"], L.SELECT_OPTIONS, f"{gpath}.options")
                for i, option in enumerate(group["options"]):
                    _fit_option(option, f"{gpath}.options[{i}]")
    if "initial_option" in element:
        _fit_option(element["initial_option"], f"{path}.initial_option")
    for i, option in enumerate(element.get("initial_options") or []):
        _fit_option(option, f"{path}.initial_options[{i}]")


def _fit_element(element: Any, path: str) -> None:
    """An interactive element or accessory: buttons, selects, inputs, images."""
    if not isinstance(element, dict):
        return
    _require(element, "action_id", L.ID_LENGTH, path)
    if element.get("type") == "image":
        element["alt_text"] = truncate(element.get("alt_text") or L.ELLIPSIS, ALT_TEXT)
        return
    _fit_text(element.get("text"), L.BUTTON_TEXT)
    _fit_text(element.get("placeholder"), L.PLACEHOLDER)
    _require(element, "value", L.BUTTON_VALUE, path)
    _require(element, "url", L.BUTTON_URL, path)
    max_length = element.get("max_length")
    if not isinstance(max_length, int) or not 0 < max_length <= L.PLAIN_TEXT_INPUT_MAX:
        max_length = L.PLAIN_TEXT_INPUT_MAX
    _require(element, "initial_value", max_length, path)
    confirm = element.get("confirm")
    if isinstance(confirm, dict):
        _fit_text(confirm.get("title"), L.CONFIRM_TITLE)
        _fit_text(confirm.get("text"), L.CONFIRM_TEXT)
        _fit_text(confirm.get("confirm"), CONFIRM_BUTTON)
        _fit_text(confirm.get("deny"), CONFIRM_BUTTON)
    _fit_options(element, path)


def _fit_block(block: Any, path: str) -> None:
    if not isinstance(block, dict):
        return
    _require(block, "block_id", L.ID_LENGTH, path)
    kind = block.get("type")
    if kind == "section":
        _fit_text(block.get("text"), L.SECTION_TEXT)
        if isinstance(block.get("fields"), list) and block["fields"]:
            first = block["fields"][0]
            note = first.get("type", "mrkdwn") if isinstance(first, dict) else "mrkdwn"
            block["fields"] = _cap_with_note(block["fields"], L.SECTION_FIELDS, note)
            for field in block["fields"]:
                _fit_text(field, L.SECTION_FIELD_TEXT)
        _fit_element(block.get("accessory"), f"{path}.accessory")
    elif kind == "header":
        _fit_text(block.get("text"), L.HEADER_TEXT)
    elif kind == "context" and isinstance(block.get("elements"), list):
        block["elements"] = _cap_with_note(block["elements"], L.CONTEXT_ELEMENTS, "mrkdwn")
        for i, element in enumerate(block["elements"]):
            if isinstance(element, dict) and element.get("type") in _TEXT_TYPES:
                _fit_text(element, TEXT_OBJECT)
            else:
                _fit_element(element, f"{path}.elements[{i}]")
    elif kind == "actions" and isinstance(block.get("elements"), list):
        block["elements"] = _cap(block["elements"], L.ACTIONS_ELEMENTS, f"{path}.elements")
        for i, element in enumerate(block["elements"]):
            _fit_element(element, f"{path}.elements[{i}]")
    elif kind == "input":
        _fit_text(block.get("label"), L.INPUT_LABEL)
        _fit_text(block.get("hint"), L.INPUT_HINT)
        _fit_element(block.get("element"), f"{path}.element")
    elif kind == "image":
        block["alt_text"] = truncate(block.get("alt_text") or L.ELLIPSIS, ALT_TEXT)
        _fit_text(block.get("title"), IMAGE_TITLE)


def _text_objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") in _TEXT_TYPES and isinstance(node.get("text"), str):
            yield node
            return
        for value in node.values():
            yield from _text_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _text_objects(value)


def _block_text(block: Any) -> int:
    return sum(text_length(obj["text"]) for obj in _text_objects(block))


def _block_bytes(block: Any) -> int:
    return len(json.dumps(block, ensure_ascii=False).encode())


def _shrink(block: Any, budget: int) -> None:
    """Cut a block's texts, in reading order, so together they take at most ``budget`` units."""
    objects = list(_text_objects(block))
    spare = budget - len(objects)  # every text keeps at least one unit, if only "…"
    for obj in objects:
        obj["text"] = truncate(obj["text"], max(spare, 0) + 1)
        spare -= text_length(obj["text"]) - 1


def _cap_blocks(
    blocks: list[Any], max_blocks: int, size: Callable[[Any], int], budget: int, *, shrink: bool
) -> list[Any]:
    """Keep the blocks that fit in count and size; replace the rest with one ``…and N more`` block.

    N counts dropped blocks other than dividers, so a list drawn as item + divider pairs reads right.
    """
    sizes = [size(block) for block in blocks]
    if len(blocks) <= max_blocks and sum(sizes) <= budget:
        return blocks
    budget -= _MARKER_RESERVE
    kept: list[Any] = []
    used = 0
    for i, block in enumerate(blocks):
        if len(kept) == max_blocks - 1 and i < len(blocks) - 1:
            break
        if used + sizes[i] > budget:
            if shrink and budget - used >= _MIN_SHRINK:
                _shrink(block, budget - used)
                kept.append(block)
            break
        kept.append(block)
        used += sizes[i]
    dropped = blocks[len(kept) :]
    count = sum(1 for block in dropped if not (isinstance(block, dict) and block.get("type") == "divider"))
    if not count:
        return kept
    return [*kept, {"type": "context", "elements": [_more(count)]}]


def _fit_blocks(container: dict[str, Any]) -> list[Any]:
    blocks = container.get("blocks")
    if not isinstance(blocks, list):
        raise LimitError("payload has no blocks list")
    for i, block in enumerate(blocks):
        _fit_block(block, f"blocks[{i}]")
    return blocks


def fit_message(message: dict[str, Any]) -> dict[str, Any]:
    """Fit ``{"text", "blocks"}``: per-object limits, 50 blocks, ~12,000 units of block text."""
    text = message.get("text")
    if not isinstance(text, str):
        raise LimitError("message has no fallback text")
    message["text"] = truncate(text, L.MESSAGE_TEXT) if text.strip() else L.ELLIPSIS
    blocks = _fit_blocks(message)
    message["blocks"] = _cap_blocks(blocks, L.MESSAGE_BLOCKS, _block_text, L.MESSAGE_BLOCK_TEXT, shrink=True)
    return message


def fit_view(view: dict[str, Any]) -> dict[str, Any]:
    """Fit a modal or Home tab: per-object limits, 100 blocks, 250 kB; ids and metadata must already fit."""
    _fit_text(view.get("title"), L.VIEW_TITLE)
    _fit_text(view.get("submit"), L.VIEW_SUBMIT)
    _fit_text(view.get("close"), L.VIEW_CLOSE)
    _require(view, "callback_id", L.CALLBACK_ID, "view")
    _require(view, "external_id", L.ID_LENGTH, "view")
    _require(view, "private_metadata", L.PRIVATE_METADATA, "view")
    blocks = _fit_blocks(view)
    if len(blocks) <= L.VIEW_BLOCKS and _block_bytes(view) <= L.VIEW_BYTES - _VIEW_RESERVE:
        return view  # the usual case, settled by measuring the whole view once instead of each block
    frame = _block_bytes({**view, "blocks": []})
    view["blocks"] = _cap_blocks(
        blocks, L.VIEW_BLOCKS, _block_bytes, L.VIEW_BYTES - frame - _VIEW_RESERVE, shrink=False
    )
    return view
