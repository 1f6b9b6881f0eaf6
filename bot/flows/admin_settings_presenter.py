"""Views of `/negotiate settings` for admins: plain data from ``admin_settings`` into templates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from bot.flows.admin_settings import Overview, Scope, Source, block_id
from bot.metadata import MetadataError, load
from coaching.workspace_settings import Group, Kind, Setting, describe, in_group
from coaching.worktime import WEEKDAY_NAMES
from templates import render_view

_DAYS = [(name, name.title()) for name in WEEKDAY_NAMES]
_YES_NO = [("true", "Yes"), ("false", "No")]


@dataclass(frozen=True, slots=True)
class GroupMeta:
    """The group modal's private_metadata: which group, the overview it was pushed from, and whose
    settings (``workspace`` or ``org``)."""

    group: str
    root_view_id: str
    scope: str = Scope.WORKSPACE.value


@dataclass(frozen=True, slots=True)
class ScopeMeta:
    """The private_metadata of the settings overview and of the playbook screen and paste modal:
    whose values they show (a workspace's or the Enterprise Grid org's)."""

    scope: str = Scope.WORKSPACE.value


def scope_of(view: Mapping[str, Any]) -> Scope:
    """Whose values a screen shows, from its private_metadata (a workspace's when it says none, or
    something Parley did not write)."""
    raw = view.get("private_metadata")
    try:
        return Scope(load(ScopeMeta, raw).scope) if isinstance(raw, str) and raw else Scope.WORKSPACE
    except (MetadataError, ValueError):
        return Scope.WORKSPACE


SOURCE_WORDS = {
    Source.DEFAULT: "default",
    Source.ORG: "set for the org",
    Source.WORKSPACE: "set for this workspace",
}


def overview_view(state: Overview, playbook: str) -> dict[str, Any]:
    groups = [
        {
            "key": group.value,
            "title": group.heading,
            "rows": [
                {
                    "label": row.setting.label,
                    "value": describe(row.setting, row.value),
                    "is_default": row.is_default,
                    "source": SOURCE_WORDS[row.source] if state.in_org or row.is_default else "",
                }
                for row in rows
            ],
        }
        for group, rows in state.groups
    ]
    return render_view(
        "views/settings_admin",
        groups=groups,
        playbook=playbook,
        org=state.scope is Scope.ORG,
        in_org=state.in_org,
        meta=asdict(ScopeMeta(state.scope.value)),
    )


def _field(setting: Setting, value: Any) -> dict[str, Any]:
    field: dict[str, Any] = {
        "kind": setting.kind.value,
        "block": block_id(setting.key),
        "label": setting.label,
        "hint": setting.hint,
        "initial": "",
        "optional": setting.kind in (Kind.OPTIONAL_INT, Kind.DATES, Kind.COUNTRY),
        "options": [],
        "chosen": [],
    }
    kind = setting.kind
    if kind is Kind.HOURS:
        field.update(start=value["start"], end=value["end"], options=_DAYS)
        field["chosen"] = [pair for pair in _DAYS if pair[0] in value["days"]]
    elif kind is Kind.WEEKDAY:
        field.update(options=_DAYS, chosen=[pair for pair in _DAYS if pair[0] == value])
    elif kind is Kind.BOOL:
        field.update(options=_YES_NO, chosen=[_YES_NO[0] if value else _YES_NO[1]])
    elif kind is Kind.CHOICE:
        options = list(setting.choices)
        field.update(options=options, chosen=[pair for pair in options if pair[0] == value])
    elif kind is Kind.CADENCE:
        field["initial"] = ", ".join(value)
    elif kind is Kind.DATES:
        field["initial"] = "\n".join(value)
    elif value is not None:
        field["initial"] = str(value)
    return field


def group_view(
    group: Group, values: dict[str, Any], root_view_id: str, scope: Scope = Scope.WORKSPACE
) -> dict[str, Any]:
    return render_view(
        "views/settings_group",
        title=group.heading,
        meta=asdict(GroupMeta(group.value, root_view_id, scope.value)),
        fields=[_field(setting, values[setting.key]) for setting in in_group(group)],
    )
