"""*Done* on a commitment (a nudge, its card or the list): close it and tell whoever is owed."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.commitments import mark_done
from bot.listeners.actions.commit_common import change_and_show, clicked_commitment
from bot.services import Services
from templates.ids.commitments import CommitAction


def register(app: App, services: Services) -> None:
    @app.action(CommitAction.DONE.value)
    def commitment_done(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        respond: Respond,
    ) -> None:
        ack()
        clicked = clicked_commitment(services, client, body, action, context, respond)
        if clicked is None:
            return
        ref, actor = clicked
        change_and_show(
            services, client, body, respond, actor, ref.surface,
            lambda: mark_done(services, actor.workspace_id, actor.member_id, ref.commitment_id),
        )  # fmt: skip
