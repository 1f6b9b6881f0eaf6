"""*Done* on a commitment (a nudge, its card or the list): close it and tell whoever is owed."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.commitments import CommitmentRef, Refusal, mark_done
from bot.listeners.actions.commit_common import actor_of, message_location, show_changed, tell
from bot.metadata import MetadataError, load
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
        try:
            ref = load(CommitmentRef, action.get("value"))
        except MetadataError:
            tell(
                respond, "That button is out of date", "Run `/negotiate commitments` to see your commitments."
            )
            return
        actor = actor_of(services, client, body, context)
        try:
            changed = mark_done(services, actor.workspace_id, actor.member_id, ref.commitment_id)
        except Refusal as refusal:
            tell(respond, "Nothing changed", str(refusal))
            return
        channel, ts, response_url = message_location(body)
        show_changed(
            services, client, actor, changed, surface=ref.surface, channel_id=channel, message_ts=ts,
            response_url=response_url,
        )  # fmt: skip
