"""`/negotiate settings` for workspace admins: what is in force, and saving one group of settings.

The use cases here decide and write; ``admin_settings_presenter`` turns their results into views.
Every value goes through :mod:`coaching.workspace_settings` (the one registry), so what the screen
accepts is exactly what the readers understand. A save changes only the keys whose value changed,
records one audit event per key (who, when, before, after) and is read by the next request or job
(nothing is cached), so no restart is needed.

Enterprise Grid: the org's admins and owners set org values (:attr:`Scope.ORG`, stored on the org's
row) that apply to every workspace of the org; a workspace admin's value overrides the org's for that
workspace only. What is in force for a key: the workspace's own value, else the org's, else the
default (the playbook's). The screen says which one each value is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from bot.members import Actor
from bot.playbook import base_playbook, current_playbook
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
from storage.queries.workspaces import (
    ensure_org,
    find_org,
    inherit,
    org_workspaces,
    own_keys,
    set_own,
)
from templates.ids.settings import SETTING_BLOCK_PREFIX

AUDIT_ACTION = "settings.changed"
NOT_IN_ORG = (
    "This workspace is not part of an Enterprise Grid org: its settings are set with `/negotiate settings`."
)
NOT_ORG_ADMIN_TITLE = "Only org admins can do that"
NOT_ORG_ADMIN = "Only admins and owners of your Enterprise Grid org can change the org's settings."
# the same refusals for the org's playbook (``refusal(..., of="playbook")``)
PLAYBOOK_NOT_IN_ORG = (
    "This workspace is not part of an Enterprise Grid org: "
    "its playbook is managed with `/negotiate playbook`."
)
PLAYBOOK_NOT_ORG_ADMIN = "Only admins and owners of your Enterprise Grid org can change the org's playbook."


class Scope(StrEnum):
    """Whose values a settings screen shows and saves."""

    WORKSPACE = "workspace"
    ORG = "org"


class Source(StrEnum):
    """Where the value in force comes from."""

    WORKSPACE = "workspace"
    ORG = "org"
    DEFAULT = "default"


def refusal(services: Services, actor: Actor, scope: Scope, *, of: str = "settings") -> str | None:
    """Why ``actor`` may not change ``scope``'s settings, or its playbook (``of="playbook"``);
    None: they may."""
    if scope is Scope.WORKSPACE:
        return None if actor.is_admin else "Only workspace admins can change these settings."
    with services.db.read() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        enterprise_id = workspace.enterprise_id if workspace is not None else None
    playbook = of == "playbook"
    if enterprise_id is None:
        return PLAYBOOK_NOT_IN_ORG if playbook else NOT_IN_ORG
    if actor.is_org_admin:
        return None
    return PLAYBOOK_NOT_ORG_ADMIN if playbook else NOT_ORG_ADMIN


def _rows(session: Session, actor: Actor, scope: Scope) -> tuple[Workspace | None, Workspace | None]:
    """The row whose settings the screen shows (None: an org with no values yet) and the workspace."""
    workspace = session.get(Workspace, actor.workspace_id)
    if scope is Scope.WORKSPACE or workspace is None:
        return workspace, workspace
    return find_org(session, workspace), workspace


def _source(scope: Scope, key: str, stored: Mapping[str, Any]) -> Source:
    if key not in stored:
        return Source.DEFAULT
    if scope is Scope.ORG:
        return Source.ORG
    return Source.WORKSPACE if key in own_keys(stored) else Source.ORG


def _policy(services: Services, session: Session, row: Workspace | None) -> Any:
    """The playbook's policy the defaults come from (the org's own playbook for the org screen; the
    process default for an org without a row yet)."""
    if row is None:
        return current_playbook(services.settings).policy
    return base_playbook(services, session, row.id).playbook.policy


def block_id(key: str, part: str = "") -> str:
    return f"{SETTING_BLOCK_PREFIX}{key}{'_' + part if part else ''}"


def error_block(setting: Setting) -> str:
    """Where a setting's error is shown (a composite setting shows it under its last input)."""
    return block_id(setting.key, "days") if setting.kind is Kind.HOURS else block_id(setting.key)


@dataclass(frozen=True, slots=True)
class SettingRow:
    setting: Setting
    value: Any
    source: Source

    @property
    def is_default(self) -> bool:
        return self.source is Source.DEFAULT


@dataclass(frozen=True, slots=True)
class Overview:
    """Every setting in force, by group (for the admin screen), and whose screen it is."""

    groups: tuple[tuple[Group, tuple[SettingRow, ...]], ...]
    scope: Scope = Scope.WORKSPACE
    in_org: bool = False  # the workspace belongs to an Enterprise Grid org


def _countries() -> frozenset[str]:
    from bot.holidays import known_countries  # imported late: the holidays data is large

    return known_countries()


def overview(services: Services, actor: Actor, scope: Scope = Scope.WORKSPACE) -> Overview:
    with services.db.read() as session:
        row, workspace = _rows(session, actor, scope)
        policy = _policy(services, session, row)
        stored = dict(row.settings or {}) if row else {}
        in_org = workspace is not None and workspace.enterprise_id is not None
    values = values_in_force(policy, stored)
    groups = tuple(
        (
            group,
            tuple(
                SettingRow(setting, values[setting.key], _source(scope, setting.key, stored))
                for setting in in_group(group)
            ),
        )
        for group in Group
    )
    return Overview(groups, scope, in_org)


def group_values(
    services: Services, actor: Actor, group: Group, scope: Scope = Scope.WORKSPACE
) -> dict[str, Any]:
    """The values in force for one group's modal."""
    with services.db.read() as session:
        row, _workspace = _rows(session, actor, scope)
        policy = _policy(services, session, row)
        values = values_in_force(policy, row.settings if row else None)
    return {setting.key: values[setting.key] for setting in in_group(group)}


def save_group(
    services: Services, actor: Actor, group: Group, raw: Mapping[str, Any], scope: Scope = Scope.WORKSPACE
) -> dict[str, str]:
    """Validate and store one group's form (``raw``: setting key → form value); errors by block id
    (and nothing stored), or ``{}`` once saved and audited. An org save reaches every workspace of
    the org that has not set the key itself."""
    refused = refusal(services, actor, scope)
    if refused is not None:
        return {error_block(in_group(group)[0]): refused}
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    countries = _countries() if any(s.kind is Kind.COUNTRY for s in in_group(group)) else frozenset()
    with services.db.read() as session:
        row, workspace = _rows(session, actor, scope)
        policy = _policy(services, session, row)
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
        target = workspace
        if scope is Scope.ORG:
            assert workspace.enterprise_id is not None, "refusal() checked the workspace is in an org"
            target = ensure_org(session, workspace.enterprise_id)
        stored = dict(target.settings or {})
        before = values_in_force(policy, stored)
        after = {**before, **parsed}
        for key, message in cross_check(after).items():
            if key in parsed:
                errors[error_block(BY_KEY[key])] = message
        if errors:
            return errors
        changed: dict[str, Any] = {}
        via = {} if target is workspace else {"by": actor.slack_user_id, "from_team": workspace.team_id}
        for key, value in parsed.items():
            if value == before[key]:
                continue  # unchanged: a default stays a default, an org value stays the org's
            changed[key] = value
            audit.record(
                session, target.id, AUDIT_ACTION, "workspace", target.id, now,
                actor_id=actor.member_id if target is workspace else None, key=key, before=before[key],
                after=value, scope=scope.value,
                **via,
            )  # fmt: skip
        if scope is Scope.WORKSPACE:
            set_own(workspace, changed)
        else:
            target.settings = {**stored, **changed}
            _reach_workspaces(session, target, list(changed), actor, now)
    return {}


def _reach_workspaces(session: Session, org: Workspace, keys: list[str], actor: Actor, now: Any) -> None:
    """Put the org's new values in force in every workspace of the org that has not overridden them
    (each one's audit trail says so)."""
    if not keys:
        return
    values = org.settings or {}
    for workspace in org_workspaces(session, org, for_update=True):
        before = dict(workspace.settings or {})
        for key in inherit(workspace, values, keys):
            audit.record(
                session, workspace.id, AUDIT_ACTION, "workspace", workspace.id, now,
                key=key, before=before.get(key), after=values.get(key), scope="org", by=actor.slack_user_id,
            )  # fmt: skip
