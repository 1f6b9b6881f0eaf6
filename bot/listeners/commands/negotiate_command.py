from __future__ import annotations

from slack_bolt import App

from bot.listeners.commands.negotiate import NegotiateCommand
from bot.services import Services


def register(app: App, services: Services) -> None:
    app.command("/negotiate")(NegotiateCommand(services))
