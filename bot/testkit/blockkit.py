"""Block Kit validation: what Slack would reject, found before Slack sees it.

slack-sdk only validates its own model objects, and not every limit (no 50-blocks check, no unique ids,
mrkdwn is accepted where only plain_text is allowed). Parley renders templates to plain dicts, so the
template tests and the fake Slack both run these pure functions instead. Problems read like Slack's
``response_metadata.messages`` (``must be less than 151 characters [json-pointer:/blocks/0/text/text]``),
so a failing test points at the exact field. Nothing here raises on malformed input: every defect,
including a wrong Python type anywhere, comes back as a problem.

This module walks a surface (message or view) and is the public face; the parts live beside it:
``blockkit_limits`` (Slack's numbers), ``blockkit_rules`` (problems, the walk, one class a kind of
rule), ``blockkit_tables`` (each block and element type's rules) and ``blockkit_verdicts`` (remembered
verdicts, slack-sdk's second opinion).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Final

from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.views import View

from bot.testkit.blockkit_limits import (
    CALLBACK_ID,
    ID_LENGTH,
    MESSAGE_BLOCK_TEXT,
    MESSAGE_BLOCKS,
    PRIVATE_METADATA,
    VIEW_BLOCKS,
    VIEW_BYTES,
    VIEW_CLOSE,
    VIEW_STACK_DEPTH,
    VIEW_SUBMIT,
    VIEW_TITLE,
)
from bot.testkit.blockkit_rules import (
    BLOCKS_TOO_LONG,
    INVALID,
    NO_FALLBACK_TEXT,
    NO_TEXT,
    PLAIN,
    VIEW_TOO_LARGE,
    Bool,
    Problem,
    SelfText,
    Spec,
    Str,
    Text,
    Walk,
    check_extra_keys,
    check_str,
)
from bot.testkit.blockkit_tables import (
    BLOCKS,
    ELEMENTS,
    MESSAGE_BLOCK_TYPES,
    VIEW_BLOCK_TYPES,
    VIEW_KEYS,
)
from bot.testkit.blockkit_verdicts import SURFACE_VERDICTS, json_key, sdk_block_complaint, sdk_complaint

__all__ = [
    "BLOCKS_TOO_LONG",
    "INVALID",
    "MESSAGE_BLOCK_TEXT",
    "NO_FALLBACK_TEXT",
    "NO_TEXT",
    "VIEW_BLOCKS",
    "VIEW_STACK_DEPTH",
    "VIEW_TOO_LARGE",
    "Problem",
    "message_problems",
    "validate_message",
    "validate_view",
    "view_problems",
]

# ---------------------------------------------------------------------------------------------- walk


def _spec_of(
    w: Walk,
    obj: Any,
    ptr: str,
    specs: Mapping[str, Spec],
    allowed: frozenset[str],
    an: str,
    noun: str,
    where: str,
) -> Spec | None:
    """The rules for an element or block by its ``type``; None (reported) when it is not an object,
    its type is unknown or missing, or that type is not ``allowed`` ``where`` it is."""
    if not isinstance(obj, dict):
        w.add(ptr, f"expected {an} object")
        return None
    kind = obj.get("type")
    spec = specs.get(kind) if isinstance(kind, str) else None
    if spec is None:
        w.add(ptr, f"unknown {noun} type {kind!r}" if "type" in obj else "missing required field: type")
        return None
    if kind not in allowed:
        w.add(ptr, f"{noun} type {kind!r} is not allowed {where}")
        return None
    return spec


def _check_element(w: Walk, element: Any, ptr: str, allowed: frozenset[str]) -> None:
    spec = _spec_of(w, element, ptr, ELEMENTS, allowed, "an element", "element", "here")
    if spec is None:
        return
    for rule in spec.rules:
        rule.check(w, element, ptr)
    if not any(isinstance(rule, SelfText) for rule in spec.rules):  # text objects check their own keys
        check_extra_keys(w, element, ptr, spec.known)


def _check_block(w: Walk, block: Any, ptr: str, allowed: frozenset[str]) -> None:
    spec = _spec_of(w, block, ptr, BLOCKS, allowed, "a block", "block", "on this surface")
    if spec is None:
        return
    before = len(w.problems)
    if "block_id" in block and check_str(w, block_id := block["block_id"], f"{ptr}/block_id", ID_LENGTH, 1):
        if block_id in w.block_ids:
            w.add(f"{ptr}/block_id", f"duplicate block_id {block_id!r}")
        w.block_ids.add(block_id)
    w.action_ids = set()
    for rule in spec.rules:
        rule.check(w, block, ptr)
    check_extra_keys(w, block, ptr, spec.known | {"block_id"})
    if len(w.problems) == before and (complaint := sdk_block_complaint(ptr, block)):
        w.add(ptr, complaint)  # slack-sdk as a second opinion, only where ours found nothing


def _texts(node: Any) -> Iterator[str]:
    """Every string of text a reader sees, for Slack's total-length limit (iterative: input may be deep)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") in ("plain_text", "mrkdwn", "text", "markdown") and isinstance(
                item.get("text"), str
            ):
                yield item["text"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _check_blocks(w: Walk, blocks: Any, ptr: str, max_blocks: int, allowed: frozenset[str]) -> None:
    if not isinstance(blocks, list):
        w.add(ptr, "expected an array")
        return
    if len(blocks) > max_blocks:
        w.add(ptr, f"no more than {max_blocks} items allowed")
    for i, block in enumerate(blocks):
        _check_block(w, block, f"{ptr}/{i}", allowed)


# ---------------------------------------------------------------------------------------------- public


def message_problems(blocks: Any, text: Any) -> list[Problem]:
    """Problems of a message (``chat.postMessage`` / ``chat.update`` / ``chat.postEphemeral`` args)."""
    key = json_key(["message", blocks, text])
    return list(SURFACE_VERDICTS.get(key, lambda: tuple(_message_problems(blocks, text))))


def _message_problems(blocks: Any, text: Any) -> list[Problem]:
    w = Walk(_check_element)
    if text is not None and not isinstance(text, str):
        w.add("/text", "expected a string")
    has_text = isinstance(text, str) and text.strip() != ""
    if blocks is None or blocks == []:
        if not has_text:
            w.add("/text", "missing required field: text (or blocks)", NO_TEXT)
        return w.problems
    _check_blocks(w, blocks, "/blocks", MESSAGE_BLOCKS, MESSAGE_BLOCK_TYPES)
    if isinstance(blocks, list) and (total := sum(len(t) for t in _texts(blocks))) > MESSAGE_BLOCK_TEXT:
        w.add(
            "/blocks",
            f"blocks carry {total} characters of text, more than {MESSAGE_BLOCK_TEXT}",
            BLOCKS_TOO_LONG,
        )
    if not has_text:
        w.add(
            "/text",
            "missing fallback text: set `text` whenever sending blocks (notifications, screen readers)",
            NO_FALLBACK_TEXT,
        )
    return w.problems


VIEW_RULES: Final = (
    Text("title", PLAIN, VIEW_TITLE),
    Text("submit", PLAIN, VIEW_SUBMIT),
    Text("close", PLAIN, VIEW_CLOSE),
    Str("private_metadata", PRIVATE_METADATA),
    Str("callback_id", CALLBACK_ID),
    Str("external_id", ID_LENGTH),
    Bool("clear_on_close"),
    Bool("notify_on_close"),
    Bool("submit_disabled"),
)


def view_problems(view: Any) -> list[Problem]:
    """Problems of a modal or Home tab view (``views.open/push/update/publish``), pointers under ``/view``."""
    key = json_key(["view", view])
    return list(SURFACE_VERDICTS.get(key, lambda: tuple(_view_problems(view))))


def _view_problems(view: Any) -> list[Problem]:
    w = Walk(_check_element)
    if not isinstance(view, dict):
        w.add("/view", "expected a view object")
        return w.problems
    try:
        size = len(json.dumps(view, ensure_ascii=False, default=str).encode())
    except (TypeError, ValueError, RecursionError):
        size = 0
    if size > VIEW_BYTES:
        w.add("/view", f"view is {size} bytes, more than {VIEW_BYTES}", VIEW_TOO_LARGE)
    kind = view.get("type")
    if kind not in ("modal", "home"):
        w.add("/view/type", "must be a valid enum value: modal or home")
    if kind == "modal" and "title" not in view:
        w.add("/view", "missing required field: title")
    for rule in VIEW_RULES:
        rule.check(w, view, "/view")
    if kind == "home":
        for key in ("submit", "close"):
            if key in view:
                w.add(f"/view/{key}", "a home view cannot have submit or close")
    blocks = view.get("blocks")
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if kind == "modal" and "submit" not in view and has_input:
        w.add("/view", "missing required field: submit (required when the view has input blocks)")
    check_extra_keys(w, view, "/view", VIEW_KEYS)
    if "blocks" not in view:
        w.add("/view", "missing required field: blocks")
    else:
        _check_blocks(w, blocks, "/view/blocks", VIEW_BLOCKS, VIEW_BLOCK_TYPES)
    if not w.problems:
        sdk_view = {k: v for k, v in view.items() if k in VIEW_KEYS and isinstance(k, str)}
        sdk_view["blocks"] = [DividerBlock()]  # blocks were validated one by one above
        if complaint := sdk_complaint("/view", lambda: View(**sdk_view).validate_json()):
            w.add("/view", complaint)
    return w.problems


def validate_message(blocks: list[dict[str, Any]] | None, text: str | None) -> list[str]:
    """Human-readable problems of a message; empty means Slack (and Parley) would accept it."""
    return [str(p) for p in message_problems(blocks, text)]


def validate_view(view: dict[str, Any]) -> list[str]:
    """Human-readable problems of a view; empty means Slack would accept it."""
    return [str(p) for p in view_problems(view)]
