"""Telling counterparts apart from what people type: "Northwind", "Northwind Ltd" and "northwind
ltd." are one counterpart; "Northwind Traders" is only *suggested* as the same.

:func:`name_key` is the identity: Unicode-normalised (NFKC, accents dropped), case folded, ``&`` read
as "and", punctuation and repeated whitespace dropped, a leading "the" and trailing legal forms
("Ltd", "Inc.", "GmbH", "S.A." …) removed. Two names with the same key are the same counterpart.
:func:`near_duplicates` finds keys close enough to ask the person (a typo, an extra word).
Pure: no I/O; the storage layer indexes the key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

MAX_KEY_LENGTH: Final = 200
SIMILAR_RATIO: Final = 0.85
"""Keys at least this similar (difflib's ratio) are suggested as the same counterpart."""

# Legal forms, as they read once punctuation is gone ("S.A." → "s a" → "sa" after joining letters).
_LEGAL = (
    "ltd limited inc incorporated llc llp lp plc corp corporation co company gmbh ag kg sa sas sarl srl "
    "spa bv nv oy ab as asa aps kk pty pte bhd sdn sl slu se ug ltda cv sc group holdings holding"
)
LEGAL_FORMS: Final = frozenset(_LEGAL.split())
_NOT_WORD = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"\d+")
_SINGLE_LETTERS = re.compile(r"\b(?:\w )+\w\b")


def _fold(text: str) -> str:
    """Compatibility forms, case (upper then fold, so "ı" and "I" agree) and accents dropped."""
    folded = unicodedata.normalize("NFKC", text).upper().casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", stripped).replace("&", " and ")


def name_words(name: str) -> list[str]:
    """The name's words after folding, with initials run together ("S. A." → "sa")."""
    spaced = " ".join(_NOT_WORD.sub(" ", _fold(name)).replace("_", " ").split())
    spaced = _SINGLE_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), spaced)
    return spaced.split()


def name_key(name: str) -> str:
    """The identity of a counterpart name ("" when nothing is left: no counterpart)."""
    words = name_words(name)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words = words[:-1]
    if len(words) > 1 and words[-1] == "and":  # "Smith & Co" → "smith and" → "smith"
        words = words[:-1]
    return " ".join(words)[:MAX_KEY_LENGTH]


def item_key(item: str) -> str:
    """The matching form of a traded item ("Extra onboarding workshop." = "extra  Onboarding workshop")."""
    return " ".join(name_words(item))[:MAX_KEY_LENGTH]


def similarity(a: str, b: str) -> float:
    """How alike two keys are, 0–1: difflib's ratio, or 0.9 when one's words start the other's;
    0 when their numbers differ."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return 0.0  # "Store 12" and "Store 13" are two stores, not a typo
    ratio = SequenceMatcher(None, a, b).ratio()
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if short == long_[: len(short)] and len(" ".join(short)) >= 4:
        ratio = max(ratio, 0.9)
    return ratio


@dataclass(frozen=True, slots=True)
class Known:
    """A counterpart already on record: its id, name as shown, key and how many negotiations."""

    id: int
    name: str
    key: str
    negotiations: int = 0


@dataclass(frozen=True, slots=True)
class Match:
    """What a typed name resolves to: ``exact`` counterparts (same key) and ``similar`` ones to ask
    about. One exact match and no choice to make → link to it; none → a new counterpart."""

    key: str
    exact: tuple[Known, ...]
    similar: tuple[Known, ...]

    @property
    def needs_choice(self) -> bool:
        """Whether the person should confirm: several with this key, or none but a near-duplicate."""
        return len(self.exact) > 1 or (not self.exact and bool(self.similar))

    @property
    def options(self) -> tuple[Known, ...]:
        return (*self.exact, *self.similar)


def match_name(name: str, known: Iterable[Known], *, limit: int = 3) -> Match:
    """Resolve ``name`` against the workspace's counterparts (already filtered to likely ones)."""
    key = name_key(name)
    if not key:
        return Match("", (), ())
    exact: list[Known] = []
    scored: list[tuple[float, Known]] = []
    for candidate in known:
        if candidate.key == key:
            exact.append(candidate)
            continue
        score = similarity(key, candidate.key)
        if score >= SIMILAR_RATIO:
            scored.append((score, candidate))
    exact.sort(key=lambda k: (-k.negotiations, k.id))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].negotiations, pair[1].id))
    return Match(key, tuple(exact), tuple(k for _s, k in scored[:limit]))


def prefixes_for(key: str) -> Sequence[str]:
    """What the storage layer narrows candidates by: the key's first word (near-duplicates share it
    or are one typo away in it, so also its first three letters)."""
    first = key.split()[0] if key else ""
    return tuple(dict.fromkeys(p for p in (first, first[:3]) if p))


@dataclass(frozen=True, slots=True)
class AdminCommand:
    """``/negotiate counterparts …``: ``action`` is list, merge, unmerge, rename, delete or restore."""

    action: str
    target: int | None = None
    other: int | None = None  # merge: the counterpart it goes into
    name: str = ""  # rename: the new name


COUNTERPARTS_USAGE: Final = (
    "`/negotiate counterparts` lists them; admins can `merge 12 into 7`, `unmerge 12`, "
    "`rename 7 New name`, `delete 7` and `restore 7` (numbers as the list shows them)."
)
_ID = r"#?(\d{1,12})"
_PATTERNS: Final = (
    ("merge", re.compile(rf"merge\s+{_ID}\s+(?:into|with)\s+{_ID}", re.I)),
    ("unmerge", re.compile(rf"(?:unmerge|undo[- ]merge|split)\s+{_ID}", re.I)),
    ("rename", re.compile(rf"rename\s+{_ID}\s+(?:to\s+)?(.+)", re.I | re.S)),
    ("delete", re.compile(rf"delete\s+{_ID}", re.I)),
    ("restore", re.compile(rf"restore\s+{_ID}", re.I)),
)


def parse_admin_command(text: str) -> AdminCommand | None:
    """The command typed after ``counterparts``; None when it can't be read (show the usage)."""
    stripped = text.strip()
    if stripped.lower() in ("", "list"):
        return AdminCommand("list")
    for action, pattern in _PATTERNS:
        found = pattern.fullmatch(stripped)
        if found is None:
            continue
        if action == "merge":
            return AdminCommand(action, int(found.group(1)), int(found.group(2)))
        if action == "rename":
            return AdminCommand(action, int(found.group(1)), name=" ".join(found.group(2).split()))
        return AdminCommand(action, int(found.group(1)))
    return None
