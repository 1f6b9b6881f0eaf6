"""Registers every listener on an app (STYLE §1: one folder per kind, one handler per file).

Each module in ``commands/``, ``actions/``, ``views/`` and ``events/`` that defines
``register(app, services)`` is registered, in file-name order, so adding a handler is adding a file.
"""

from __future__ import annotations

import importlib
import pkgutil

from slack_bolt import App

from bot.services import Services

KINDS = ("commands", "actions", "views", "events")


def register_listeners(app: App, services: Services) -> None:
    for kind in KINDS:
        package = importlib.import_module(f"{__name__}.{kind}")
        for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            register = getattr(module, "register", None)
            if callable(register):
                register(app, services)
