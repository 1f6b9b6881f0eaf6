"""`/negotiate digest`'s use cases: the member's, team's or organisation's digest for the week so far,
and how often the weekly one comes."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from bot.digests.build import (
    DigestKind,
    Recipient,
    _Builder,
    executive_owner,
    load_for,
    member_infos,
    render_digest,
)
from bot.digests.schedule import (
    CADENCE_KEY,
    QUIET_KEY,
    Cadence,
    Quiet,
    current_week,
    slot_for,
)
from bot.members import Actor
from bot.services import Services
from coaching.playbook import Playbook
from storage.models import Workspace
from storage.queries import audit
from storage.queries.members import get_member
from templates import Message, Trusted, app_text


class DigestRequest(StrEnum):
    """What ``/negotiate digest [args]`` asks for."""

    MINE = "mine"
    TEAM = "team"
    ORG = "org"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    OFF = "off"
    QUIET_SKIP = "quiet skip"
    QUIET_SEND = "quiet send"


USAGE: Final = app_text(
    "`/negotiate digest` shows your week so far; `digest team` your team's (managers); "
    "`digest weekly`, `digest fortnightly` or `digest off` sets how often your digest comes; "
    "`digest quiet skip` (or `quiet send`) chooses whether a quiet week sends a short digest."
)


_ALIASES: Final = {
    "": DigestRequest.MINE,
    "me": DigestRequest.MINE,
    "mine": DigestRequest.MINE,
    "team": DigestRequest.TEAM,
    "org": DigestRequest.ORG,
    "organisation": DigestRequest.ORG,
    "organization": DigestRequest.ORG,
    "weekly": DigestRequest.WEEKLY,
    "on": DigestRequest.WEEKLY,
    "fortnightly": DigestRequest.FORTNIGHTLY,
    "biweekly": DigestRequest.FORTNIGHTLY,
    "every other week": DigestRequest.FORTNIGHTLY,
    "off": DigestRequest.OFF,
    "quiet skip": DigestRequest.QUIET_SKIP,
    "quiet off": DigestRequest.QUIET_SKIP,
    "quiet send": DigestRequest.QUIET_SEND,
    "quiet on": DigestRequest.QUIET_SEND,
}


def parse_request(args: str) -> DigestRequest | None:
    """``"team"`` → TEAM …; None for anything else (the caller shows :data:`USAGE`)."""
    return _ALIASES.get(" ".join(args.lower().split()))


class DigestRefused(Exception):
    """A digest the owner may not see; ``why`` says so, for an ephemeral notice (app-written mrkdwn)."""

    @property
    def why(self) -> Trusted:
        return app_text(str(self))


def preview_digest(services: Services, actor: Actor, request: DigestRequest, playbook: Playbook) -> Message:
    """The owner's own digest, their team's (managers) or the organisation's (admins and the
    executive owner), for the week so far — built from the same queries as the weekly ones, narrowed
    to the members it is about. No chart: charts are rendered by the clock process only."""
    now = services.clock()
    with services.db.session() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        if workspace is None:
            raise DigestRefused("Parley doesn't know this workspace yet.")
        slot = slot_for(playbook.policy, workspace.settings)
        week = current_week(now, actor.tz, slot)
        member_ids: list[int] | None
        if request is DigestRequest.TEAM:
            reports = member_infos(session, workspace.id, manager_id=actor.member_id)
            if not reports:
                raise DigestRefused(
                    "Nobody reports to you in Parley, so there is no team digest. "
                    "An admin sets who reports to whom with `/negotiate team`."
                )
            kind, member_ids = DigestKind.MANAGER, [actor.member_id, *(m.id for m in reports)]
        elif request is DigestRequest.ORG:
            if not (actor.is_admin or executive_owner(workspace) == actor.slack_user_id):
                raise DigestRefused("The organisation roll-up is for the executive owner and admins.")
            kind, member_ids = DigestKind.ORGANISATION, None
        else:
            kind, member_ids = DigestKind.LEARNER, [actor.member_id]
        recipient = Recipient(kind, actor.slack_user_id, actor.member_id, actor.tz, week)
        index, _ = load_for(
            session,
            workspace,
            [recipient],
            now=now,
            slot=slot,
            include_current=True,
            member_ids=member_ids,
            playbook=playbook,
        )
        builder = _Builder(index, workspace, now=now, playbook=playbook, slot=slot, include_current=True)
        prepared = builder.build(recipient)
    return render_digest(prepared, None, "")


def change_settings(services: Services, actor: Actor, request: DigestRequest) -> str:
    """Record the owner's digest setting; returns the sentence confirming it."""
    now = services.clock()
    with services.db.session() as session:
        owner = get_member(session, actor.workspace_id, actor.member_id)
        if owner is None:
            raise DigestRefused("Parley couldn't find you; try again in a moment.")
        settings = dict(owner.settings or {})
        if request in (DigestRequest.QUIET_SKIP, DigestRequest.QUIET_SEND):
            quiet = Quiet.SKIP if request is DigestRequest.QUIET_SKIP else Quiet.SEND
            settings[QUIET_KEY] = quiet.value
            confirmation = (
                "Quiet weeks get no digest now; you hear from Parley when something happened."
                if quiet is Quiet.SKIP
                else "Quiet weeks get a short digest: what is coming up and a tip."
            )
            detail = {"quiet": quiet.value}
        else:
            cadence = Cadence(request.value)
            settings[CADENCE_KEY] = cadence.value
            confirmation = {
                Cadence.WEEKLY: "Your digest comes every week.",
                Cadence.FORTNIGHTLY: "Your digest comes every other week, covering both weeks.",
                Cadence.OFF: app_text("Your digest is off. `/negotiate digest weekly` turns it back on."),
            }[cadence]
            detail = {"cadence": cadence.value}
        owner.settings = settings
        audit.record(
            session, actor.workspace_id, "digest.settings", "owner", owner.id, now, owner.id, **detail
        )
    return confirmation
