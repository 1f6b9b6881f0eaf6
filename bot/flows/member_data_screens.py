"""The my-data and Members screens: who may act on whose data, and the views (rendered from plain data).

A member acts on their own data; an admin (Slack admin or owner, Parley admin role, or listed in the
workspace's ``admins`` setting) may act on anyone's. Every click and submission checks it again:
the Slack id in a view's metadata is a claim, not a permission.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.flows.member_data import Refused, Summary, summary
from bot.members import Actor
from bot.metadata import DataSubject
from bot.services import Services
from storage.models import Member, Workspace
from storage.queries.members import find_member
from storage.queries.team import is_admin
from templates import render_view

NOBODY = Summary(holdings={}, exporting=False, erasing=False)


def is_workspace_admin(services: Services, actor: Actor) -> bool:
    with services.db.session() as session:
        member = session.get(Member, actor.member_id)
        workspace = session.get(Workspace, actor.workspace_id)
        return member is not None and workspace is not None and is_admin(member, workspace)


def may_act_on(services: Services, actor: Actor, subject: str) -> bool:
    return subject == actor.slack_user_id or is_workspace_admin(services, actor)


def subject_member(services: Services, actor: Actor, subject: str) -> int | None:
    """The member id behind ``subject`` in the actor's workspace (None: Parley never met them)."""
    if subject == actor.slack_user_id:
        return actor.member_id
    with services.db.session() as session:
        member = find_member(session, actor.workspace_id, subject)
        return member.id if member is not None and member.erased_at is None else None


def subject_summary(services: Services, actor: Actor, subject: str) -> Summary:
    member_id = subject_member(services, actor, subject)
    if member_id is None:
        return NOBODY
    try:
        return summary(services, actor.workspace_id, member_id)
    except Refused:
        return NOBODY


def _holdings(found: Summary) -> dict[str, int]:
    keys = ("negotiations", "preps", "debriefs", "ledger_entries", "assessments", "trades", "commitments")
    return {key: int(found.holdings.get(key, 0)) for key in keys}


def data_view(
    found: Summary, subject: str, *, admin: bool, message: str = "", picker: bool = False
) -> dict[str, Any]:
    return render_view(
        "views/my_data",
        subject=subject,
        admin=admin,
        holdings=_holdings(found),
        exporting=found.exporting,
        erasing=found.erasing,
        message=message,
        picker=picker,
        metadata=dataclasses.asdict(DataSubject(subject, admin)),
    )


def erase_view(found: Summary, subject: str, *, admin: bool) -> dict[str, Any]:
    return render_view(
        "views/my_data_erase",
        subject=subject,
        admin=admin,
        holdings=_holdings(found),
        metadata=dataclasses.asdict(DataSubject(subject, admin)),
    )


def done_view(title: str, message: str) -> dict[str, Any]:
    return render_view("views/my_data_done", title=title, message=message)
