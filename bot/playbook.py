"""The playbook this process coaches with: the default, or ``PARLEY_PLAYBOOK`` merged over it.

Read once per process and path (the file is validated by ``coaching.playbook.parse_playbook``; the bot
layer does the reading because ``coaching/`` never touches the file system).
"""

from __future__ import annotations

import functools
from pathlib import Path

from bot.settings import Settings
from coaching.playbook import Playbook, load_default, parse_playbook


def current_playbook(settings: Settings) -> Playbook:
    """The playbook for ``settings`` (cached; raises ``PlaybookError`` for a file with problems)."""
    return _load(settings.playbook_path)


@functools.cache
def _load(path: Path | None) -> Playbook:
    if path is None:
        return load_default()
    return parse_playbook(path.read_text(encoding="utf-8"), path.name)
