"""The playbook screen's buttons: open it, paste a version, apply or discard an upload, roll back,
download. Each refreshes the screen it was clicked in with what happened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows import admin_playbook as flow
from bot.flows.admin_notifier import pushed_from, refuse_non_admin
from bot.flows.admin_playbook_presenter import PlaybookRef, paste_view, playbook_view
from bot.flows.admin_settings import NOT_ORG_ADMIN_TITLE, Scope, refusal
from bot.flows.admin_settings_presenter import scope_of
from bot.members import Actor
from bot.messaging import SLACK_FAILURES, open_dm, slack_error
from bot.metadata import MetadataError, load
from bot.replies import answer, form_did_not_open
from bot.services import Services
from templates import app_text

AGAIN = app_text("Run `/negotiate playbook` again.")


def _show(
    services: Services,
    actor: Actor,
    client: WebClient,
    body: dict[str, Any],
    notice: str,
    scope: Scope = Scope.WORKSPACE,
) -> None:
    view = playbook_view(flow.screen(services, actor, scope), notice=notice)
    view_id = pushed_from(body)
    if view_id:
        client.views_update(view_id=view_id, view=view)
    else:
        client.views_open(trigger_id=edge.trigger_id(body), view=view)


def _admin(
    context: BoltContext,
    respond: Respond | None,
    client: WebClient,
    body: dict[str, Any],
    services: Services | None = None,
    scope: Scope = Scope.WORKSPACE,
) -> Actor | None:
    actor = edge.actor(context)
    if scope is Scope.ORG and services is not None:
        refused = refusal(services, actor, scope, of="playbook")
        if refused is not None:
            answer(respond, client, body, NOT_ORG_ADMIN_TITLE, refused)
            return None
        return actor
    return None if refuse_non_admin(actor, respond, client, body) else actor


def open_screen(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
    respond: Respond | None,
) -> None:  # fmt: skip
    ack()
    actor = _admin(context, respond, client, body)
    if actor is None:
        return
    view = playbook_view(flow.screen(services, actor))
    try:
        if pushed_from(body):
            client.views_push(trigger_id=edge.trigger_id(body), view=view)
        else:
            client.views_open(trigger_id=edge.trigger_id(body), view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "playbook screen", error, again=AGAIN)


def open_paste(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
    respond: Respond | None,
) -> None:  # fmt: skip
    ack()
    scope = scope_of(edge.view_of(body))
    if _admin(context, respond, client, body, services, scope) is None:
        return
    try:
        client.views_push(trigger_id=edge.trigger_id(body), view=paste_view(scope))
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "playbook form", error, again=AGAIN)


def _version_action(
    use_case: Callable[[Services, Actor, int, Scope], str],
    services: Services,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    """Apply, discard or roll back the version the button names, then show what happened."""
    try:
        ref: PlaybookRef | None = load(PlaybookRef, edge.action_value(body))
    except MetadataError:
        ref = None
    scope = Scope.ORG if ref is not None and ref.org else Scope.WORKSPACE
    actor = _admin(context, respond, client, body, services, scope)
    if actor is None:
        return
    try:
        notice = use_case(services, actor, ref.id, scope) if ref is not None else ""
    except flow.PlaybookRefused as refused:
        notice = app_text(str(refused))  # the flow's own words (some name a command)
    notice = notice or "That button doesn't work any more."
    try:
        _show(services, actor, client, body, notice, scope)
    except SLACK_FAILURES as error:
        answer(respond, client, body, "Playbook", f"{notice} ({slack_error(error)})", level="info")


def apply(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
    respond: Respond | None,
) -> None:  # fmt: skip
    ack()
    _version_action(flow.apply, services, body, client, context, respond)


def discard(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
    respond: Respond | None,
) -> None:  # fmt: skip
    ack()
    _version_action(flow.discard, services, body, client, context, respond)


def rollback(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
    respond: Respond | None,
) -> None:  # fmt: skip
    ack()
    _version_action(flow.rollback, services, body, client, context, respond)


def download(
    services: Services, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
    respond: Respond | None,
) -> None:  # fmt: skip
    ack()
    scope = scope_of(edge.view_of(body))
    actor = _admin(context, respond, client, body, services, scope)
    if actor is None:
        return
    filename, text = flow.download(services, actor, scope)
    try:
        channel = open_dm(client, actor.slack_user_id)
        client.files_upload_v2(
            channel=channel, content=text, filename=filename, title=filename,
            initial_comment="The playbook in force, as a file you can edit and upload again.",
        )  # fmt: skip
        notice = f"{filename} is in your direct messages with Parley."
    except SLACK_FAILURES as error:
        notice = f"Slack didn't take the file ({slack_error(error)}): try again in a minute."
    try:
        _show(services, actor, client, body, notice, scope)
    except SLACK_FAILURES:
        answer(respond, client, body, "Playbook", notice, level="info")
