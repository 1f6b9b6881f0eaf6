from __future__ import annotations

from slack_bolt import App

from bot.listeners.events.uninstall import register_uninstall
from bot.services import Services


def register(app: App, services: Services) -> None:
    register_uninstall(app, services)
