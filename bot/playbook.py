"""The playbook this process coaches with: the default, or ``PARLEY_PLAYBOOK`` merged over it.

Read once per process and path (the file is validated by ``coaching.playbook.parse_playbook``; the bot
layer does the reading because ``coaching/`` never touches the file system).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot.settings import Settings
from coaching.playbook import Playbook, load_default, parse_playbook
from coaching.workspace_settings import effective_policy
from storage.models import PlaybookVersion, Workspace
from storage.queries import playbooks
from storage.queries.workspaces import find_org

if TYPE_CHECKING:
    from bot.services import Services


def current_playbook(settings: Settings) -> Playbook:
    """The playbook for ``settings`` (cached; raises ``PlaybookError`` for a file with problems)."""
    return _load(settings.playbook_path)


@functools.cache
def _load(path: Path | None) -> Playbook:
    if path is None:
        return load_default()
    return parse_playbook(path.read_text(encoding="utf-8"), path.name)


def with_workspace_settings(base: Playbook, workspace_settings: Mapping[str, Any] | None) -> Playbook:
    """``base`` with the workspace's ``/negotiate settings`` overrides applied to its policy."""
    policy = effective_policy(base.policy, workspace_settings)
    return base if policy is base.policy else replace(base, policy=policy)


@dataclass(frozen=True, slots=True)
class WorkspacePlaybook:
    playbook: Playbook
    version: int | None  # the applied version in force (None: the process default)
    source: str = "default"  # whose version: "workspace", "org" (Enterprise Grid) or "default"


def workspace_playbook(services: Services, session: Session, workspace_id: int) -> WorkspacePlaybook:
    """The playbook in force for one workspace: its applied version (or the process default), with
    its settings applied. Read per request and per job, so a change needs no restart."""
    workspace = session.get(Workspace, workspace_id)
    base = base_playbook(services, session, workspace_id)
    settings = workspace.settings if workspace is not None else None
    return WorkspacePlaybook(with_workspace_settings(base.playbook, settings), base.version, base.source)


def applied_version(session: Session, workspace_id: int) -> tuple[PlaybookVersion, str] | None:
    """The applied version in force and whose it is: the workspace's, else (Enterprise Grid) its
    org's; None when neither applied one (the process default is in force)."""
    row = playbooks.in_force(session, workspace_id)
    if row is not None:
        return row, "workspace"
    workspace = session.get(Workspace, workspace_id)
    org = find_org(session, workspace) if workspace is not None else None
    row = playbooks.in_force(session, org.id) if org is not None else None
    return (row, "org") if row is not None else None


def base_playbook(services: Services, session: Session, workspace_id: int) -> WorkspacePlaybook:
    """The version in force, before settings: :func:`applied_version`, else the process default."""
    applied = applied_version(session, workspace_id)
    if applied is None:
        return WorkspacePlaybook(current_playbook(services.settings), None)
    row, source = applied
    return WorkspacePlaybook(parse_version(row.text, row.source), row.version, source)


def in_force_over(session: Session, default: Playbook, workspace_id: int) -> Playbook:
    """The applied version in force (the workspace's, else its org's), else ``default`` (the process
    playbook a scheduled job or delivery was handed), before its settings: what every scheduled
    behaviour reads, so an upload or a rollback reaches the next ``parley tick`` without a restart."""
    applied = applied_version(session, workspace_id)
    return default if applied is None else parse_version(applied[0].text, applied[0].source)


def playbook_for(services: Services, session: Session, workspace_id: int) -> Playbook:
    return workspace_playbook(services, session, workspace_id).playbook


@functools.lru_cache(maxsize=64)
def parse_version(text: str, source: str) -> Playbook:
    """A stored version (validated when it was applied; parsed once per process and text)."""
    return parse_playbook(text, source or "playbook.toml")


def playbook_in_force(services: Services, workspace_id: int) -> WorkspacePlaybook:
    """:func:`workspace_playbook` in its own read-only unit of work (for requests)."""
    with services.db.read() as session:
        return workspace_playbook(services, session, workspace_id)


def playbook_of(services: Services, workspace_id: int) -> Playbook:
    return playbook_in_force(services, workspace_id).playbook
