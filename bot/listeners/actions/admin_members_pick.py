"""The member picker in the Members screen: show what Parley holds about that member (admins only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.member_data_screens import data_view, is_workspace_admin, subject_summary
from bot.listeners.actions.admin_members_open import ADMINS_ONLY
from bot.replies import answer
from bot.services import Services


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    ack()
    actor = edge.actor(context)
    if not is_workspace_admin(services, actor):
        answer(respond, client, body, "Nothing was shown", ADMINS_ONLY)
        return
    subject = edge.action_selected_user(body) or ""
    view = edge.view_of(body)
    found = subject_summary(services, actor, subject)
    client.views_update(
        view_id=view["id"], hash=view.get("hash"), view=data_view(found, subject, admin=True, picker=True)
    )
