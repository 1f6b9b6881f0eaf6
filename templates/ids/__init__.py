"""Every ``action_id`` / ``block_id`` / ``callback_id`` Parley uses, as StrEnum members (STYLE §4).

One module per feature (``templates/ids/<feature>.py``); this package collects every StrEnum defined
in them, so templates read ``{{ ids.PrepAction.LOG_DEBRIEF }}`` and listeners import the same member
from its module. A class name defined twice is an error, caught at import.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from enum import StrEnum
from typing import Final


def _collect() -> dict[str, type[StrEnum]]:
    found: dict[str, type[StrEnum]] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, StrEnum) and value is not StrEnum and value.__module__ == module.__name__:
                if name in found:
                    where = f"{found[name].__module__} and {module.__name__}"
                    raise ImportError(f"id enum {name} is defined twice: {where}")
                found[name] = value
    return found


TEMPLATE_IDS: Final = _collect()
