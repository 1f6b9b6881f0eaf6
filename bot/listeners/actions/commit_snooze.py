"""*Snooze…* on a commitment: no reminders until the chosen moment (in the member's working hours)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.commitments import SnoozeRef, snooze
from bot.listeners.actions.commit_common import change_and_show, tell
from bot.members import actor_for_interaction
from bot.metadata import MetadataError, load
from bot.services import Services
from coaching.commitments import SnoozeChoice
from templates.ids.commitments import CommitAction


def register(app: App, services: Services) -> None:
    @app.action(CommitAction.SNOOZE.value)
    def commitment_snooze(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        respond: Respond,
    ) -> None:
        ack()
        selected = action.get("selected_option") or {}
        try:
            ref = load(SnoozeRef, selected.get("value"))
            choice = SnoozeChoice(ref.until)
        except (MetadataError, ValueError):
            tell(respond, "That menu is out of date", "Run `/negotiate commitments` to see your commitments.")
            return
        actor = actor_for_interaction(services, client, body, context)
        change_and_show(
            services, client, body, respond, actor, ref.surface,
            lambda: snooze(services, actor.workspace_id, actor.member_id, ref.commitment_id, choice),
        )  # fmt: skip
