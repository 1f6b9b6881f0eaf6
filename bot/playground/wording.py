"""Words for the playground's own notices (the seed's summary): a count of one reads in the singular."""

from __future__ import annotations

_IRREGULAR = {"people": "person"}


def singular(what: str) -> str:
    """``trades expired`` → ``trade expired``, ``people`` → ``person``: the counted noun comes first."""
    noun, _, rest = what.partition(" ")
    one = _IRREGULAR.get(noun, noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun)
    return f"{one} {rest}".strip()
