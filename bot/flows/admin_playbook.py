"""`/negotiate playbook` for admins: the playbook in force, uploading a new version, applying or
discarding it, rolling back, and the text to download.

An upload is validated by the same parser as ``PARLEY_PLAYBOOK`` (``coaching.playbook``); one with
problems is answered with every problem by ``file:key`` and stores nothing. A valid one is kept as
a draft with its diff summary until an admin applies it (it then gets the next version number) or
discards it. Every step is audited. Versions are per workspace; without one the process default
(``PARLEY_PLAYBOOK``, else Parley's own) is in force.

Enterprise Grid: the org's admins and owners manage the org's versions the same way
(:attr:`~bot.flows.admin_settings.Scope.ORG`, kept on the org's row); a workspace without a version of
its own coaches with the org's version in force (workspace > org > default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from sqlalchemy.orm import Session

from bot.flows.admin_settings import Scope, refusal
from bot.members import Actor
from bot.playbook import applied_version, base_playbook, current_playbook, workspace_playbook
from bot.services import Services
from coaching.playbook import DEFAULT_SOURCE, PlaybookError, load_default, parse_playbook
from coaching.playbook_diff import summarize
from storage.models import PlaybookVersion, Workspace
from storage.queries import audit, playbooks
from storage.queries.workspaces import ensure_org, find_org

MAX_PLAYBOOK_BYTES = 200_000


class PlaybookRefused(Exception):
    """An admin action that cannot be done (not an admin, a stale button); the message says why."""


@dataclass(frozen=True, slots=True)
class InForce:
    name: str
    version: int | None  # None: no version applied in Parley (the process default)
    sources: tuple[str, ...]
    overrides: tuple[str, ...] = ()  # what it changes from Parley's standard playbook
    source: str = "default"  # whose version: "workspace", "org" (Enterprise Grid) or "default"

    def describe(self) -> str:
        where = f"version {self.version}" if self.version is not None else "the default"
        if self.source == "org":
            where += ", set for the org"
        files = [s for s in self.sources if s != DEFAULT_SOURCE]
        over = f", from {', '.join(files)}" if files and self.version is None else ""
        return f"{self.name} ({where}{over})"


@dataclass(frozen=True, slots=True)
class VersionRow:
    id: int
    version: int
    name: str
    applied: datetime | None
    in_force: bool


@dataclass(frozen=True, slots=True)
class Draft:
    id: int
    name: str
    summary: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Problems:
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Screen:
    in_force: InForce
    versions: tuple[VersionRow, ...]
    scope: Scope = Scope.WORKSPACE


def _require_admin(services: Services, actor: Actor, scope: Scope) -> None:
    if scope is Scope.WORKSPACE and not actor.is_admin:
        raise PlaybookRefused("Only workspace admins can change the playbook.")
    refused = refusal(services, actor, scope, of="playbook")
    if refused is not None:
        raise PlaybookRefused(refused)


def _target(session: Session, actor: Actor, scope: Scope, *, create: bool = False) -> int | None:
    """The row whose versions ``scope`` means: the workspace, or its org (None: no org row yet)."""
    if scope is Scope.WORKSPACE:
        return actor.workspace_id
    workspace = session.get(Workspace, actor.workspace_id)
    if workspace is None or workspace.enterprise_id is None:
        return None
    org = ensure_org(session, workspace.enterprise_id) if create else find_org(session, workspace)
    return org.id if org is not None else None


def in_force(services: Services, actor: Actor, scope: Scope = Scope.WORKSPACE) -> InForce:
    with services.db.read() as session:
        target = _target(session, actor, scope)
        if target is None:  # an org that has applied nothing yet: the process default
            playbook = current_playbook(services.settings)
            return InForce(playbook.name, None, playbook.sources, summarize(load_default(), playbook))
        found = workspace_playbook(services, session, target)
    playbook = found.playbook
    return InForce(
        playbook.name, found.version, playbook.sources, summarize(load_default(), playbook), found.source
    )


def screen(services: Services, actor: Actor, scope: Scope = Scope.WORKSPACE) -> Screen:
    with services.db.read() as session:
        target = _target(session, actor, scope)
        current = playbooks.in_force(session, target) if target is not None else None
        rows = tuple(
            VersionRow(
                row.id,
                row.version or 0,
                row.name,
                row.activated_at,
                current is not None and row.id == current.id,
            )
            for row in (playbooks.applied_versions(session, target) if target is not None else [])
        )
    return Screen(in_force(services, actor, scope), rows, scope)


def problem_lines(error: PlaybookError) -> tuple[str, ...]:
    """Every problem as ``file:key: expected …, found …`` (syntax errors: ``file:line:column``)."""
    lines = []
    for problem in error.problems:
        if problem.line is not None:
            where = f"{problem.source}:{problem.line}:{problem.column}"
        else:
            where = f"{problem.source}:{problem.path}" if problem.path else problem.source
        lines.append(f"{where}: expected {problem.expected}, found {problem.found}")
    return tuple(lines)


def upload(
    services: Services, actor: Actor, text: str, source: str, scope: Scope = Scope.WORKSPACE
) -> Draft | Problems:
    """Check an uploaded playbook; a valid one becomes a draft (nothing changes until it is applied)."""
    _require_admin(services, actor, scope)
    source = (source.strip() or "pasted.toml")[:120]
    if len(text.encode("utf-8")) > MAX_PLAYBOOK_BYTES:
        return Problems((f"{source}: expected at most {MAX_PLAYBOOK_BYTES:,} bytes, found a larger file",))
    try:
        new = parse_playbook(text, source)
    except PlaybookError as error:
        return Problems(problem_lines(error))
    now = services.clock()
    with services.db.session() as session:
        target = _target(session, actor, scope, create=True)
        assert target is not None, "_require_admin checked the workspace is in an org"
        summary = summarize(base_playbook(services, session, target).playbook, new) or (
            "nothing that changes the coaching",
        )
        draft = playbooks.add_draft(
            session, target, text=text, name=new.name, source=source,
            summary="\n".join(summary), created_by=_member_in(actor, target),
        )  # fmt: skip
        audit.record(
            session, target, "playbook.uploaded", "playbook_version", draft.id, now,
            actor_id=_member_in(actor, target), source=source, name=new.name, **_by(actor, target),
        )  # fmt: skip
        return Draft(draft.id, new.name, summary)


def _member_in(actor: Actor, target: int) -> int | None:
    """The actor's member id where it belongs (an org's rows name the org admin by Slack id instead)."""
    return actor.member_id if target == actor.workspace_id else None


def _by(actor: Actor, target: int) -> dict[str, str]:
    return {} if target == actor.workspace_id else {"by": actor.slack_user_id}


def _pending_draft(session: Session, target: int, draft_id: int, then: str = "") -> PlaybookVersion:
    """The upload still waiting for Apply or Discard; a refusal once either has happened."""
    draft = playbooks.get_version(session, target, draft_id)
    if draft is None or draft.status != playbooks.DRAFT:
        raise PlaybookRefused(f"That upload was already applied or discarded{': ' + then if then else '.'}")
    return draft


def _scoped(actor: Actor, scope: Scope, session: Session) -> int:
    target = _target(session, actor, scope)
    if target is None:
        raise PlaybookRefused("That is no longer there: run `/negotiate playbook org` again.")
    return target


def apply(services: Services, actor: Actor, draft_id: int, scope: Scope = Scope.WORKSPACE) -> str:
    """Put a draft in force as the next version; what to tell the admin."""
    _require_admin(services, actor, scope)
    now = services.clock()
    with services.db.session() as session:
        target = _scoped(actor, scope, session)
        draft = _pending_draft(session, target, draft_id, "upload it again if needed.")
        before = playbooks.in_force(session, target)
        version = playbooks.apply_draft(session, draft, now)
        audit.record(
            session, target, "playbook.applied", "playbook_version", draft.id, now,
            actor_id=_member_in(actor, target), before=before.version if before else None, after=version,
            **_by(actor, target),
        )  # fmt: skip
    return f"Version {version} ({draft.name}) is now in force, from the next prep, debrief and reminder on."


def discard(services: Services, actor: Actor, draft_id: int, scope: Scope = Scope.WORKSPACE) -> str:
    _require_admin(services, actor, scope)
    now = services.clock()
    with services.db.session() as session:
        target = _scoped(actor, scope, session)
        draft = _pending_draft(session, target, draft_id)
        draft.status = playbooks.DISCARDED
        audit.record(
            session, target, "playbook.discarded", "playbook_version", draft.id, now,
            actor_id=_member_in(actor, target), **_by(actor, target),
        )  # fmt: skip
    return "Discarded: nothing changed."


def rollback(services: Services, actor: Actor, version_id: int, scope: Scope = Scope.WORKSPACE) -> str:
    """Put an earlier applied version back in force."""
    _require_admin(services, actor, scope)
    now = services.clock()
    with services.db.session() as session:
        target = _scoped(actor, scope, session)
        row = playbooks.get_version(session, target, version_id)
        if row is None or row.status != playbooks.APPLIED:
            raise PlaybookRefused("That version can't be restored: run `/negotiate playbook` again.")
        before = playbooks.in_force(session, target)
        if before is not None and before.id == row.id:
            return f"Version {row.version} is already in force."
        playbooks.activate(session, row, now)
        audit.record(
            session, target, "playbook.rolled_back", "playbook_version", row.id, now,
            actor_id=_member_in(actor, target), before=before.version if before else None, after=row.version,
            **_by(actor, target),
        )  # fmt: skip
    return f"Rolled back: version {row.version} ({row.name}) is in force again."


def download(services: Services, actor: Actor, scope: Scope = Scope.WORKSPACE) -> tuple[str, str]:
    """The file name and TOML text of the playbook in force (before workspace settings)."""
    _require_admin(services, actor, scope)
    with services.db.read() as session:
        if scope is Scope.WORKSPACE:
            applied = applied_version(session, actor.workspace_id)
            row = applied[0] if applied is not None else None
        else:
            target = _target(session, actor, scope)
            row = playbooks.in_force(session, target) if target is not None else None
        if row is not None:
            return f"playbook-v{row.version}.toml", row.text
    path = services.settings.playbook_path
    if path is not None:
        return path.name, path.read_text(encoding="utf-8")
    text = resources.files("coaching").joinpath("data/playbook.toml").read_text(encoding="utf-8")
    return "parley-default-playbook.toml", text
