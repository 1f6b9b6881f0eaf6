"""`/negotiate settings` for workspace admins: what is in force, and saving one group of settings.

The use cases here decide and write; ``admin_settings_presenter`` turns their results into views.
Every value goes through :mod:`coaching.workspace_settings` (the one registry), so what the screen
accepts is exactly what the readers understand. A save changes only the keys whose value changed,
records one audit event per key (who, when, before, after) and is read by the next request or job
(nothing is cached), so no restart is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.members import Actor
from bot.playbook import base_playbook
from bot.services import Services
from coaching.money import is_currency
from coaching.workspace_settings import (
    BY_KEY,
    Group,
    Kind,
    Setting,
    SettingError,
    cross_check,
    in_group,
    parse_value,
    values_in_force,
)
from storage.models import Workspace
from storage.queries import audit
from templates.ids.settings import SETTING_BLOCK_PREFIX

AUDIT_ACTION = "settings.changed"


def block_id(key: str, part: str = "") -> str:
    return f"{SETTING_BLOCK_PREFIX}{key}{'_' + part if part else ''}"


def error_block(setting: Setting) -> str:
    """Where a setting's error is shown (a composite setting shows it under its last input)."""
    return block_id(setting.key, "days") if setting.kind is Kind.HOURS else block_id(setting.key)


@dataclass(frozen=True, slots=True)
class SettingRow:
    setting: Setting
    value: Any
    is_default: bool


@dataclass(frozen=True, slots=True)
class Overview:
    """Every setting in force, by group (for the admin screen)."""

    groups: tuple[tuple[Group, tuple[SettingRow, ...]], ...]


def _countries() -> frozenset[str]:
    from bot.holidays import known_countries  # imported late: the holidays data is large

    return known_countries()


def overview(services: Services, actor: Actor) -> Overview:
    with services.db.read() as session:
        policy = base_playbook(services, session, actor.workspace_id).playbook.policy
        workspace = session.get(Workspace, actor.workspace_id)
        stored = dict(workspace.settings or {}) if workspace else {}
    values = values_in_force(policy, stored)
    defaults = values_in_force(policy, {})
    groups = tuple(
        (
            group,
            tuple(
                SettingRow(setting, values[setting.key], values[setting.key] == defaults[setting.key])
                for setting in in_group(group)
            ),
        )
        for group in Group
    )
    return Overview(groups)


def group_values(services: Services, actor: Actor, group: Group) -> dict[str, Any]:
    """The values in force for one group's modal."""
    with services.db.read() as session:
        policy = base_playbook(services, session, actor.workspace_id).playbook.policy
        workspace = session.get(Workspace, actor.workspace_id)
        values = values_in_force(policy, workspace.settings if workspace else None)
    return {setting.key: values[setting.key] for setting in in_group(group)}


def save_group(services: Services, actor: Actor, group: Group, raw: Mapping[str, Any]) -> dict[str, str]:
    """Validate and store one group's form (``raw``: setting key → form value); errors by block id
    (and nothing stored), or ``{}`` once saved and audited."""
    if not actor.is_admin:
        first = in_group(group)[0]
        return {error_block(first): "Only workspace admins can change these settings."}
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    countries = _countries() if any(s.kind is Kind.COUNTRY for s in in_group(group)) else frozenset()
    with services.db.read() as session:
        policy = base_playbook(services, session, actor.workspace_id).playbook.policy
    typed_currency = str(raw.get("default_currency") or "").strip().upper()
    currency = typed_currency if is_currency(typed_currency) else policy.default_currency
    for setting in in_group(group):
        try:
            parsed[setting.key] = parse_value(
                setting, raw.get(setting.key), countries=countries, currency=currency
            )
        except SettingError as error:
            errors[error_block(setting)] = str(error)
    if errors:
        return errors
    now = services.clock()
    with services.db.session() as session:
        workspace = session.get(Workspace, actor.workspace_id, with_for_update=True)
        assert workspace is not None, "the middleware recorded the actor's workspace"
        stored = dict(workspace.settings or {})
        before = values_in_force(policy, stored)
        after = {**before, **parsed}
        for key, message in cross_check(after).items():
            if key in parsed:
                errors[error_block(BY_KEY[key])] = message
        if errors:
            return errors
        for key, value in parsed.items():
            if value == before[key] and key in stored:
                continue
            if value == before[key] and key not in stored:
                continue  # the default, unchanged: nothing to store
            stored[key] = value
            audit.record(
                session, actor.workspace_id, AUDIT_ACTION, "workspace", actor.workspace_id, now,
                actor_id=actor.member_id, key=key, before=before[key], after=value,
            )  # fmt: skip
        workspace.settings = stored  # a new dict: JSON columns do not track changes in place
    return {}
