"""Block Kit rules: a rule checks one key of a dict it is handed; a :class:`Spec` is a type's rules.

A :class:`Walk` collects :class:`Problem` s over one surface. Rules that hold nested elements
(:class:`Child`, :class:`Children`) check them with the walk's ``check_element``, so this module does not
depend on the element tables (``blockkit_tables``) that are built from its rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from bot.testkit.blockkit_limits import (
    BUTTON_URL,
    CONFIRM_BUTTON,
    CONFIRM_TEXT,
    CONFIRM_TITLE,
    ID_LENGTH,
    OPTION_TEXT,
    OPTION_VALUE,
    SELECT_OPTIONS,
)

# Problem codes: the fake Slack maps them to the error Slack would answer with.
INVALID: Final = "invalid"  # -> invalid_blocks (messages) / invalid_arguments (views)
BLOCKS_TOO_LONG: Final = "msg_blocks_too_long"
VIEW_TOO_LARGE: Final = "view_too_large"
NO_FALLBACK_TEXT: Final = "no_fallback_text"  # Slack only warns; Parley treats it as an error
NO_TEXT: Final = "no_text"  # neither text nor blocks

PLAIN: Final = frozenset({"plain_text"})
ANY_TEXT: Final = frozenset({"plain_text", "mrkdwn"})
TEXT_OBJECT_KEYS: Final = {"plain_text": {"type", "text", "emoji"}, "mrkdwn": {"type", "text", "verbatim"}}


@dataclass(frozen=True)
class Problem:
    """One defect, located by a JSON pointer like Slack's ``[json-pointer:...]`` suffix."""

    pointer: str
    message: str
    code: str = INVALID

    def __str__(self) -> str:
        return f"{self.message} [json-pointer:{self.pointer}]"


ElementChecker = Callable[["Walk", Any, str, frozenset[str]], None]
"""Checks one nested element against the element types ``allowed`` where it stands."""


@dataclass
class Walk:
    """Collects problems and the ids seen so far on one surface (message or view).

    It carries the element checker that nested-element rules call: the checker needs the element
    tables, which are built from the rules here, so it is handed in rather than imported.
    """

    check_element: ElementChecker
    problems: list[Problem] = field(default_factory=list)
    block_ids: set[str] = field(default_factory=set)
    action_ids: set[str] = field(default_factory=set)  # reset per block: Slack's uniqueness scope

    def add(self, pointer: str, message: str, code: str = INVALID) -> None:
        self.problems.append(Problem(pointer, message, code))


def _too_long(limit: int) -> str:
    return f"must be less than {limit + 1} characters"


def check_str(w: Walk, value: Any, ptr: str, limit: int | None, min_len: int = 0) -> bool:
    if not isinstance(value, str):
        w.add(ptr, "expected a string")
        return False
    if len(value) < min_len:
        w.add(ptr, f"must be more than {min_len - 1} characters")
    elif limit is not None and len(value) > limit:
        w.add(ptr, _too_long(limit))
    return True


def _check_text_object(w: Walk, value: Any, ptr: str, kinds: frozenset[str], limit: int) -> None:
    if not isinstance(value, dict):
        w.add(ptr, "expected a text object")
        return
    kind = value.get("type")
    if not isinstance(kind, str) or kind not in kinds:
        wanted = " or ".join(sorted(kinds))
        w.add(f"{ptr}/type", f"must be a valid enum value: expected {wanted}, got {kind!r}")
    else:
        for extra in sorted(str(k) for k in value if k not in TEXT_OBJECT_KEYS[kind]):
            w.add(ptr, f"invalid additional property: {extra}")
    if "text" not in value:
        w.add(ptr, "missing required field: text")
    else:
        check_str(w, value["text"], f"{ptr}/text", limit, min_len=1)


@dataclass(frozen=True)
class Required:
    keys: tuple[str, ...]

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        for key in self.keys:
            if key not in obj:
                w.add(ptr, f"missing required field: {key}")


@dataclass(frozen=True)
class AnyOf:
    """At least one of the keys (section text/fields, select options/option_groups)."""

    keys: tuple[str, ...]

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if not any(key in obj for key in self.keys):
            w.add(ptr, f"must provide one of: {', '.join(self.keys)}")


def _present(w: Walk, obj: dict[Any, Any], ptr: str, key: str, required: bool) -> bool:
    """Whether ``key`` is there to check; when it is not, a required one is reported missing."""
    if key in obj:
        return True
    if required:
        w.add(ptr, f"missing required field: {key}")
    return False


@dataclass(frozen=True)
class Str:
    key: str
    limit: int | None = None
    required: bool = False

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if _present(w, obj, ptr, self.key, self.required):
            check_str(w, obj[self.key], f"{ptr}/{self.key}", self.limit)


@dataclass(frozen=True)
class Bool:
    key: str

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj and not isinstance(obj[self.key], bool):
            w.add(f"{ptr}/{self.key}", "expected a boolean")


@dataclass(frozen=True)
class IntRange:
    key: str
    lo: int
    hi: int | None = None

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key not in obj:
            return
        value = obj[self.key]
        if not isinstance(value, int) or isinstance(value, bool):
            w.add(f"{ptr}/{self.key}", "expected an integer")
        elif value < self.lo or (self.hi is not None and value > self.hi):
            upper = "" if self.hi is None else f" and {self.hi}"
            w.add(
                f"{ptr}/{self.key}", f"must be between {self.lo}{upper}" if upper else f"must be >= {self.lo}"
            )


@dataclass(frozen=True)
class LengthOrder:
    """``min_length`` may not exceed ``max_length`` (Slack: "min_length … must be less than max_length")."""

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        low, high = obj.get("min_length"), obj.get("max_length")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            w.add(f"{ptr}/min_length", "must be less than or equal to max_length")


@dataclass(frozen=True)
class Enum:
    key: str
    values: frozenset[str]

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj and (not isinstance(obj[self.key], str) or obj[self.key] not in self.values):
            w.add(f"{ptr}/{self.key}", f"must be a valid enum value: one of {', '.join(sorted(self.values))}")


@dataclass(frozen=True)
class Text:
    key: str
    kinds: frozenset[str]
    limit: int
    required: bool = False

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if _present(w, obj, ptr, self.key, self.required):
            _check_text_object(w, obj[self.key], f"{ptr}/{self.key}", self.kinds, self.limit)


@dataclass(frozen=True)
class SelfText:
    """The object itself is a text object (text elements of a context block)."""

    kinds: frozenset[str]
    limit: int
    key: str = "text"

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        _check_text_object(w, obj, ptr, self.kinds, self.limit)


def _check_list(w: Walk, obj: dict[Any, Any], key: str, ptr: str, lo: int, hi: int) -> list[Any] | None:
    value = obj[key]
    if not isinstance(value, list):
        w.add(f"{ptr}/{key}", "expected an array")
        return None
    if len(value) < lo:
        w.add(f"{ptr}/{key}", f"must provide at least {lo} items")
    if len(value) > hi:
        w.add(f"{ptr}/{key}", f"no more than {hi} items allowed")
    return value


@dataclass(frozen=True)
class TextList:
    key: str
    kinds: frozenset[str]
    max_items: int
    limit: int

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj and (items := _check_list(w, obj, self.key, ptr, 1, self.max_items)) is not None:
            for i, item in enumerate(items):
                _check_text_object(w, item, f"{ptr}/{self.key}/{i}", self.kinds, self.limit)


@dataclass(frozen=True)
class ActionId:
    """``action_id``: optional, ≤ 255, unique within its block (Slack's scope for action ids)."""

    key: str = "action_id"

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key not in obj:
            return
        value = obj[self.key]
        if check_str(w, value, f"{ptr}/{self.key}", ID_LENGTH, min_len=1):
            if value in w.action_ids:
                w.add(f"{ptr}/{self.key}", f"duplicate action_id {value!r} in this block")
            w.action_ids.add(value)


def _check_option(w: Walk, option: Any, ptr: str, kinds: frozenset[str]) -> None:
    if not isinstance(option, dict):
        w.add(ptr, "expected an option object")
        return
    for rule in _option_rules(kinds):
        rule.check(w, option, ptr)
    check_extra_keys(w, option, ptr, {"text", "value", "description", "url"})


def _option_rules(kinds: frozenset[str]) -> tuple[Text | Str, ...]:
    return (
        Text("text", kinds, OPTION_TEXT, required=True),
        Str("value", OPTION_VALUE, required=True),
        Text("description", kinds, OPTION_TEXT),
        Str("url", BUTTON_URL),
    )


@dataclass(frozen=True)
class Options:
    key: str
    max_items: int
    kinds: frozenset[str] = PLAIN
    min_items: int = 1

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj and (items := _check_list(w, obj, self.key, ptr, self.min_items, self.max_items)):
            for i, option in enumerate(items):
                _check_option(w, option, f"{ptr}/{self.key}/{i}", self.kinds)


@dataclass(frozen=True)
class OptionGroups:
    key: str = "option_groups"

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key not in obj or not (groups := _check_list(w, obj, self.key, ptr, 1, SELECT_OPTIONS)):
            return
        for i, group in enumerate(groups):
            gptr = f"{ptr}/{self.key}/{i}"
            if not isinstance(group, dict):
                w.add(gptr, "expected an option group object")
                continue
            Text("label", PLAIN, OPTION_TEXT, required=True).check(w, group, gptr)
            Required(("options",)).check(w, group, gptr)
            Options("options", SELECT_OPTIONS).check(w, group, gptr)
            check_extra_keys(w, group, gptr, {"label", "options"})


@dataclass(frozen=True)
class OneOption:
    key: str
    kinds: frozenset[str] = PLAIN

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj:
            _check_option(w, obj[self.key], f"{ptr}/{self.key}", self.kinds)


@dataclass(frozen=True)
class Confirm:
    key: str = "confirm"

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key not in obj:
            return
        cptr, dialog = f"{ptr}/{self.key}", obj[self.key]
        if not isinstance(dialog, dict):
            w.add(cptr, "expected a confirmation dialog object")
            return
        for rule in CONFIRM_RULES:
            rule.check(w, dialog, cptr)
        check_extra_keys(w, dialog, cptr, {"title", "text", "confirm", "deny", "style"})


CONFIRM_RULES: Final = (
    Text("title", PLAIN, CONFIRM_TITLE, required=True),
    Text("text", ANY_TEXT, CONFIRM_TEXT, required=True),
    Text("confirm", PLAIN, CONFIRM_BUTTON, required=True),
    Text("deny", PLAIN, CONFIRM_BUTTON, required=True),
    Enum("style", frozenset({"primary", "danger"})),
)


@dataclass(frozen=True)
class Child:
    """A nested element (section accessory, input element)."""

    key: str
    types: frozenset[str]
    required: bool = False

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if _present(w, obj, ptr, self.key, self.required):
            w.check_element(w, obj[self.key], f"{ptr}/{self.key}", self.types)


@dataclass(frozen=True)
class Children:
    key: str
    types: frozenset[str]
    max_items: int
    required: bool = True

    def check(self, w: Walk, obj: dict[Any, Any], ptr: str) -> None:
        if not _present(w, obj, ptr, self.key, self.required):
            return
        for i, item in enumerate(_check_list(w, obj, self.key, ptr, 1, self.max_items) or ()):
            w.check_element(w, item, f"{ptr}/{self.key}/{i}", self.types)


@dataclass(frozen=True)
class Spec:
    """What a block or element type allows: checked keys (rules) plus keys accepted unchecked."""

    rules: tuple[Any, ...] = ()
    optional: frozenset[str] = frozenset()

    @property
    def known(self) -> frozenset[str]:
        keys = {getattr(r, "key", None) for r in self.rules}
        keys.update(k for r in self.rules for k in getattr(r, "keys", ()))
        return frozenset({"type", *self.optional, *(k for k in keys if k)})


def check_extra_keys(w: Walk, obj: dict[Any, Any], ptr: str, known: set[str] | frozenset[str]) -> None:
    for extra in sorted(str(k) for k in obj if k not in known):
        w.add(ptr, f"invalid additional property: {extra}")
