"""The team structure: who approves whose concession trades, set in Slack or imported from a CSV.

Each member's approver is their manager (``Member.manager_id``), else the workspace's fallback approver
(``Workspace.settings["fallback_approver"]``, a Slack user id); escalation goes one step further up.
Admins — Slack admins/owners per ``users.info``, members with the admin role, or Slack ids listed in
``Workspace.settings["admins"]`` — may set anyone's manager and the fallback; a member may set their own
manager once (when none is set). A manager loop is refused. Every change is an audit event.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.members import Actor
from bot.services import Services
from storage.models import Member, Workspace
from storage.queries import audit
from storage.queries.members import find_member, get_member, touch_member
from storage.queries.team import (
    MAX_CHAIN,
    admin_user_ids,
    fallback_user_id,
    find_by_email,
    is_admin,
    members_by_user_id,
    set_fallback_user_id,
    would_loop,
)
from storage.queries.workspaces import find_workspace
from templates import render_view
from templates.ids.team import TeamBlock

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


# --------------------------------------------------------------------------------------------------
# Who approves.


def approver_for(session: Session, workspace: Workspace, requester: Member) -> Member | None:
    """The requester's manager, else the fallback approver; never the requester themself."""
    if requester.manager_id is not None:
        manager = get_member(session, workspace.id, requester.manager_id)
        if manager is not None and manager.id != requester.id and manager.left_at is None:
            return manager  # a manager who left Slack (bot.flows.leavers) approves nothing
    return _fallback_member(session, workspace, exclude=(requester.id,))


def escalation_target(
    session: Session, workspace: Workspace, approver: Member | None, requester: Member
) -> Member | None:
    """Whom a request left waiting goes to: the approver's own manager, else the fallback approver.

    Never the approver or the requester (a fallback approver with no manager has nobody above).
    """
    exclude = {requester.id} | ({approver.id} if approver is not None else set())
    if approver is not None and approver.manager_id is not None and approver.manager_id not in exclude:
        manager = get_member(session, workspace.id, approver.manager_id)
        if manager is not None and manager.left_at is None:
            return manager
    return _fallback_member(session, workspace, exclude=tuple(exclude))


def _fallback_member(session: Session, workspace: Workspace, exclude: Iterable[int]) -> Member | None:
    user_id = fallback_user_id(workspace)
    if user_id is None:
        return None
    member = find_member(session, workspace.id, user_id)
    if member is None:  # named in the settings before Parley met them
        member, _ = touch_member(session, workspace.id, user_id)
    return None if member.id in set(exclude) else member


def set_manager(
    session: Session,
    member: Member,
    manager: Member | None,
    now: datetime,
    *,
    actor_id: int | None = None,
    **detail: Any,
) -> tuple[bool, Member | None]:
    """Point ``member`` at ``manager`` (None: nobody) and audit the change. Answers whether it
    changed (not if it already was) and the manager before."""
    before = get_member(session, member.workspace_id, member.manager_id) if member.manager_id else None
    if (before.id if before else None) == (manager.id if manager else None):
        return False, before
    member.manager_id = manager.id if manager else None
    session.flush()
    audit.record(
        session,
        member.workspace_id,
        "team.manager_set",
        "member",
        member.id,
        now,
        actor_id=actor_id,
        member=member.slack_user_id,
        before=before.slack_user_id if before else None,
        after=manager.slack_user_id if manager else None,
        **detail,
    )
    return True, before


@dataclass(frozen=True)
class WhoCanSet:
    """What to tell a member who has no approver: who can set one, and whether they may themself."""

    admins: list[str]
    can_set_own: bool


def who_can_set(session: Session, workspace: Workspace, member: Member) -> WhoCanSet:
    return WhoCanSet(admin_user_ids(session, workspace), member.manager_id is None)


# --------------------------------------------------------------------------------------------------
# The /negotiate team modal.


@dataclass(frozen=True)
class TeamForm:
    """What the modal shows. A member who already has a manager gets a read-only view."""

    is_admin: bool
    can_edit: bool
    member_user_id: str
    manager_user_id: str | None
    fallback_user_id: str | None
    admins: list[str]


@dataclass(frozen=True)
class TeamChange:
    """The modal as submitted (Slack user ids). ``member_user_id`` is None in a member's own modal."""

    member_user_id: str | None
    manager_user_id: str | None
    fallback_user_id: str | None = None
    fallback_shown: bool = False


@dataclass(frozen=True)
class TeamSaved:
    member_user_id: str
    manager_user_id: str | None
    fallback_user_id: str | None
    manager_changed: bool
    fallback_changed: bool
    new_user_ids: list[str] = field(default_factory=list)  # first met here: fetch their profiles
    affected_user_ids: list[str] = field(default_factory=list)  # whose App Home may change


@dataclass(frozen=True)
class TeamRefused:
    errors: dict[str, str]


def team_form(services: Services, actor: Actor, member_user_id: str | None = None) -> TeamForm:
    """The modal for ``actor``; admins may look at another member (``member_user_id``)."""
    with services.db.session() as session:
        workspace, me = _workspace_and_member(session, actor)
        admin = is_admin(me, workspace)
        shown_user_id, manager_id = me.slack_user_id, me.manager_id
        if admin and member_user_id and member_user_id != me.slack_user_id:
            other = find_member(session, workspace.id, member_user_id)
            shown_user_id, manager_id = member_user_id, other.manager_id if other is not None else None
        manager = get_member(session, workspace.id, manager_id) if manager_id is not None else None
        return TeamForm(
            is_admin=admin,
            can_edit=admin or me.manager_id is None,
            member_user_id=shown_user_id,
            manager_user_id=manager.slack_user_id if manager is not None else None,
            fallback_user_id=fallback_user_id(workspace),
            admins=admin_user_ids(session, workspace),
        )


def save_team(services: Services, actor: Actor, change: TeamChange) -> TeamSaved | TeamRefused:
    """Validate and apply the modal's change in one unit of work (nothing changes on a refusal)."""
    now = services.clock()
    with services.db.session() as session:
        workspace, me = _workspace_and_member(session, actor)
        admin = is_admin(me, workspace)
        member_user_id = change.member_user_id or me.slack_user_id
        errors: dict[str, str] = {}
        if not admin:
            if member_user_id != me.slack_user_id:
                errors[TeamBlock.MEMBER] = "Only an admin can set someone else's manager."
            elif me.manager_id is not None:
                errors[TeamBlock.MANAGER] = "Your manager is already set: ask an admin to change it."
            elif change.manager_user_id is None:
                errors[TeamBlock.MANAGER] = "Pick your manager: they approve the trades you propose."
            if change.fallback_shown:
                errors[TeamBlock.FALLBACK] = "Only an admin can set the fallback approver."
        for block, user_id in (
            (TeamBlock.MEMBER, member_user_id),
            (TeamBlock.MANAGER, change.manager_user_id),
            (TeamBlock.FALLBACK, change.fallback_user_id),
        ):
            if user_id is not None and not USER_ID.match(user_id):
                errors.setdefault(block, "That is not a Slack member.")
        if change.manager_user_id is not None and change.manager_user_id == member_user_id:
            errors.setdefault(TeamBlock.MANAGER, "Nobody can be their own manager: pick someone else.")
        if errors:
            return TeamRefused(errors)
        known = members_by_user_id(
            session,
            workspace.id,
            [uid for uid in (member_user_id, change.manager_user_id, change.fallback_user_id) if uid],
        )
        member = known.get(member_user_id)
        manager = known.get(change.manager_user_id) if change.manager_user_id else None
        if (
            member is not None
            and manager is not None
            and would_loop(session, workspace.id, member.id, manager.id)
        ):
            return TeamRefused(
                {
                    TeamBlock.MANAGER: (
                        "That would make a loop: they already report to this member, directly or not."
                    )
                }
            )
        new_user_ids: list[str] = []

        def ensure(user_id: str) -> Member:
            found = known.get(user_id)
            if found is None:
                found, _ = touch_member(session, workspace.id, user_id)
                known[user_id] = found
                new_user_ids.append(user_id)
            return found

        member = ensure(member_user_id)
        manager = ensure(change.manager_user_id) if change.manager_user_id else None
        manager_changed, before = set_manager(session, member, manager, now, actor_id=me.id, via="modal")
        fallback_before = fallback_user_id(workspace)
        fallback_changed = change.fallback_shown and fallback_before != change.fallback_user_id
        if fallback_changed:
            if change.fallback_user_id:
                ensure(change.fallback_user_id)
            set_fallback_user_id(workspace, change.fallback_user_id)
            audit.record(
                session,
                workspace.id,
                "team.fallback_set",
                "workspace",
                workspace.id,
                now,
                actor_id=me.id,
                before=fallback_before,
                after=change.fallback_user_id,
                via="modal",
            )
        affected = [member.slack_user_id]
        if manager_changed:
            affected += [m.slack_user_id for m in (before, manager) if m is not None]
        return TeamSaved(
            member_user_id=member.slack_user_id,
            manager_user_id=manager.slack_user_id if manager else None,
            fallback_user_id=fallback_user_id(workspace),
            manager_changed=manager_changed,
            fallback_changed=fallback_changed,
            new_user_ids=new_user_ids,
            affected_user_ids=list(dict.fromkeys(affected)),
        )


def _workspace_and_member(session: Session, actor: Actor) -> tuple[Workspace, Member]:
    workspace = session.get(Workspace, actor.workspace_id)
    member = get_member(session, actor.workspace_id, actor.member_id)
    assert workspace is not None and member is not None, "the actor was resolved in this workspace"
    return workspace, member


# --------------------------------------------------------------------------------------------------
# parley team import FILE --workspace T


class TeamImportError(Exception):
    """The import cannot start (unknown workspace, unreadable file): one line for the operator."""


@dataclass(frozen=True)
class LineProblem:
    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text!r}: {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    problems: list[LineProblem]
    changed: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Row:
    line: int
    text: str
    member: str  # Slack user id
    manager: str | None


HEADER_WORDS = frozenset({"member", "user", "slack user id", "user id", "email", "report"})


def import_team_file(services: Services, team_id: str, path: Path) -> ImportResult:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TeamImportError(f"cannot read {path}: {error}") from error
    return import_team(services, team_id, text)


def import_team(services: Services, team_id: str, text: str) -> ImportResult:
    """Set managers from ``member,manager`` lines; all or nothing.

    Each cell is a Slack user id (``U…``/``W…``) or an email; emails are matched against the members
    Parley knows (their Slack profile email), so people who have not used Parley yet need their id.
    An empty manager cell removes the member's manager. A header line is allowed, as are blank lines
    and ``#`` comments. Any problem on any line means nothing is imported.
    """
    now = services.clock()
    with services.db.session() as session:
        workspace = find_workspace(session, team_id)
        if workspace is None:
            raise TeamImportError(
                f"no workspace with team id {team_id!r}: Parley records a workspace when it is "
                "installed or first used there"
            )
        rows, problems = _read_rows(session, workspace.id, text)
        if not problems:
            problems = _loops(session, workspace.id, rows)
        if problems:  # nothing was written yet
            return ImportResult(problems)
        changed = unchanged = 0
        for row in rows:
            member = (
                find_member(session, workspace.id, row.member)
                or touch_member(session, workspace.id, row.member)[0]
            )
            manager = None
            if row.manager is not None:
                manager = (
                    find_member(session, workspace.id, row.manager)
                    or touch_member(session, workspace.id, row.manager)[0]
                )
            if set_manager(session, member, manager, now, via="csv", line=row.line)[0]:
                changed += 1
            else:
                unchanged += 1
        return ImportResult([], changed, unchanged)


def _read_rows(session: Session, workspace_id: int, text: str) -> tuple[list[_Row], list[LineProblem]]:
    rows: list[_Row] = []
    problems: list[LineProblem] = []
    first_line: dict[str, int] = {}
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            cells = [cell.strip() for cell in next(csv.reader([stripped]))]
        except csv.Error as error:
            problems.append(LineProblem(number, stripped, f"not a CSV line ({error})"))
            continue
        if not rows and not problems and cells and cells[0].lower() in HEADER_WORDS:
            continue  # the header
        while len(cells) > 2 and cells[-1] == "":
            cells.pop()
        if len(cells) == 1:
            cells.append("")
        if len(cells) != 2:
            problems.append(LineProblem(number, stripped, "expected two columns: member, manager"))
            continue
        member, member_problem = _resolve(session, workspace_id, cells[0])
        manager: str | None = None
        manager_problem = None
        if cells[1]:
            manager, manager_problem = _resolve(session, workspace_id, cells[1])
        reason = member_problem or manager_problem
        if reason is None and member is None:
            reason = "the member is missing"
        if reason is None and manager is not None and manager == member:
            reason = "nobody can be their own manager"
        if reason is None and member in first_line:
            reason = f"this member is already given a manager on line {first_line[member]}"
        if reason is not None or member is None:
            problems.append(LineProblem(number, stripped, reason or "the member is missing"))
            continue
        first_line[member] = number
        rows.append(_Row(number, stripped, member, manager))
    return rows, problems


def _resolve(session: Session, workspace_id: int, cell: str) -> tuple[str | None, str | None]:
    """A cell as a Slack user id, or why it cannot be one."""
    if not cell:
        return None, None
    if USER_ID.match(cell):
        return cell, None
    if EMAIL.match(cell):
        found = find_by_email(session, workspace_id, cell)
        if not found:
            return None, (
                f"no member with the email {cell}: Parley knows a member's email once they have used "
                "Parley; use their Slack user id (U…) instead"
            )
        if len(found) > 1:
            return None, f"{len(found)} members have the email {cell}: use their Slack user id instead"
        return found[0].slack_user_id, None
    return None, f"{cell!r} is neither a Slack user id (U…) nor an email address"


def _loops(session: Session, workspace_id: int, rows: list[_Row]) -> list[LineProblem]:
    """Lines whose change would close a manager loop, given everything else in the file."""
    members = session.scalars(select(Member).where(Member.workspace_id == workspace_id)).all()
    user_of = {m.id: m.slack_user_id for m in members}
    links = {m.slack_user_id: user_of.get(m.manager_id) for m in members if m.manager_id is not None}
    for row in rows:
        links[row.member] = row.manager
    problems = []
    for row in rows:
        current = row.manager
        path = [row.member]
        for _ in range(MAX_CHAIN):
            if current is None:
                break
            path.append(current)
            if current == row.member:
                loop = " → ".join(path)
                problems.append(LineProblem(row.line, row.text, f"this makes a manager loop: {loop}"))
                break
            current = links.get(current)
    return problems


def team_view(form: TeamForm) -> dict[str, Any]:
    """The team modal for ``form`` (who the picked member's manager and the fallback approver are)."""
    return render_view(
        "views/team_set",
        is_admin=form.is_admin,
        can_edit=form.can_edit,
        member=form.member_user_id,
        manager=form.manager_user_id or "",
        fallback=form.fallback_user_id or "",
        admins=form.admins[:20],
    )
