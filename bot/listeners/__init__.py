"""Registers every listener group on an app (STYLE §1: one folder per kind, one handler per file)."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import commands, events
from bot.services import Services


def register_listeners(app: App, services: Services) -> None:
    commands.register(app, services)
    events.register(app, services)
