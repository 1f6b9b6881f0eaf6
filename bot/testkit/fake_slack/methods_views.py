"""Modals and App Home: ``views.open``/``push``/``update``/``publish`` and the view stack."""

from __future__ import annotations

import copy
from typing import Any

from bot.testkit.blockkit import VIEW_STACK_DEPTH, VIEW_TOO_LARGE, Problem, view_problems
from bot.testkit.fake_slack.methods import Ctx, SlackError, invalid, method, with_block_ids
from bot.testkit.fake_slack.state import TRIGGER_TTL, Trigger, ViewRecord, Workspace


def _view_arg(ctx: Ctx, kind: str) -> dict[str, Any]:
    """The ``view`` argument, validated; Slack answers view schema errors with ``invalid_arguments``."""
    view = ctx.args.get("view")
    if view is None or view == "":
        raise invalid("invalid_arguments", ["missing required field: view [json-pointer:/view]"])
    if not isinstance(view, dict):
        raise invalid("invalid_arguments", ["expected a JSON object [json-pointer:/view]"])
    problems = view_problems(view)
    if any(p.code == VIEW_TOO_LARGE for p in problems):
        raise SlackError("view_too_large")
    if view.get("type") != kind and not problems:
        problems = [Problem("/view/type", f"must be {kind!r} for this method")]
    if problems:
        raise invalid("invalid_arguments", problems)
    external_id = view.get("external_id")
    if external_id and any(
        r.view.get("external_id") == external_id and r.team_id == ctx.team.id for r in ctx.ws.views.values()
    ):
        raise SlackError("duplicate_external_id")
    return view


def _full_view(
    ctx: Ctx, view: dict[str, Any], view_id: str, root_id: str, previous_id: str | None
) -> dict[str, Any]:
    """The view as Slack returns it: the app's fields plus id, hash, state and ownership."""
    team = ctx.team
    return {
        "id": view_id,
        "team_id": team.id,
        "type": view["type"],
        "blocks": with_block_ids(ctx.ws, view["blocks"]),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": ctx.ws.new_hash(ctx.wall),
        "title": copy.deepcopy(view.get("title")),
        "clear_on_close": view.get("clear_on_close", False),
        "notify_on_close": view.get("notify_on_close", False),
        "close": copy.deepcopy(view.get("close")),
        "submit": copy.deepcopy(view.get("submit")),
        "previous_view_id": previous_id,
        "root_view_id": root_id,
        "app_id": team.app_id,
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": team.id,
        "bot_id": team.bot_id,
    }


def _exchange_trigger(ctx: Ctx) -> Trigger:
    """A valid ``trigger_id``; the caller marks it used only once the view is accepted."""
    trigger_id = ctx.arg("trigger_id") or ctx.arg("interactivity_pointer")
    trigger = ctx.ws.triggers.get(trigger_id) if isinstance(trigger_id, str) else None
    if trigger is None or not ctx.ws.covers(ctx.team, trigger.team_id):
        raise SlackError("invalid_trigger_id")
    if trigger.used:
        raise SlackError("exchanged_trigger_id")
    if ctx.clock() - trigger.issued_at >= TRIGGER_TTL:
        raise SlackError("expired_trigger_id")
    return trigger


def _close_stack(ws: Workspace, user_id: str) -> None:
    for view_id in ws.stack(user_id):
        ws.views.pop(view_id, None)
    ws.stacks[user_id] = []


@method("views.open")
def views_open(ctx: Ctx) -> dict[str, Any]:
    """Opening a modal replaces whatever modal the user had open."""
    trigger = _exchange_trigger(ctx)
    view = _view_arg(ctx, "modal")
    trigger.used, user_id = True, trigger.user_id
    _close_stack(ctx.ws, user_id)
    view_id = ctx.ws.new_id("V")
    full = _full_view(ctx, view, view_id, view_id, None)
    ctx.ws.views[view_id] = ViewRecord(full, user_id, ctx.team.id)
    ctx.ws.stacks[user_id] = [view_id]
    return {"view": full}


@method("views.push")
def views_push(ctx: Ctx) -> dict[str, Any]:
    """At most :data:`VIEW_STACK_DEPTH` views in a stack: the root plus two pushed (Slack's docs)."""
    trigger = _exchange_trigger(ctx)
    stack = ctx.ws.stack(user_id := trigger.user_id)
    if not stack:
        raise SlackError("not_found")
    if len(stack) >= VIEW_STACK_DEPTH:
        raise SlackError("push_limit_reached")
    view = _view_arg(ctx, "modal")
    trigger.used = True
    view_id = ctx.ws.new_id("V")
    full = _full_view(ctx, view, view_id, stack[0], stack[-1])
    ctx.ws.views[view_id] = ViewRecord(full, user_id, ctx.team.id)
    stack.append(view_id)
    return {"view": full}


@method("views.update")
def views_update(ctx: Ctx) -> dict[str, Any]:
    view_id, external_id = ctx.arg("view_id"), ctx.arg("external_id")
    record = ctx.ws.views.get(view_id) if isinstance(view_id, str) else None
    if record is None and external_id:
        record = next(
            (
                r
                for r in ctx.ws.views.values()
                if r.view["external_id"] == external_id and r.team_id == ctx.team.id
            ),
            None,
        )
    if record is None or not ctx.ws.covers(ctx.team, record.team_id):
        raise SlackError("not_found")
    if ctx.arg("hash") and ctx.arg("hash") != record.view["hash"]:
        raise SlackError("hash_conflict")
    old = record.view
    ctx.ws.views.pop(old["id"])  # so its own external_id does not count as a duplicate
    try:
        view = _view_arg(ctx, old["type"])
    finally:
        ctx.ws.views[old["id"]] = record
    record.view = _full_view(ctx, view, old["id"], old["root_view_id"], old["previous_view_id"])
    return {"view": record.view}


@method("views.publish")
def views_publish(ctx: Ctx) -> dict[str, Any]:
    """An unknown ``user_id`` is ``invalid_arguments`` with "invalid `user_id`", as Slack's docs show."""
    user_id = ctx.arg("user_id")
    user = ctx.ws.users.get(user_id) if isinstance(user_id, str) else None
    if user is None or not ctx.ws.covers(ctx.team, user.team_id) or user.is_bot:
        raise invalid("invalid_arguments", ["invalid `user_id`"])
    current = ctx.ws.views.get(ctx.ws.homes.get(user.id, ""))
    if current is not None and ctx.arg("hash") and ctx.arg("hash") != current.view["hash"]:
        raise SlackError("hash_conflict")
    if current is not None:
        ctx.ws.views.pop(current.view["id"])
    try:
        view = _view_arg(ctx, "home")
    finally:
        if current is not None:
            ctx.ws.views[current.view["id"]] = current
    view_id = current.view["id"] if current else ctx.ws.new_id("V")
    full = _full_view(ctx, view, view_id, view_id, None)
    ctx.ws.views[view_id] = ViewRecord(full, user.id, ctx.team.id)
    ctx.ws.homes[user.id] = view_id
    return {"view": full}
