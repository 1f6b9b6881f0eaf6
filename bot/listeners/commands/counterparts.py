"""`/negotiate counterparts [merge 12 into 7 | unmerge 12 | rename 7 Name | delete 7 | restore 7]`:
the list for everyone (under the privacy rules); the changes for admins, audited."""

from __future__ import annotations

from bot.flows.counterparts import CounterpartRefused, list_context, run_command
from bot.playbook import playbook_of
from bot.replies import answer
from bot.subcommands import CommandContext
from coaching.counterpart_names import COUNTERPARTS_USAGE, parse_admin_command
from templates import app_text, render_message


def handle(ctx: CommandContext) -> None:
    command = parse_admin_command(ctx.args)
    if command is None:
        usage = app_text(COUNTERPARTS_USAGE)
        answer(ctx.respond, ctx.client, ctx.command, "That isn't a counterparts command", usage)
        return
    if command.action == "list":
        currency = playbook_of(ctx.services, ctx.actor.workspace_id).policy.default_currency
        message = render_message(
            "messages/counterparts_list", **list_context(ctx.services, ctx.actor, currency)
        )
        ctx.respond(response_type="ephemeral", **message.as_kwargs())
        return
    try:
        done = run_command(ctx.services, ctx.actor, command)
    except CounterpartRefused as refusal:
        answer(ctx.respond, ctx.client, ctx.command, "Counterparts unchanged", str(refusal))
        return
    answer(ctx.respond, ctx.client, ctx.command, "Counterparts updated", done, "info")
