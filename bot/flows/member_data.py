"""Members' data (DESIGN §5 flow 10): see it, take it (an archive in the DM), erase it.

The request path only records a request (:class:`~storage.models.DataRequest`); the clock process
picks it up (:func:`run_request`, the ``member_data_requests`` job) and does the slow part off the
request path: it writes the archive to a temporary file in a stream and uploads it to the DM of
whoever asked, or it erases. ``parley member export|erase`` runs the same functions at once.

Bad input has one clear outcome each: asking for an archive while one is on its way adds nothing;
asking while an erasure is queued or running is refused (there is nothing left to send); asking to
erase twice keeps the one erasure already queued; an erased member is a tombstone nobody can ask for.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.gateway import Team
from bot.flows.member_archive import Archive, write_archive
from bot.flows.member_data_notifier import UploadError, send_archive, tell
from bot.scheduler.registry import JobContext, periodic_job
from bot.services import Services
from storage.models import DataRequest, Member, Workspace
from storage.queries import audit
from storage.queries import privacy as queries
from storage.queries.members import find_member
from templates import escape_mrkdwn, trusted

logger = logging.getLogger(__name__)

MAX_ATTEMPTS: Final = 5
EVERY: Final = timedelta(minutes=1)


class Refused(Exception):
    """A request that cannot be taken; the message says why, in the member's words."""


@dataclass(frozen=True)
class Summary:
    """What the my-data modal shows."""

    holdings: dict[str, int]
    exporting: bool
    erasing: bool

    @property
    def total(self) -> int:
        return sum(self.holdings.values())


def summary(services: Services, workspace_id: int, member_id: int) -> Summary:
    with services.db.session() as session:
        member = _member(session, workspace_id, member_id)
        return Summary(
            holdings=queries.holdings(session, member),
            exporting=queries.open_request(session, workspace_id, member_id, queries.EXPORT) is not None,
            erasing=queries.open_request(session, workspace_id, member_id, queries.ERASE) is not None,
        )


def _member(session: Session, workspace_id: int, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None or member.workspace_id != workspace_id or member.erased_at is not None:
        raise Refused("That member's data has already been erased.")
    return member


def request_export(
    services: Services, workspace_id: int, member_id: int, *, by_member_id: int, deliver_to: str
) -> str:
    """Queue an archive of ``member_id``'s data for ``deliver_to``'s DM; returns what to tell them."""
    now = services.clock()
    with services.db.session() as session:
        _member(session, workspace_id, member_id)
        if queries.open_request(session, workspace_id, member_id, queries.ERASE) is not None:
            raise Refused("An erasure of this data is under way, so there is nothing to send a copy of.")
        if queries.open_request(session, workspace_id, member_id, queries.EXPORT) is not None:
            return "A copy is already being prepared: it will arrive in your DM as a zip file shortly."
        request = queries.add_request(
            session,
            workspace_id=workspace_id,
            member_id=member_id,
            requested_by_id=by_member_id,
            kind=queries.EXPORT,
            deliver_to=deliver_to,
            at=now,
        )
        audit.record(
            session,
            workspace_id,
            "member.export_requested",
            "member",
            member_id,
            now,
            actor_id=by_member_id,
            request=request.id,
        )
    return (
        "Parley is preparing the copy: it will arrive in your DM as a zip file (JSON Lines and CSV) shortly."
    )


def request_erase(services: Services, workspace_id: int, member_id: int, *, by_member_id: int) -> str:
    """Queue an erasure of ``member_id``'s data; returns what to tell whoever asked."""
    now = services.clock()
    with services.db.session() as session:
        _member(session, workspace_id, member_id)
        if queries.open_request(session, workspace_id, member_id, queries.ERASE) is not None:
            return "This erasure is already under way: nothing more to do."
        request = queries.add_request(
            session,
            workspace_id=workspace_id,
            member_id=member_id,
            requested_by_id=by_member_id,
            kind=queries.ERASE,
            deliver_to=None,
            at=now,
        )
        audit.record(
            session,
            workspace_id,
            "member.erase_requested",
            "member",
            member_id,
            now,
            actor_id=by_member_id,
            request=request.id,
        )
    return "Erasure queued: Parley will erase the data within a few minutes and confirm in a DM."


# ------------------------------------------------------------------------------------ doing it


def erase_now(
    services: Services, workspace_id: int, member_id: int, *, actor_id: int | None, via: str
) -> dict[str, int]:
    """Erase at once, in one unit of work, audited with counts only (the audit names nobody)."""
    now = services.clock()
    with services.db.session() as session:
        member = _member(session, workspace_id, member_id)
        counts = queries.erase_member(session, member, now)
        audit.record(
            session,
            workspace_id,
            "member.erased",
            "member",
            member_id,
            now,
            actor_id=actor_id if actor_id != member_id else None,
            via=via,
            counts=counts,
        )
    return counts


def _due(session: Session, ctx: JobContext) -> list[tuple[int, int]]:
    return queries.due_requests(session, ctx.now)


@periodic_job("member_data_requests", every=EVERY, find=_due)
def run_request(item: tuple[int, int], ctx: JobContext) -> int:
    """Build and send a member's archive, or erase a member, as they or an admin asked."""
    workspace_id, request_id = item
    services = ctx.services
    with services.db.session() as session:
        if not queries.claim_request(session, request_id, ctx.now):
            return 0
    with services.db.session() as session:
        request = session.get(DataRequest, request_id)
        workspace = session.get(Workspace, workspace_id)
        assert request is not None and workspace is not None
        kind, member_id, by_id, deliver_to = (
            request.kind,
            request.member_id,
            request.requested_by_id,
            request.deliver_to,
        )
        team = Team(workspace.team_id, workspace.enterprise_id)
        requester = session.get(Member, by_id) if by_id else None
        requester_user = (
            requester.slack_user_id if requester is not None and requester.erased_at is None else None
        )
        self_service = by_id == member_id
    try:
        if member_id is None:
            raise Refused("the member is gone")
        if kind == queries.ERASE:
            counts = erase_now(services, workspace_id, member_id, actor_id=by_id, via="slack")
            _finish(services, request_id, queries.DONE, ctx.now, detail={"counts": counts})
            if requester_user and self_service:  # a Slack message, not a row: nothing keeps naming them
                tell(
                    ctx.gateway.client_for(team),
                    requester_user,
                    "Your data is erased",
                    "Parley no longer holds anything that names you; what other people's records need "
                    'stays, as "a former member". If you use Parley again, it starts afresh.',
                )
            elif requester_user:
                tell(
                    ctx.gateway.client_for(team),
                    requester_user,
                    "Erasure done",
                    "The member's data is erased; what others' records need stays, anonymised.",
                )
            return 0
        _export(ctx, team, request_id, workspace_id, member_id, deliver_to)
        return 0
    except Refused as refusal:
        _finish(services, request_id, queries.FAILED, ctx.now, error=str(refusal))
        if deliver_to:
            tell(ctx.gateway.client_for(team), deliver_to, "No copy was sent", str(refusal))
        return 0
    except (SlackApiError, SlackClientError, UploadError, OSError) as error:
        _retry_or_fail(ctx, team, request_id, deliver_to, error)
        return 0


def _export(
    ctx: JobContext, team: Team, request_id: int, workspace_id: int, member_id: int, deliver_to: str | None
) -> None:
    services = ctx.services
    client = ctx.gateway.client_for(team)
    if client is None or not deliver_to:
        raise Refused("Parley has no way to reach Slack for this workspace any more.")
    with tempfile.TemporaryDirectory(prefix="parley-archive-") as directory:
        path = Path(directory) / "parley-my-data.zip"
        try:
            archive = write_archive(services.db, workspace_id, member_id, path)
        except LookupError:
            raise Refused("That member's data has already been erased.") from None
        comment = (
            f"Here is a copy of everything Parley holds ({archive.total:,} records): "
            "each kind twice, as JSON Lines and as CSV. README.txt says what each file is."
        )
        file_id = send_archive(
            client, deliver_to, path, filename=f"parley-data-{ctx.now:%Y%m%d}.zip", comment=comment
        )
    with services.db.session() as session:
        request = session.get(DataRequest, request_id)
        assert request is not None
        request.status, request.finished_at = queries.DONE, ctx.now
        request.detail = {"rows": archive.rows, "file_id": file_id}
        audit.record(
            session,
            workspace_id,
            "member.exported",
            "member",
            member_id,
            ctx.now,
            actor_id=request.requested_by_id,
            request=request_id,
            rows=archive.total,
        )


def _finish(
    services: Services,
    request_id: int,
    status: str,
    now: datetime,
    *,
    detail: dict[str, object] | None = None,
    error: str | None = None,
) -> None:
    with services.db.session() as session:
        request = session.get(DataRequest, request_id)
        if request is None:
            return
        request.status, request.finished_at, request.error = status, now, error
        if detail is not None:
            request.detail = dict(detail)


def _retry_or_fail(
    ctx: JobContext, team: Team, request_id: int, deliver_to: str | None, error: Exception
) -> None:
    name = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
    logger.warning("member data request %s failed: %s", request_id, name)
    with ctx.services.db.session() as session:
        request = session.get(DataRequest, request_id)
        if request is None:
            return
        final = request.attempts >= MAX_ATTEMPTS
        request.status = queries.FAILED if final else queries.PENDING
        request.error = str(name)[:500]
        request.requested_at = (
            ctx.now + timedelta(minutes=2**request.attempts) if not final else request.requested_at
        )
    if final and deliver_to:
        tell(
            ctx.gateway.client_for(team),
            deliver_to,
            "The copy could not be sent",
            trusted(
                f"Slack refused the upload ({escape_mrkdwn(name)}). Ask again from `/negotiate my-data`."
            ),
        )


def find_target(services: Services, workspace_id: int, slack_user_id: str) -> int | None:
    with services.db.session() as session:
        member = find_member(session, workspace_id, slack_user_id)
        return member.id if member is not None else None


# ---------------------------------------------------------------------------- the command line


def _cli_member(services: Services, team_id: str, user_id: str) -> tuple[int, int | None]:
    with services.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
        if workspace is None:
            raise Refused(f"no workspace {team_id!r} in the database at DATABASE_URL")
        member = find_member(session, workspace.id, user_id)
        return workspace.id, member.id if member is not None and member.erased_at is None else None


def export_to_file(services: Services, team_id: str, user_id: str, path: Path) -> Archive:
    """``parley member export``: the archive written to ``path`` at once, audited."""
    workspace_id, member_id = _cli_member(services, team_id, user_id)
    if member_id is None:
        raise Refused(f"no member {user_id!r} in {team_id}: Parley holds nothing about them")
    with services.db.session() as session:
        if queries.open_request(session, workspace_id, member_id, queries.ERASE) is not None:
            raise Refused(f"an erasure of {user_id} is under way: there is nothing to export")
    archive = write_archive(services.db, workspace_id, member_id, path)
    with services.db.session() as session:
        audit.record(
            session, workspace_id, "member.exported", "member", member_id, services.clock(),
            via="cli", rows=archive.total,
        )  # fmt: skip
    return archive


def erase_by_ids(services: Services, team_id: str, user_id: str) -> dict[str, int] | None:
    """``parley member erase``: erase at once; None when Parley holds nothing about them."""
    workspace_id, member_id = _cli_member(services, team_id, user_id)
    if member_id is None:
        return None
    counts = erase_now(services, workspace_id, member_id, actor_id=None, via="cli")
    with services.db.session() as session:  # a queued erasure of the same member has nothing left to do
        for request in session.scalars(
            select(DataRequest).where(
                DataRequest.workspace_id == workspace_id,
                DataRequest.member_id == member_id,
                DataRequest.status.in_((queries.PENDING, queries.RUNNING)),
            )
        ):
            request.status, request.finished_at = queries.DONE, services.clock()
            request.deliver_to = None
    return counts
