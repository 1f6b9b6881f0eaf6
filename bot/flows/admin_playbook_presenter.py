"""Views of `/negotiate playbook`: plain data from ``admin_playbook`` into templates."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.flows.admin_playbook import Draft, Problems, Screen
from templates import render_view

CHUNK_CHARS = 2400  # a section's text is at most 3,000 characters


@dataclass(frozen=True, slots=True)
class PlaybookRef:
    """A button's value: one playbook version (a draft, or an applied version to roll back to)."""

    id: int


def _chunks(lines: tuple[str, ...]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for line in lines:
        line = line if len(line) <= 500 else line[:499] + "…"
        if chunks[-1] and size + len(line) > CHUNK_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + 3
    return [chunk for chunk in chunks if chunk]


def playbook_view(
    state: Screen, *, notice: str = "", result: Draft | Problems | None = None
) -> dict[str, Any]:
    draft = None
    problems: list[list[str]] = []
    if isinstance(result, Draft):
        draft = {"ref": asdict(PlaybookRef(result.id)), "name": result.name, "summary": list(result.summary)}
    elif isinstance(result, Problems):
        problems = _chunks(result.problems)
    force = state.in_force
    return render_view(
        "views/playbook",
        name=force.name,
        where=(f"version {force.version}" if force.version is not None else "the default")
        + (", set for the org (a version applied here would override it)" if force.source == "org" else ""),
        overrides=list(force.overrides[:30]),
        notice=notice,
        problems=problems[:40],
        draft=draft,
        versions=[
            {
                "ref": asdict(PlaybookRef(row.id)),
                "version": row.version,
                "name": row.name,
                "applied": row.applied.strftime("%Y-%m-%d %H:%M UTC") if row.applied else "",
                "in_force": row.in_force,
            }
            for row in state.versions[:20]
        ],
    )


def paste_view() -> dict[str, Any]:
    return render_view("views/playbook_paste")
