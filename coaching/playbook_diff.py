"""What changes between two playbooks, in words an admin can check before applying one.

``3 moves changed, 1 added; questions for suppliers replaced; policy: digest_time 09:00 → 10:00``.
Pure: compares two validated :class:`~coaching.playbook.Playbook` values.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from coaching.phrasing import plural
from coaching.playbook import Playbook


def _moves(old: Playbook, new: Playbook) -> list[str]:
    before = {move.id: move for move in old.moves}
    after = {move.id: move for move in new.moves}
    changed = sum(1 for key in before.keys() & after.keys() if before[key] != after[key])
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    parts = []
    if changed:
        parts.append(f"{plural(changed, 'move')} changed")
    if added:
        parts.append(f"{added} added")
    if removed:
        parts.append(f"{removed} removed")
    if parts and not changed:
        parts[0] = f"moves: {parts[0]}"
    return [", ".join(parts)] if parts else []


def _lists(label: str, old: Any, new: Any, plural_of: dict[str, str] | None = None) -> list[str]:
    lines = []
    for key in sorted(set(old) | set(new), key=str):
        if old.get(key) != new.get(key):
            name = (plural_of or {}).get(str(key), f"{key}s" if key else "members without a style")
            lines.append(f"{label} for {name} replaced")
    return lines


def _policy(old: Playbook, new: Playbook) -> list[str]:
    lines = []
    for field in fields(old.policy):
        before, after = getattr(old.policy, field.name), getattr(new.policy, field.name)
        if before != after:
            lines.append(f"policy {field.name}: {_short(before)} → {_short(after)}")
    return lines


def _short(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(getattr(item, "key", str(item)) for item in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat("minutes") if hasattr(value, "hour") else value.isoformat())
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def summarize(old: Playbook, new: Playbook) -> tuple[str, ...]:
    """One line per kind of change (empty when the playbooks coach the same)."""
    lines: list[str] = []
    if old.name != new.name:
        lines.append(f"name: {old.name} → {new.name}")
    lines += _moves(old, new)
    lines += _lists("questions", old.questions, new.questions, {"management": "management"})
    lines += _lists("counters", old.counters, new.counters, {"management": "management"})
    for name in ("prep", "room", "debrief"):
        if getattr(old.checklists, name) != getattr(new.checklists, name):
            lines.append(f"{name} checklist replaced")
    lines += _lists("tips", old.tips, new.tips)
    if old.usually_gives != new.usually_gives:
        lines.append("what counterparts usually give changed")
    lines += _policy(old, new)
    return tuple(lines)
