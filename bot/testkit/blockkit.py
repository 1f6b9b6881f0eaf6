"""Block Kit validation: what Slack would reject, found before Slack sees it.

slack-sdk only validates its own model objects, and not every limit (no 50-blocks check, no unique ids,
mrkdwn is accepted where only plain_text is allowed). Parley renders templates to plain dicts, so the
template tests and the fake Slack both run these pure functions instead. Problems read like Slack's
``response_metadata.messages`` (``must be less than 151 characters [json-pointer:/blocks/0/text/text]``),
so a failing test points at the exact field. Nothing here raises on malformed input: every defect,
including a wrong Python type anywhere, comes back as a problem.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar, cast

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

# Slack's limits, written from Slack's Block Kit reference (docs.slack.dev/reference/block-kit) and
# kept apart from ``templates/limits.py`` on purpose: the renderer and this checker must not share one
# reading of the reference, or one misunderstanding would pass both sides.
MESSAGE_BLOCKS: Final = 50  # blocks in a message
VIEW_BLOCKS: Final = 100  # blocks in a modal or Home tab
# Slack answers msg_blocks_too_long at roughly 13,000 characters of block text (undocumented); the fake
# refuses from 12,000 so a message near the edge fails here rather than in a workspace.
MESSAGE_BLOCK_TEXT: Final = 12_000
SECTION_TEXT: Final = 3_000
SECTION_FIELDS: Final = 10
SECTION_FIELD_TEXT: Final = 2_000
HEADER_TEXT: Final = 150
CONTEXT_ELEMENTS: Final = 10
ACTIONS_ELEMENTS: Final = 25
BUTTON_TEXT: Final = 75
BUTTON_VALUE: Final = 2_000
BUTTON_URL: Final = 3_000
CONFIRM_TITLE: Final = 100
CONFIRM_TEXT: Final = 300
OPTION_TEXT: Final = 75
OPTION_VALUE: Final = 150
SELECT_OPTIONS: Final = 100  # options or option groups in a select menu
INPUT_LABEL: Final = 2_000
INPUT_HINT: Final = 2_000
PLACEHOLDER: Final = 150
PLAIN_TEXT_INPUT_MAX: Final = 3_000  # plain_text_input max_length
ID_LENGTH: Final = 255  # block_id, action_id
VIEW_TITLE: Final = 24
VIEW_SUBMIT: Final = 24
VIEW_CLOSE: Final = 24
PRIVATE_METADATA: Final = 3_000
CALLBACK_ID: Final = 255
VIEW_BYTES: Final = 250_000  # a whole view, as JSON (view_too_large)
VIEW_STACK_DEPTH: Final = 3  # a modal stack: the root plus two pushed views (push_limit_reached)

__all__ = [
    "BLOCKS_TOO_LONG",
    "INVALID",
    "MESSAGE_BLOCK_TEXT",
    "NO_FALLBACK_TEXT",
    "NO_TEXT",
    "VIEW_BLOCKS",
    "VIEW_STACK_DEPTH",
    "VIEW_TOO_LARGE",
    "Problem",
    "message_problems",
    "validate_message",
    "validate_view",
    "view_problems",
]

# Problem codes: the fake Slack maps them to the error Slack would answer with.
INVALID: Final = "invalid"  # -> invalid_blocks (messages) / invalid_arguments (views)
BLOCKS_TOO_LONG: Final = "msg_blocks_too_long"
VIEW_TOO_LARGE: Final = "view_too_large"
NO_FALLBACK_TEXT: Final = "no_fallback_text"  # Slack only warns; Parley treats it as an error
NO_TEXT: Final = "no_text"  # neither text nor blocks

PLAIN: Final = frozenset({"plain_text"})
ANY_TEXT: Final = frozenset({"plain_text", "mrkdwn"})
TEXT_OBJECT_KEYS: Final = {"plain_text": {"type", "text", "emoji"}, "mrkdwn": {"type", "text", "verbatim"}}
GENERIC_TEXT: Final = 3_000  # Slack's cap for a text object where no tighter limit is documented
OVERFLOW_OPTIONS: Final = 5
CHOICE_OPTIONS: Final = 10  # checkboxes and radio buttons
CONFIRM_BUTTON: Final = 30
IMAGE_ALT_TEXT: Final = 2_000
IMAGE_URL: Final = 3_000

_sdk_logger = logging.getLogger(__name__)
_V = TypeVar("_V")


@dataclass(frozen=True)
class Problem:
    """One defect, located by a JSON pointer like Slack's ``[json-pointer:...]`` suffix."""

    pointer: str
    message: str
    code: str = INVALID

    def __str__(self) -> str:
        return f"{self.message} [json-pointer:{self.pointer}]"


@dataclass
class _Walk:
    """Collects problems and the ids seen so far on one surface (message or view)."""

    problems: list[Problem] = field(default_factory=list)
    block_ids: set[str] = field(default_factory=set)
    action_ids: set[str] = field(default_factory=set)  # reset per block: Slack's uniqueness scope

    def add(self, pointer: str, message: str, code: str = INVALID) -> None:
        self.problems.append(Problem(pointer, message, code))


# ---------------------------------------------------------------------------------------------- rules
# A rule checks one key of a dict it is handed; blocks and elements are tables of rules.


def _too_long(limit: int) -> str:
    return f"must be less than {limit + 1} characters"


def _check_str(w: _Walk, value: Any, ptr: str, limit: int | None, min_len: int = 0) -> bool:
    if not isinstance(value, str):
        w.add(ptr, "expected a string")
        return False
    if len(value) < min_len:
        w.add(ptr, f"must be more than {min_len - 1} characters")
    elif limit is not None and len(value) > limit:
        w.add(ptr, _too_long(limit))
    return True


def _check_text_object(w: _Walk, value: Any, ptr: str, kinds: frozenset[str], limit: int) -> None:
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
        _check_str(w, value["text"], f"{ptr}/text", limit, min_len=1)


@dataclass(frozen=True)
class Required:
    keys: tuple[str, ...]

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        for key in self.keys:
            if key not in obj:
                w.add(ptr, f"missing required field: {key}")


@dataclass(frozen=True)
class AnyOf:
    """At least one of the keys (section text/fields, select options/option_groups)."""

    keys: tuple[str, ...]

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if not any(key in obj for key in self.keys):
            w.add(ptr, f"must provide one of: {', '.join(self.keys)}")


def _present(w: _Walk, obj: dict[Any, Any], ptr: str, key: str, required: bool) -> bool:
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

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if _present(w, obj, ptr, self.key, self.required):
            _check_str(w, obj[self.key], f"{ptr}/{self.key}", self.limit)


@dataclass(frozen=True)
class Bool:
    key: str

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj and not isinstance(obj[self.key], bool):
            w.add(f"{ptr}/{self.key}", "expected a boolean")


@dataclass(frozen=True)
class IntRange:
    key: str
    lo: int
    hi: int | None = None

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
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

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        low, high = obj.get("min_length"), obj.get("max_length")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            w.add(f"{ptr}/min_length", "must be less than or equal to max_length")


@dataclass(frozen=True)
class Enum:
    key: str
    values: frozenset[str]

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj and (not isinstance(obj[self.key], str) or obj[self.key] not in self.values):
            w.add(f"{ptr}/{self.key}", f"must be a valid enum value: one of {', '.join(sorted(self.values))}")


@dataclass(frozen=True)
class Text:
    key: str
    kinds: frozenset[str]
    limit: int
    required: bool = False

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if _present(w, obj, ptr, self.key, self.required):
            _check_text_object(w, obj[self.key], f"{ptr}/{self.key}", self.kinds, self.limit)


@dataclass(frozen=True)
class SelfText:
    """The object itself is a text object (text elements of a context block)."""

    kinds: frozenset[str]
    limit: int
    key: str = "text"

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        _check_text_object(w, obj, ptr, self.kinds, self.limit)


def _check_list(w: _Walk, obj: dict[Any, Any], key: str, ptr: str, lo: int, hi: int) -> list[Any] | None:
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

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj and (items := _check_list(w, obj, self.key, ptr, 1, self.max_items)) is not None:
            for i, item in enumerate(items):
                _check_text_object(w, item, f"{ptr}/{self.key}/{i}", self.kinds, self.limit)


@dataclass(frozen=True)
class ActionId:
    """``action_id``: optional, ≤ 255, unique within its block (Slack's scope for action ids)."""

    key: str = "action_id"

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key not in obj:
            return
        value = obj[self.key]
        if _check_str(w, value, f"{ptr}/{self.key}", ID_LENGTH, min_len=1):
            if value in w.action_ids:
                w.add(f"{ptr}/{self.key}", f"duplicate action_id {value!r} in this block")
            w.action_ids.add(value)


def _check_option(w: _Walk, option: Any, ptr: str, kinds: frozenset[str]) -> None:
    if not isinstance(option, dict):
        w.add(ptr, "expected an option object")
        return
    for rule in _option_rules(kinds):
        rule.check(w, option, ptr)
    _check_extra_keys(w, option, ptr, {"text", "value", "description", "url"})


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

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj and (items := _check_list(w, obj, self.key, ptr, self.min_items, self.max_items)):
            for i, option in enumerate(items):
                _check_option(w, option, f"{ptr}/{self.key}/{i}", self.kinds)


@dataclass(frozen=True)
class OptionGroups:
    key: str = "option_groups"

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
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
            _check_extra_keys(w, group, gptr, {"label", "options"})


@dataclass(frozen=True)
class OneOption:
    key: str
    kinds: frozenset[str] = PLAIN

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key in obj:
            _check_option(w, obj[self.key], f"{ptr}/{self.key}", self.kinds)


@dataclass(frozen=True)
class Confirm:
    key: str = "confirm"

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if self.key not in obj:
            return
        cptr, dialog = f"{ptr}/{self.key}", obj[self.key]
        if not isinstance(dialog, dict):
            w.add(cptr, "expected a confirmation dialog object")
            return
        for rule in CONFIRM_RULES:
            rule.check(w, dialog, cptr)
        _check_extra_keys(w, dialog, cptr, {"title", "text", "confirm", "deny", "style"})


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

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if _present(w, obj, ptr, self.key, self.required):
            _check_element(w, obj[self.key], f"{ptr}/{self.key}", self.types)


@dataclass(frozen=True)
class Children:
    key: str
    types: frozenset[str]
    max_items: int
    required: bool = True

    def check(self, w: _Walk, obj: dict[Any, Any], ptr: str) -> None:
        if not _present(w, obj, ptr, self.key, self.required):
            return
        for i, item in enumerate(_check_list(w, obj, self.key, ptr, 1, self.max_items) or ()):
            _check_element(w, item, f"{ptr}/{self.key}/{i}", self.types)


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


def _check_extra_keys(w: _Walk, obj: dict[Any, Any], ptr: str, known: set[str] | frozenset[str]) -> None:
    for extra in sorted(str(k) for k in obj if k not in known):
        w.add(ptr, f"invalid additional property: {extra}")


# ---------------------------------------------------------------------------------------------- tables


def _keys(names: str) -> frozenset[str]:
    return frozenset(names.split())


SELECTS: Final = frozenset(
    {"static_select", "external_select", "users_select", "conversations_select", "channels_select"}
)
MULTI_SELECTS: Final = frozenset(f"multi_{s}" for s in SELECTS)
PICKERS: Final = frozenset({"datepicker", "timepicker", "datetimepicker"})
CHOICES: Final = frozenset({"checkboxes", "radio_buttons"})
TEXT_INPUTS: Final = frozenset(
    {
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "file_input",
    }
)
ACCESSORY_TYPES: Final = (
    frozenset({"button", "image", "overflow", "workflow_button", "datepicker", "timepicker"})
    | SELECTS
    | MULTI_SELECTS
    | CHOICES
)
ACTION_TYPES: Final = (
    frozenset({"button", "overflow", "workflow_button", "rich_text_input"})
    | SELECTS
    | MULTI_SELECTS
    | PICKERS
    | CHOICES
)
INPUT_TYPES: Final = SELECTS | MULTI_SELECTS | PICKERS | CHOICES | TEXT_INPUTS
CONTEXT_TYPES: Final = frozenset({"image", "plain_text", "mrkdwn"})

_INTERACTIVE: Final = frozenset({"focus_on_load"})
_PLACEHOLDER: Final = Text("placeholder", PLAIN, PLACEHOLDER)
_SELECT_COMMON: Final = (ActionId(), _PLACEHOLDER, Confirm())
_SELECT_EXTRA: Final = {
    "static_select": (
        AnyOf(("options", "option_groups")),
        Options("options", SELECT_OPTIONS),
        OptionGroups(),
        OneOption("initial_option"),
    ),
    "external_select": (OneOption("initial_option"), IntRange("min_query_length", 0)),
    "users_select": (Str("initial_user"),),
    "conversations_select": (Str("initial_conversation"),),
    "channels_select": (Str("initial_channel"),),
}
_SELECT_OPTIONAL: Final = _INTERACTIVE | _keys(
    "filter default_to_current_conversation response_url_enabled initial_users initial_conversations"
    " initial_channels initial_options"
)


def _select_specs() -> dict[str, Spec]:
    specs: dict[str, Spec] = {}
    for name in SELECTS:
        extra = _SELECT_EXTRA[name]
        specs[name] = Spec((*_SELECT_COMMON, *extra), _SELECT_OPTIONAL)
        multi = tuple(r for r in extra if not isinstance(r, OneOption | Str))
        if name == "static_select":
            multi += (Options("initial_options", SELECT_OPTIONS),)
        specs[f"multi_{name}"] = Spec(
            (*_SELECT_COMMON, *multi, IntRange("max_selected_items", 1)), _SELECT_OPTIONAL
        )
    return specs


ELEMENTS: Final[dict[str, Spec]] = {
    "button": Spec(
        (
            Text("text", PLAIN, BUTTON_TEXT, required=True),
            ActionId(),
            Str("value", BUTTON_VALUE),
            Str("url", BUTTON_URL),
            Enum("style", frozenset({"primary", "danger"})),
            Confirm(),
            Str("accessibility_label", BUTTON_TEXT),
        )
    ),
    "workflow_button": Spec(
        (
            Text("text", PLAIN, BUTTON_TEXT, required=True),
            ActionId(),
            Required(("workflow",)),
            Enum("style", frozenset({"primary", "danger"})),
            Str("accessibility_label", BUTTON_TEXT),
        )
    ),
    "overflow": Spec(
        (ActionId(), Required(("options",)), Options("options", OVERFLOW_OPTIONS, min_items=1), Confirm())
    ),
    "checkboxes": Spec(
        (
            ActionId(),
            Required(("options",)),
            Options("options", CHOICE_OPTIONS, ANY_TEXT),
            Options("initial_options", CHOICE_OPTIONS, ANY_TEXT),
            Confirm(),
        ),
        _INTERACTIVE,
    ),
    "radio_buttons": Spec(
        (
            ActionId(),
            Required(("options",)),
            Options("options", CHOICE_OPTIONS, ANY_TEXT),
            OneOption("initial_option", ANY_TEXT),
            Confirm(),
        ),
        _INTERACTIVE,
    ),
    "datepicker": Spec((ActionId(), _PLACEHOLDER, Str("initial_date", 10), Confirm()), _INTERACTIVE),
    "timepicker": Spec(
        (ActionId(), _PLACEHOLDER, Str("initial_time", 5), Confirm(), Str("timezone")), _INTERACTIVE
    ),
    "datetimepicker": Spec((ActionId(), IntRange("initial_date_time", 0), Confirm()), _INTERACTIVE),
    "plain_text_input": Spec(
        (
            ActionId(),
            _PLACEHOLDER,
            Str("initial_value", PLAIN_TEXT_INPUT_MAX),
            Bool("multiline"),
            IntRange("min_length", 0, PLAIN_TEXT_INPUT_MAX),
            IntRange("max_length", 1, PLAIN_TEXT_INPUT_MAX),
            LengthOrder(),
        ),
        _INTERACTIVE | {"dispatch_action_config"},
    ),
    "email_text_input": Spec(
        (ActionId(), _PLACEHOLDER, Str("initial_value")), _INTERACTIVE | {"dispatch_action_config"}
    ),
    "url_text_input": Spec(
        (ActionId(), _PLACEHOLDER, Str("initial_value")), _INTERACTIVE | {"dispatch_action_config"}
    ),
    "number_input": Spec(
        (
            ActionId(),
            _PLACEHOLDER,
            Required(("is_decimal_allowed",)),
            Bool("is_decimal_allowed"),
            Str("initial_value"),
            Str("min_value"),
            Str("max_value"),
        ),
        _INTERACTIVE | {"dispatch_action_config"},
    ),
    "rich_text_input": Spec(
        (ActionId(), _PLACEHOLDER), _INTERACTIVE | {"initial_value", "dispatch_action_config"}
    ),
    "file_input": Spec((ActionId(), IntRange("max_files", 1, 10)), frozenset({"filetypes"})),
    "image": Spec(
        (
            Str("alt_text", IMAGE_ALT_TEXT, required=True),
            AnyOf(("image_url", "slack_file")),
            Str("image_url", IMAGE_URL),
        ),
        frozenset({"slack_file"}),
    ),
    "plain_text": Spec((SelfText(PLAIN, GENERIC_TEXT),), frozenset({"emoji"})),
    "mrkdwn": Spec((SelfText(ANY_TEXT, GENERIC_TEXT),), frozenset({"verbatim"})),
    **_select_specs(),
}

BLOCKS: Final[dict[str, Spec]] = {
    "section": Spec(
        (
            AnyOf(("text", "fields")),
            Text("text", ANY_TEXT, SECTION_TEXT),
            TextList("fields", ANY_TEXT, SECTION_FIELDS, SECTION_FIELD_TEXT),
            Child("accessory", ACCESSORY_TYPES),
            Bool("expand"),
        )
    ),
    "divider": Spec(),
    "header": Spec((Text("text", PLAIN, HEADER_TEXT, required=True),)),
    "context": Spec((Children("elements", CONTEXT_TYPES, CONTEXT_ELEMENTS),)),
    "actions": Spec((Children("elements", ACTION_TYPES, ACTIONS_ELEMENTS),)),
    "input": Spec(
        (
            Text("label", PLAIN, INPUT_LABEL, required=True),
            Text("hint", PLAIN, INPUT_HINT),
            Child("element", INPUT_TYPES, required=True),
            Bool("optional"),
            Bool("dispatch_action"),
        )
    ),
    "image": Spec(
        (
            Str("alt_text", IMAGE_ALT_TEXT, required=True),
            AnyOf(("image_url", "slack_file")),
            Str("image_url", IMAGE_URL),
            Text("title", PLAIN, IMAGE_ALT_TEXT),
        ),
        frozenset({"slack_file"}),
    ),
    "rich_text": Spec((Required(("elements",)),), frozenset({"elements"})),
    "markdown": Spec((Str("text", MESSAGE_BLOCK_TEXT, required=True),)),
    "file": Spec((Required(("external_id", "source")),), frozenset({"external_id", "source"})),
    "video": Spec(
        (Required(("alt_text", "title", "video_url", "thumbnail_url")), Text("title", PLAIN, 200)),
        _keys("alt_text video_url thumbnail_url author_name description provider_icon_url provider_name")
        | {"title_url"},
    ),
    "table": Spec((Required(("rows",)),), frozenset({"rows", "column_settings"})),
}

MESSAGE_BLOCK_TYPES: Final = frozenset(BLOCKS)
VIEW_BLOCK_TYPES: Final = frozenset(BLOCKS) - {"markdown", "file", "table"}
VIEW_KEYS: Final = _keys(
    "type title blocks close submit private_metadata callback_id clear_on_close notify_on_close external_id"
    " submit_disabled"
)

# ---------------------------------------------------------------------------------------------- walk


def _spec_of(
    w: _Walk,
    obj: Any,
    ptr: str,
    specs: Mapping[str, Spec],
    allowed: frozenset[str],
    an: str,
    noun: str,
    where: str,
) -> Spec | None:
    """The rules for an element or block by its ``type``; None (reported) when it is not an object,
    its type is unknown or missing, or that type is not ``allowed`` ``where`` it is."""
    if not isinstance(obj, dict):
        w.add(ptr, f"expected {an} object")
        return None
    kind = obj.get("type")
    spec = specs.get(kind) if isinstance(kind, str) else None
    if spec is None:
        w.add(ptr, f"unknown {noun} type {kind!r}" if "type" in obj else "missing required field: type")
        return None
    if kind not in allowed:
        w.add(ptr, f"{noun} type {kind!r} is not allowed {where}")
        return None
    return spec


def _check_element(w: _Walk, element: Any, ptr: str, allowed: frozenset[str]) -> None:
    spec = _spec_of(w, element, ptr, ELEMENTS, allowed, "an element", "element", "here")
    if spec is None:
        return
    for rule in spec.rules:
        rule.check(w, element, ptr)
    if not any(isinstance(rule, SelfText) for rule in spec.rules):  # text objects check their own keys
        _check_extra_keys(w, element, ptr, spec.known)


def _check_block(w: _Walk, block: Any, ptr: str, allowed: frozenset[str]) -> None:
    spec = _spec_of(w, block, ptr, BLOCKS, allowed, "a block", "block", "on this surface")
    if spec is None:
        return
    before = len(w.problems)
    if "block_id" in block and _check_str(w, block_id := block["block_id"], f"{ptr}/block_id", ID_LENGTH, 1):
        if block_id in w.block_ids:
            w.add(f"{ptr}/block_id", f"duplicate block_id {block_id!r}")
        w.block_ids.add(block_id)
    w.action_ids = set()
    for rule in spec.rules:
        rule.check(w, block, ptr)
    _check_extra_keys(w, block, ptr, spec.known | {"block_id"})
    if len(w.problems) == before:  # slack-sdk as a second opinion, only where ours found nothing
        _sdk_check_block(w, ptr, block)


def _json_key(value: Any) -> str | None:
    """The exact JSON text of ``value``, or None if it is not plain JSON (then nothing is cached)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None


class _Verdicts:
    """Verdicts remembered by the JSON text they were reached on (they depend on nothing else).

    Apps send the same blocks over and over (a modal's fixed fields, a message's footer), and the
    fake Slack validates every call, so without this a busy benchmark would spend much of its shared
    CPU re-validating identical JSON — work real Slack does on its own servers. Bounded: when full it
    starts over.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._seen: dict[str, Any] = {}

    def get(self, key: str | None, decide: Callable[[], _V]) -> _V:
        if key is None:
            return decide()
        try:
            return cast(_V, self._seen[key])
        except KeyError:
            verdict = decide()
            if len(self._seen) >= self._size:
                self._seen.clear()
            self._seen[key] = verdict
            return verdict


_SDK_VERDICTS = _Verdicts(4096)  # block JSON → slack-sdk's complaint, "" for none
_SURFACE_VERDICTS = _Verdicts(1024)  # view or message JSON → its problems


def _sdk_check_block(w: _Walk, ptr: str, block: dict[str, Any]) -> None:
    """slack-sdk's verdict on one block (building its models costs far more than our own rules)."""

    def decide() -> str:
        scratch = _Walk()
        _sdk_check(scratch, ptr, lambda: Block.parse(block).to_dict())  # type: ignore[union-attr]
        return scratch.problems[0].message if scratch.problems else ""

    if verdict := _SDK_VERDICTS.get(_json_key(block), decide):
        w.add(ptr, verdict)


def _sdk_check(w: _Walk, ptr: str, build: Any) -> None:
    """Run a slack-sdk model's validators; its exceptions become problems, never escape."""
    try:
        build()
    except SlackObjectFormationError as error:
        w.add(ptr, f"{error} (slack-sdk)")
    except Exception as error:  # arbitrary input may break the sdk's constructors in any way
        _sdk_logger.debug("slack-sdk could not build %s: %r", ptr, error)
        w.add(ptr, f"malformed: {type(error).__name__}: {error} (slack-sdk)")


def _texts(node: Any) -> Iterator[str]:
    """Every string of text a reader sees, for Slack's total-length limit (iterative: input may be deep)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") in ("plain_text", "mrkdwn", "text", "markdown") and isinstance(
                item.get("text"), str
            ):
                yield item["text"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _check_blocks(w: _Walk, blocks: Any, ptr: str, max_blocks: int, allowed: frozenset[str]) -> None:
    if not isinstance(blocks, list):
        w.add(ptr, "expected an array")
        return
    if len(blocks) > max_blocks:
        w.add(ptr, f"no more than {max_blocks} items allowed")
    for i, block in enumerate(blocks):
        _check_block(w, block, f"{ptr}/{i}", allowed)


# ---------------------------------------------------------------------------------------------- public


def message_problems(blocks: Any, text: Any) -> list[Problem]:
    """Problems of a message (``chat.postMessage`` / ``chat.update`` / ``chat.postEphemeral`` args)."""
    key = _json_key(["message", blocks, text])
    return list(_SURFACE_VERDICTS.get(key, lambda: tuple(_message_problems(blocks, text))))


def _message_problems(blocks: Any, text: Any) -> list[Problem]:
    w = _Walk()
    if text is not None and not isinstance(text, str):
        w.add("/text", "expected a string")
    has_text = isinstance(text, str) and text.strip() != ""
    if blocks is None or blocks == []:
        if not has_text:
            w.add("/text", "missing required field: text (or blocks)", NO_TEXT)
        return w.problems
    _check_blocks(w, blocks, "/blocks", MESSAGE_BLOCKS, MESSAGE_BLOCK_TYPES)
    if isinstance(blocks, list) and (total := sum(len(t) for t in _texts(blocks))) > MESSAGE_BLOCK_TEXT:
        w.add(
            "/blocks",
            f"blocks carry {total} characters of text, more than {MESSAGE_BLOCK_TEXT}",
            BLOCKS_TOO_LONG,
        )
    if not has_text:
        w.add(
            "/text",
            "missing fallback text: set `text` whenever sending blocks (notifications, screen readers)",
            NO_FALLBACK_TEXT,
        )
    return w.problems


VIEW_RULES: Final = (
    Text("title", PLAIN, VIEW_TITLE),
    Text("submit", PLAIN, VIEW_SUBMIT),
    Text("close", PLAIN, VIEW_CLOSE),
    Str("private_metadata", PRIVATE_METADATA),
    Str("callback_id", CALLBACK_ID),
    Str("external_id", ID_LENGTH),
    Bool("clear_on_close"),
    Bool("notify_on_close"),
    Bool("submit_disabled"),
)


def view_problems(view: Any) -> list[Problem]:
    """Problems of a modal or Home tab view (``views.open/push/update/publish``), pointers under ``/view``."""
    key = _json_key(["view", view])
    return list(_SURFACE_VERDICTS.get(key, lambda: tuple(_view_problems(view))))


def _view_problems(view: Any) -> list[Problem]:
    w = _Walk()
    if not isinstance(view, dict):
        w.add("/view", "expected a view object")
        return w.problems
    try:
        size = len(json.dumps(view, ensure_ascii=False, default=str).encode())
    except (TypeError, ValueError, RecursionError):
        size = 0
    if size > VIEW_BYTES:
        w.add("/view", f"view is {size} bytes, more than {VIEW_BYTES}", VIEW_TOO_LARGE)
    kind = view.get("type")
    if kind not in ("modal", "home"):
        w.add("/view/type", "must be a valid enum value: modal or home")
    if kind == "modal" and "title" not in view:
        w.add("/view", "missing required field: title")
    for rule in VIEW_RULES:
        rule.check(w, view, "/view")
    if kind == "home":
        for key in ("submit", "close"):
            if key in view:
                w.add(f"/view/{key}", "a home view cannot have submit or close")
    blocks = view.get("blocks")
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if kind == "modal" and "submit" not in view and has_input:
        w.add("/view", "missing required field: submit (required when the view has input blocks)")
    _check_extra_keys(w, view, "/view", VIEW_KEYS)
    if "blocks" not in view:
        w.add("/view", "missing required field: blocks")
    else:
        _check_blocks(w, blocks, "/view/blocks", VIEW_BLOCKS, VIEW_BLOCK_TYPES)
    if not w.problems:
        sdk_view = {k: v for k, v in view.items() if k in VIEW_KEYS and isinstance(k, str)}
        sdk_view["blocks"] = [DividerBlock()]  # blocks were validated one by one above
        _sdk_check(w, "/view", lambda: View(**sdk_view).validate_json())
    return w.problems


def validate_message(blocks: list[dict[str, Any]] | None, text: str | None) -> list[str]:
    """Human-readable problems of a message; empty means Slack (and Parley) would accept it."""
    return [str(p) for p in message_problems(blocks, text)]


def validate_view(view: dict[str, Any]) -> list[str]:
    """Human-readable problems of a view; empty means Slack would accept it."""
    return [str(p) for p in view_problems(view)]
