"""Every Slack shortcode Parley sends is one the playground can draw (as the emoji, or as its name when
the browser has no emoji font), so none shows as a literal ``:three:``."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path("bot/playground/static/emoji.js")
SHORTCODE = re.compile(r"(?<![\w:`]):([a-z0-9_+-]+):(?![\w`<{(])")


def known() -> set[str]:
    return set(re.findall(r'"([a-z0-9_+-]+)":', STATIC.read_text(encoding="utf-8")))


def test_every_shortcode_in_templates_and_code_is_in_the_playgrounds_map() -> None:
    used: set[str] = set()
    for folder, pattern in (("templates", "*.j2"), ("bot", "*.py"), ("coaching", "*.py")):
        for path in Path(folder).rglob(pattern):
            if "testkit" in path.parts:
                continue
            used |= set(SHORTCODE.findall(path.read_text(encoding="utf-8")))
    missing = sorted(name for name in used if not name.isdigit() and name not in known())
    assert missing == [], f"shortcodes the playground cannot draw: {missing}"
