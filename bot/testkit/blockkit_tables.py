"""Block Kit's block and element types as tables of rules (:data:`ELEMENTS`, :data:`BLOCKS`).

Which keys each type takes and which element types may stand where (section accessory, actions,
input, context), from Slack's Block Kit reference.
"""

from __future__ import annotations

from typing import Final

from bot.testkit.blockkit_limits import (
    ACTIONS_ELEMENTS,
    BUTTON_TEXT,
    BUTTON_URL,
    BUTTON_VALUE,
    CHOICE_OPTIONS,
    CONTEXT_ELEMENTS,
    GENERIC_TEXT,
    HEADER_TEXT,
    IMAGE_ALT_TEXT,
    IMAGE_URL,
    INPUT_HINT,
    INPUT_LABEL,
    MESSAGE_BLOCK_TEXT,
    OVERFLOW_OPTIONS,
    PLACEHOLDER,
    PLAIN_TEXT_INPUT_MAX,
    SECTION_FIELD_TEXT,
    SECTION_FIELDS,
    SECTION_TEXT,
    SELECT_OPTIONS,
)
from bot.testkit.blockkit_rules import (
    ANY_TEXT,
    PLAIN,
    ActionId,
    AnyOf,
    Bool,
    Child,
    Children,
    Confirm,
    Enum,
    IntRange,
    LengthOrder,
    OneOption,
    OptionGroups,
    Options,
    Required,
    SelfText,
    Spec,
    Str,
    Text,
    TextList,
)


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
