"""Views of `/negotiate playbook`: plain data from ``admin_playbook`` into templates."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.flows.admin_playbook import Draft, Problems, Screen
from bot.flows.admin_settings import Scope
from bot.flows.admin_settings_presenter import ScopeMeta
from templates import date, render_view

CHUNK_CHARS = 2400  # a section's text is at most 3,000 characters


@dataclass(frozen=True, slots=True)
class PlaybookRef:
    """A button's value: one playbook version (a draft, or an applied version to roll back to);
    ``org``: one of the Enterprise Grid org's versions."""

    id: int
    org: bool = False


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
    org = state.scope is Scope.ORG
    if isinstance(result, Draft):
        draft = {
            "ref": asdict(PlaybookRef(result.id, org)),
            "name": result.name,
            "summary": list(result.summary),
        }
    elif isinstance(result, Problems):
        problems = _chunks(result.problems)
    force = state.in_force
    return render_view(
        "views/playbook",
        org=org,
        meta=asdict(ScopeMeta(state.scope.value)),
        name=force.name,
        where=(f"version {force.version}" if force.version is not None else "the default")
        + (", set for the org (a version applied here would override it)" if force.source == "org" else ""),
        overrides=list(force.overrides[:30]),
        notice=notice,
        problems=problems[:40],
        draft=draft,
        versions=[
            {
                "ref": asdict(PlaybookRef(row.id, org)),
                "version": row.version,
                "name": row.name,
                "applied": date(row.applied) if row.applied else "",  # in each reader's own zone
                "in_force": row.in_force,
            }
            for row in state.versions[:20]
        ],
    )


def paste_view(scope: Scope = Scope.WORKSPACE) -> dict[str, Any]:
    return render_view("views/playbook_paste", meta=asdict(ScopeMeta(scope.value)))
