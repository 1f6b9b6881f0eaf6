"""The playbook: the enterprise standard of moves, language, questions, tips and policy defaults.

Parley ships a default (``coaching/data/playbook.toml``); an organisation's own TOML file is merged
over it by :func:`parse_playbook`, which is pure: the bot reads the file and passes its text. Every
problem in the file is collected into one :class:`PlaybookError` (file, key path, expected, found),
so an admin can fix them all in one pass. The schema and merge rule are documented in
``docs/playbook.md``; in short: scalars replace, text lists replace unless given under ``[extend]``
(then they are appended), and ``[[moves]]`` are matched by ``id``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from fractions import Fraction
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from coaching.counterparts import CounterpartKind
from coaching.errors import CoachingError
from coaching.money import AmountError, Money, is_currency, parse_amount
from coaching.styles import Style
from coaching.worktime import WEEKDAY_NAMES, NudgeStep, WorkingHours, parse_weekday

DEFAULT_SOURCE: Final = "parley:default-playbook.toml"
NO_STYLE_KEY: Final = "no_style"
CHECKLIST_NAMES: Final = ("prep", "room", "debrief")
MIN_TIPS: Final = 2
MAX_QUESTION_LENGTH: Final = 300
MAX_TIP_LENGTH: Final = 500
MAX_GIVES_LENGTH: Final = 100  # a phrase matched against tradeables ("payment up front")
MAX_LINE_LENGTH: Final = 500


@dataclass(frozen=True, slots=True)
class PlaybookProblem:
    """One problem in a playbook file. ``path`` is a key path such as ``questions.management[2]``
    (list positions count from 1); syntax errors have an empty path and a line and column."""

    source: str
    path: str
    expected: str
    found: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.source}:{self.line}:{self.column}: expected {self.expected}, found {self.found}"
        return f"{self.source}: {self.path}: expected {self.expected}, found {self.found}"


class PlaybookError(CoachingError):
    """A playbook could not be used; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: tuple[PlaybookProblem, ...]) -> None:
        count = len(problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the playbook"
        super().__init__(heading + ":\n" + "\n".join(f"- {problem}" for problem in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Move:
    """A standard move: when to use it, why it works, and the language to use."""

    id: str
    name: str
    when: str
    why: str
    language: tuple[str, ...]
    kinds: tuple[CounterpartKind, ...] = ()

    def applies_to(self, kind: CounterpartKind) -> bool:
        """A move with no ``kinds`` applies to every counterpart kind."""
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True, slots=True)
class ChargebackDefaults:
    """Default late-cancellation conditions offered when a commitment is recorded."""

    notice_days: int
    percent: int


DEFAULT_ROLLUP_MIN_CELL: Final = 3


@dataclass(frozen=True, slots=True)
class Policy:
    """The numbers the organisation runs on."""

    default_currency: str
    working_hours: WorkingHours
    nudge_cadence: tuple[NudgeStep, ...]
    max_unanswered_nudges: int
    balance_attention_ratio: Fraction
    max_concession: Money
    chargeback: ChargebackDefaults
    digest_day: int
    digest_time: time
    approval_reminder_hours: int
    approval_escalation_hours: int
    approval_expiry_hours: int
    evidence_min_trades: int = 3
    """Past trades needed before "trades that work here" outranks the playbook's order."""
    away_statuses: tuple[str, ...] = ()
    """Slack status emoji (``:palm_tree:``) or words ("OOO") that mean a member is away: no nudges
    or digests until they are back (matched case-insensitively, words as whole words)."""
    rollup_min_cell: int = DEFAULT_ROLLUP_MIN_CELL
    """The organisation roll-up shows no group with fewer negotiations (or members) than this."""


@dataclass(frozen=True, slots=True)
class Checklists:
    prep: tuple[str, ...]
    room: tuple[str, ...]
    debrief: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Playbook:
    """A complete, validated playbook (the default, or an organisation's merged over it)."""

    name: str
    sources: tuple[str, ...]
    policy: Policy
    moves: tuple[Move, ...]
    questions: Mapping[CounterpartKind, tuple[str, ...]]
    counters: Mapping[CounterpartKind, str]
    checklists: Checklists
    tips: Mapping[Style | None, tuple[str, ...]]
    usually_gives: Mapping[CounterpartKind, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """The organisation's additions to what each kind of counterpart usually gives (the defaults are
    in ``data/asks.toml``); a tradeable matching one is on the wrong side."""

    def usually_gives_for(self, kind: CounterpartKind) -> tuple[str, ...]:
        return self.usually_gives.get(kind, ())

    def questions_for(self, kind: CounterpartKind) -> tuple[str, ...]:
        return self.questions[kind]

    def counter_for(self, kind: CounterpartKind) -> str:
        """An example of a deliberately unacceptable counter for this kind of counterpart."""
        return self.counters[kind]

    def tips_for(self, style: Style | None) -> tuple[str, ...]:
        """The rotating tips for a style (``None``: members with no style yet)."""
        return self.tips[style]

    def moves_for(self, kind: CounterpartKind) -> tuple[Move, ...]:
        return tuple(move for move in self.moves if move.applies_to(kind))

    def move(self, move_id: str) -> Move | None:
        return next((move for move in self.moves if move.id == move_id), None)

    def with_policy(self, move: Move) -> Move:
        """The move with policy placeholders in its language filled in: ``{notice_days}``,
        ``{percent}`` (chargeback), ``{max_concession}`` and ``{currency}``; other text is untouched."""
        values = {
            "{notice_days}": str(self.policy.chargeback.notice_days),
            "{percent}": str(self.policy.chargeback.percent),
            "{max_concession}": str(self.policy.max_concession),
            "{currency}": self.policy.default_currency,
        }
        language = []
        for line in move.language:
            for placeholder, value in values.items():
                line = line.replace(placeholder, value)
            language.append(line)
        return replace(move, language=tuple(language))


# --------------------------------------------------------------------------------------------------
# Reading: a TOML document becomes a "layer", a flat mapping of key path → checked value.


_MISSING: Final = object()
_MOVE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return "empty text" if not value.strip() else f"the text '{shown}'"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return f"the date/time {value.isoformat()}"
    return type(value).__name__


class _Reader:
    """Collects problems for one source while converting its values."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[PlaybookProblem] = []
        self.bad: set[str] = set()

    def problem(self, path: str, expected: str, found: str, key: str | None = None) -> None:
        self.problems.append(PlaybookProblem(self.source, path, expected, found))
        self.bad.add(key or path)

    def table(self, value: object, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, "a table", _describe(value))
            return {}
        for key in value:
            if key not in allowed:
                self.problem(_join(path, key), "one of: " + ", ".join(allowed), f"unknown key '{key}'")
        return {key: item for key, item in value.items() if key in allowed}

    def text(self, value: object, path: str, max_length: int = MAX_LINE_LENGTH) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(path, "non-empty text", _describe(value))
            return None
        if len(value) > max_length:
            self.problem(path, f"text of at most {max_length} characters", f"{len(value)} characters")
            return None
        return value.strip()

    def text_list(
        self, value: object, path: str, max_length: int = MAX_LINE_LENGTH
    ) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            self.problem(path, "a non-empty list of text", _describe(value))
            return None
        items = [self.text(item, f"{path}[{index}]", max_length) for index, item in enumerate(value, 1)]
        if any(item is None for item in items):
            self.bad.add(path)
            return None
        return tuple(item for item in items if item is not None)

    def integer(self, value: object, path: str, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(path, f"a whole number from {low} to {high}", _describe(value))
            return None
        return value

    def clock(self, value: object, path: str) -> time | None:
        if isinstance(value, time) and value.tzinfo is None:
            return value
        if isinstance(value, str):
            match = _HHMM.match(value.strip())
            if match:
                return time(int(match.group(1)), int(match.group(2)))
        self.problem(path, 'a time of day such as "09:00"', _describe(value))
        return None

    def weekday(self, value: object, path: str) -> int | None:
        day = parse_weekday(value) if isinstance(value, str) else None
        if day is None:
            self.problem(path, "a weekday: " + ", ".join(WEEKDAY_NAMES), _describe(value))
        return day


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_POLICY_KEYS: Final = (
    "default_currency",
    "working_hours",
    "working_days",
    "nudge_cadence",
    "max_unanswered_nudges",
    "balance_attention_ratio",
    "max_concession",
    "digest_day",
    "digest_time",
    "approval_reminder_hours",
    "approval_escalation_hours",
    "approval_expiry_hours",
    "evidence_min_trades",
    "chargeback",
    "away_statuses",
    "rollup_min_cell",
)
_TOP_KEYS: Final = ("name", "policy", "moves", "questions", "counters", "checklists", "tips", "extend")
_MOVE_KEYS: Final = ("id", "name", "when", "why", "language", "kinds", "enabled")
_KIND_KEYS: Final = tuple(kind.value for kind in CounterpartKind)
_TIP_KEYS: Final = (*(style.value for style in Style), NO_STYLE_KEY)


def _read_policy(reader: _Reader, raw: object, layer: dict[str, Any]) -> None:
    policy = reader.table(raw, "policy", _POLICY_KEYS)
    for key, value in policy.items():
        path = f"policy.{key}"
        converted: Any = None
        if key == "default_currency":
            if isinstance(value, str) and is_currency(value.strip().upper()):
                converted = value.strip().upper()
            else:
                reader.problem(path, 'an ISO 4217 currency code such as "USD"', _describe(value))
        elif key == "working_hours":
            hours = reader.table(value, path, ("start", "end"))
            for end in ("start", "end"):
                if end in hours:
                    moment = reader.clock(hours[end], f"{path}.{end}")
                    if moment is not None:
                        layer[f"{path}.{end}"] = moment
            continue
        elif key == "working_days":
            converted = _read_days(reader, value, path)
        elif key == "nudge_cadence":
            converted = _read_cadence(reader, value, path)
        elif key == "max_unanswered_nudges":
            converted = reader.integer(value, path, 1, 20)
        elif key == "balance_attention_ratio":
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 100:
                converted = Fraction(str(value))
            else:
                reader.problem(path, "a number above 0 and at most 100, such as 1.0", _describe(value))
        elif key == "max_concession":
            if isinstance(value, str | int) and not isinstance(value, bool):
                converted = str(value)  # read as an amount once the default currency is known
            else:
                reader.problem(path, 'an amount such as "5,000" or "5,000 EUR"', _describe(value))
        elif key == "digest_day":
            converted = reader.weekday(value, path)
        elif key == "digest_time":
            converted = reader.clock(value, path)
        elif key == "evidence_min_trades":
            converted = reader.integer(value, path, 1, 1000)
        elif key.startswith("approval_"):
            converted = reader.integer(value, path, 1, 24 * 90)
        elif key == "away_statuses":
            converted = reader.text_list(value, path, MAX_GIVES_LENGTH)
        elif key == "rollup_min_cell":
            converted = reader.integer(value, path, 1, 100)
        elif key == "chargeback":
            chargeback = reader.table(value, path, ("notice_days", "percent"))
            if "notice_days" in chargeback:
                days = reader.integer(chargeback["notice_days"], f"{path}.notice_days", 0, 365)
                if days is not None:
                    layer[f"{path}.notice_days"] = days
            if "percent" in chargeback:
                percent = reader.integer(chargeback["percent"], f"{path}.percent", 0, 100)
                if percent is not None:
                    layer[f"{path}.percent"] = percent
            continue
        if converted is not None:
            layer[path] = converted


def _read_days(reader: _Reader, value: object, path: str) -> tuple[int, ...] | None:
    if not isinstance(value, list) or not value:
        reader.problem(path, 'a non-empty list of weekdays such as ["mon", "tue"]', _describe(value))
        return None
    days = [reader.weekday(item, f"{path}[{index}]") for index, item in enumerate(value, 1)]
    if any(day is None for day in days):
        reader.bad.add(path)
        return None
    checked = tuple(day for day in days if day is not None)
    if len(set(checked)) != len(checked):
        reader.problem(path, "each weekday at most once", _describe(value))
        return None
    return tuple(sorted(checked))


def _step_order(step: NudgeStep) -> int:
    """Position in time relative to the due date: before-2 → -2, due → 0, after-3 → 3."""
    return -step.days if step.kind.value == "before" else step.days


def _read_cadence(reader: _Reader, value: object, path: str) -> tuple[NudgeStep, ...] | None:
    if not isinstance(value, list) or not value:
        reader.problem(path, 'a non-empty list such as ["before-1", "due", "after-1"]', _describe(value))
        return None
    steps: list[NudgeStep | None] = []
    for index, item in enumerate(value, 1):
        try:
            steps.append(NudgeStep.parse(item) if isinstance(item, str) else None)
        except CoachingError:
            steps.append(None)
        if steps[-1] is None:
            reader.problem(
                f"{path}[{index}]", "'before-N', 'due' or 'after-N' (N from 1 to 99)", _describe(item)
            )
    if any(step is None for step in steps):
        reader.bad.add(path)
        return None
    checked = tuple(step for step in steps if step is not None)
    order = [_step_order(step) for step in checked]
    if order != sorted(set(order)):
        reader.problem(path, "steps in time order, each once", ", ".join(step.key for step in checked))
        return None
    return checked


def _read_moves(reader: _Reader, raw: object, layer: dict[str, Any]) -> None:
    if not isinstance(raw, list):
        reader.problem("moves", "a list of tables ([[moves]])", _describe(raw))
        return
    moves: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(raw, 1):
        path = f"moves[{index}]"
        table = reader.table(item, path, _MOVE_KEYS)
        if not isinstance(item, dict):
            continue
        move_id = table.get("id", _MISSING)
        if not isinstance(move_id, str) or not _MOVE_ID.match(move_id):
            found = "nothing" if move_id is _MISSING else _describe(move_id)
            reader.problem(f"{path}.id", "an id of lower-case letters, digits, '-' and '_'", found)
            continue
        if move_id in seen:
            reader.problem(f"{path}.id", f"an id not used before (also {seen[move_id]})", f"'{move_id}'")
            continue
        seen[move_id] = path
        problems_before = len(reader.problems)
        fields: dict[str, Any] = {}
        for key in ("name", "when", "why"):
            if key in table:
                fields[key] = reader.text(table[key], f"{path}.{key}")
        if "language" in table:
            fields["language"] = reader.text_list(table["language"], f"{path}.language", MAX_QUESTION_LENGTH)
        if "kinds" in table:
            fields["kinds"] = _read_kinds(reader, table["kinds"], f"{path}.kinds")
        if "enabled" in table:
            if isinstance(table["enabled"], bool):
                fields["enabled"] = table["enabled"]
            else:
                reader.problem(f"{path}.enabled", "true or false", _describe(table["enabled"]))
        if len(reader.problems) > problems_before:
            continue
        moves.append({"id": move_id, "path": path, "fields": fields})
    layer["moves"] = moves


def _read_kinds(reader: _Reader, value: object, path: str) -> tuple[CounterpartKind, ...] | None:
    if not isinstance(value, list):
        reader.problem(path, "a list of counterpart kinds: " + ", ".join(_KIND_KEYS), _describe(value))
        return None
    kinds: list[CounterpartKind] = []
    for index, item in enumerate(value, 1):
        if isinstance(item, str) and item in _KIND_KEYS:
            kinds.append(CounterpartKind(item))
        else:
            reader.problem(f"{path}[{index}]", "one of: " + ", ".join(_KIND_KEYS), _describe(item))
            return None
    return tuple(kinds)


def _read_lists(
    reader: _Reader,
    raw: object,
    path: str,
    keys: tuple[str, ...],
    layer: dict[str, Any],
    max_length: int,
    reader_fn: Callable[[object, str], object] | None = None,
) -> None:
    table = reader.table(raw, path, keys)
    for key, value in table.items():
        full = f"{path}.{key}"
        converted = (
            reader_fn(value, full) if reader_fn is not None else reader.text_list(value, full, max_length)
        )
        if converted is not None:
            layer[full] = converted


def _read_layer(reader: _Reader, document: dict[str, Any]) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    top = reader.table(document, "", _TOP_KEYS)
    if "name" in top:
        name = reader.text(top["name"], "name", 100)
        if name is not None:
            layer["name"] = name
    if "policy" in top:
        _read_policy(reader, top["policy"], layer)
    if "moves" in top:
        _read_moves(reader, top["moves"], layer)
    if "questions" in top:
        _read_lists(reader, top["questions"], "questions", _KIND_KEYS, layer, MAX_QUESTION_LENGTH)
    if "counters" in top:
        _read_lists(
            reader,
            top["counters"],
            "counters",
            _KIND_KEYS,
            layer,
            MAX_QUESTION_LENGTH,
            lambda value, path: reader.text(value, path, MAX_QUESTION_LENGTH),
        )
    if "checklists" in top:
        _read_lists(reader, top["checklists"], "checklists", CHECKLIST_NAMES, layer, MAX_QUESTION_LENGTH)
    if "tips" in top:
        _read_lists(reader, top["tips"], "tips", _TIP_KEYS, layer, MAX_TIP_LENGTH)
    if "extend" in top:
        extend = reader.table(top["extend"], "extend", ("questions", "checklists", "tips", "usually_gives"))
        sections = {
            "questions": (_KIND_KEYS, MAX_QUESTION_LENGTH),
            "usually_gives": (_KIND_KEYS, MAX_GIVES_LENGTH),
            "checklists": (CHECKLIST_NAMES, MAX_QUESTION_LENGTH),
            "tips": (_TIP_KEYS, MAX_TIP_LENGTH),
        }
        for section, (keys, max_length) in sections.items():
            if section in extend:
                _read_lists(reader, extend[section], f"extend.{section}", keys, layer, max_length)
    return layer


# --------------------------------------------------------------------------------------------------
# Merging and building.


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key == "moves":
            continue
        if key.startswith("extend."):
            target = key.removeprefix("extend.")
            merged[target] = (*merged.get(target, ()), *value)
        else:
            merged[key] = value
    moves = [dict(move, fields=dict(move["fields"])) for move in base.get("moves", [])]
    for move in override.get("moves", []):
        existing = next((m for m in moves if m["id"] == move["id"]), None)
        if existing is None:
            moves.append(move)
        else:
            existing["fields"].update(move["fields"])
            existing["path"] = move["path"]
    merged["moves"] = moves
    return merged


def _build(layer: dict[str, Any], reader: _Reader, sources: tuple[str, ...]) -> Playbook | None:
    def get(key: str) -> Any:
        return layer.get(key)

    currency = get("policy.default_currency")
    start, end = get("policy.working_hours.start"), get("policy.working_hours.end")
    days = get("policy.working_days")
    hours: WorkingHours | None = None
    if start is not None and end is not None and days is not None:
        if start < end:
            hours = WorkingHours(start, end, days)
        elif not reader.bad & {"policy.working_hours.start", "policy.working_hours.end"}:
            reader.problem("policy.working_hours", "a start before the end", f"{start:%H:%M} to {end:%H:%M}")
    max_concession: Money | None = None
    raw_max = get("policy.max_concession")
    if raw_max is not None and currency is not None:
        try:
            max_concession = parse_amount(raw_max, currency)
        except AmountError as error:
            reader.problem("policy.max_concession", 'an amount such as "5,000"', f"{error}")
    reminder = get("policy.approval_reminder_hours")
    escalation = get("policy.approval_escalation_hours")
    expiry = get("policy.approval_expiry_hours")
    if reminder is not None and escalation is not None and not reminder < escalation:
        reader.problem(
            "policy.approval_escalation_hours",
            f"more hours than approval_reminder_hours ({reminder})",
            f"the number {escalation}",
        )
    if escalation is not None and expiry is not None and not escalation < expiry:
        reader.problem(
            "policy.approval_expiry_hours",
            f"more hours than approval_escalation_hours ({escalation})",
            f"the number {expiry}",
        )
    tips: dict[Style | None, tuple[str, ...]] = {}
    for key in _TIP_KEYS:
        items = get(f"tips.{key}")
        if items is None:
            continue
        if len(items) < MIN_TIPS and f"tips.{key}" not in reader.bad:
            reader.problem(
                f"tips.{key}",
                f"at least {MIN_TIPS} tips (they rotate weekly, never the same twice in a row)",
                f"{len(items)} tip",
            )
        tips[None if key == NO_STYLE_KEY else Style(key)] = items
    moves: list[Move] = []
    for move in layer.get("moves", []):
        fields = move["fields"]
        if not fields.get("enabled", True):
            continue
        missing = [key for key in ("name", "when", "language") if key not in fields]
        if missing:
            reader.problem(
                move["path"], "a new move to have name, when and language", "no " + " or ".join(missing)
            )
            continue
        moves.append(
            Move(
                move["id"],
                fields["name"],
                fields["when"],
                fields.get("why", ""),
                fields["language"],
                fields.get("kinds", ()),
            )
        )
    if reader.problems:
        return None
    required = [
        currency,
        hours,
        get("policy.nudge_cadence"),
        get("policy.max_unanswered_nudges"),
        get("policy.balance_attention_ratio"),
        max_concession,
        get("policy.chargeback.notice_days"),
        get("policy.chargeback.percent"),
        get("policy.digest_day"),
        get("policy.digest_time"),
        reminder,
        escalation,
        expiry,
        get("name"),
    ]
    missing_keys = [
        f"{section}.{key}"
        for section, keys in (
            ("questions", _KIND_KEYS),
            ("counters", _KIND_KEYS),
            ("checklists", CHECKLIST_NAMES),
        )
        for key in keys
        if get(f"{section}.{key}") is None
    ]
    if any(value is None for value in required) or missing_keys or len(tips) != len(_TIP_KEYS):
        reader.problem(
            "", "a complete playbook", "missing settings: " + ", ".join(missing_keys or ["policy"])
        )
        return None
    assert hours is not None and max_concession is not None
    return Playbook(
        name=get("name"),
        sources=sources,
        policy=Policy(
            default_currency=currency,
            working_hours=hours,
            nudge_cadence=get("policy.nudge_cadence"),
            max_unanswered_nudges=get("policy.max_unanswered_nudges"),
            balance_attention_ratio=get("policy.balance_attention_ratio"),
            max_concession=max_concession,
            chargeback=ChargebackDefaults(
                get("policy.chargeback.notice_days"), get("policy.chargeback.percent")
            ),
            digest_day=get("policy.digest_day"),
            digest_time=get("policy.digest_time"),
            approval_reminder_hours=reminder,
            approval_escalation_hours=escalation,
            approval_expiry_hours=expiry,
            evidence_min_trades=get("policy.evidence_min_trades") or 3,
            away_statuses=get("policy.away_statuses") or (),
            rollup_min_cell=get("policy.rollup_min_cell") or DEFAULT_ROLLUP_MIN_CELL,
        ),
        moves=tuple(moves),
        questions=MappingProxyType({kind: get(f"questions.{kind.value}") for kind in CounterpartKind}),
        counters=MappingProxyType({kind: get(f"counters.{kind.value}") for kind in CounterpartKind}),
        checklists=Checklists(*(get(f"checklists.{name}") for name in CHECKLIST_NAMES)),
        tips=MappingProxyType(tips),
        usually_gives=MappingProxyType(
            {kind: tuple(get(f"usually_gives.{kind.value}") or ()) for kind in CounterpartKind}
        ),
    )


def _syntax_problem(source: str, error: tomllib.TOMLDecodeError) -> PlaybookProblem:
    message = str(error)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if match:
        return PlaybookProblem(
            source, "", "valid TOML", message[: match.start()], int(match.group(1)), int(match.group(2))
        )
    return PlaybookProblem(source, "", "valid TOML", message, 1, 1)


def _load_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlaybookError((_syntax_problem(source, error),)) from None


@functools.cache
def _default_layer() -> dict[str, Any]:
    text = resources.files("coaching").joinpath("data", "playbook.toml").read_text(encoding="utf-8")
    reader = _Reader(DEFAULT_SOURCE)
    layer = _read_layer(reader, _load_toml(text, DEFAULT_SOURCE))
    if reader.problems:
        raise PlaybookError(tuple(reader.problems))
    return layer


@functools.cache
def load_default() -> Playbook:
    """Parley's default playbook, read from the package's own data."""
    reader = _Reader(DEFAULT_SOURCE)
    playbook = _build(_default_layer(), reader, (DEFAULT_SOURCE,))
    if playbook is None:
        raise PlaybookError(tuple(reader.problems))
    return playbook


def parse_playbook(text: str, source: str) -> Playbook:
    """An organisation's playbook (TOML ``text``, named ``source`` in messages) merged over the default.

    Raises :class:`PlaybookError` carrying every problem found; a TOML syntax error stops reading at
    that point and is reported with its line and column.
    """
    reader = _Reader(source)
    layer = _read_layer(reader, _load_toml(text, source))
    merged = _merge(_default_layer(), layer)
    playbook = _build(merged, reader, (DEFAULT_SOURCE, source))
    if playbook is None or reader.problems:
        raise PlaybookError(tuple(reader.problems))
    return playbook
