"""Render the package's Jinja2 templates into Slack payloads that are safe and within Block Kit's limits.

Templates are JSON documents with ``{{ … }}`` inside JSON string literals. Escaping is automatic and
happens in ``finalize``, which Jinja applies to the result of every ``{{ … }}``:

* a ``str`` is mrkdwn-escaped (``& < >``) and JSON-string-encoded, so user text can neither ping
  (``<!channel>``), link (``<https://evil|click>``) nor break the payload (``"``, ``\\``, newlines);
* ``Trusted`` (from ``mention``/``channel``/``link``/``date`` or Python's ``trusted()``) and ``Plain``
  (``|plain``) are JSON-encoded only; ``Encoded`` (macro output, ``|tojson``) is passed through;
* numbers render as their digits; ``None``, booleans and any other object are errors, like an undefined
  name under ``StrictUndefined``: a missing value is a bug upstream, not something to print as "None".

Why ``finalize`` plus marker types rather than ``autoescape`` with a custom ``Markup``: Jinja's compiled
code calls ``markupsafe.escape`` and ``markup_join`` directly, so autoescape can only ever do HTML
escaping — it turns ``"`` into ``&#34;`` (shown literally by Slack), leaves ``\\`` and control characters
raw (broken JSON), and trusts anything with ``__html__``. ``finalize`` is one function we own. The one
thing autoescape did for us — not re-escaping macro output — is done by the sandbox's ``call`` hook,
which marks what a macro returns as ``Encoded``. Any other string operation (``~``, filters, block
``set``) yields a plain ``str`` that is escaped again: mistakes over-escape, they never under-escape.

``plain_text`` text objects get the same escaping as ``mrkdwn``. Slack's formatting reference says
``&``, ``<`` and ``>`` are control characters "in text objects" and that exactly these three entities
are decoded for display, so ``&amp;`` shows as ``&`` in a button or modal title too, and one rule for
every displayed field leaves nothing to get wrong per field. (The docs do not single out plain_text;
should a client ever show ``&amp;`` there literally, ``|plain`` is safe in plain_text, which Slack never
parses for ``<…>`` sequences.) ``|plain`` is for the string fields that are *not* text objects —
``initial_value``, ``url`` — which Slack neither parses nor decodes and which come back to us verbatim:
escaping them would corrupt what the user typed.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import jinja2
from jinja2.runtime import BlockReference, Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from templates.escape import (
    SENTINEL_PATTERN,
    Encoded,
    Plain,
    Trusted,
    encode_json_string,
    mark_user_text,
    resolve_markers,
)
from templates.field_limits import FIELD_LIMITS
from templates.fit import fit_message, fit_view
from templates.ids import TEMPLATE_IDS
from templates.mrkdwn import channel, date, link, mention

__all__ = [
    "SUFFIX",
    "Message",
    "TemplateError",
    "environment",
    "make_environment",
    "render_message",
    "render_view",
    "resolve_fields",
    "template_names",
]

SUFFIX: Final = ".json.j2"
_NAME = re.compile(r"[a-z][a-z0-9_]*(?:/[a-z][a-z0-9_]*)*")
# Builtins that produce HTML or bypass escaping: removed so using one is a compile-time error.
_REMOVED_FILTERS: Final = ("safe", "escape", "e", "forceescape", "urlize", "xmlattr", "tojson")
_VIEW_TYPES: Final = frozenset({"modal", "home"})
_PLAIN_DATA: Final = frozenset({str, int, float, bool, type(None), Decimal})


class TemplateError(jinja2.TemplateError):
    """A template or its use is wrong (bad JSON, a ``None`` value, a wrong shape) — a bug, not bad input."""


@dataclass(frozen=True, slots=True)
class Message:
    """A message payload: ``text`` is the notification and screen-reader fallback for ``blocks``."""

    text: str
    blocks: list[dict[str, Any]]

    def as_kwargs(self) -> dict[str, Any]:
        """``client.chat_postMessage(channel=…, **message.as_kwargs())``."""
        return {"text": self.text, "blocks": self.blocks}


def _finalize(value: Any) -> str:
    if isinstance(value, Encoded):
        return value
    if isinstance(value, Trusted | Plain):
        return encode_json_string(value)
    if isinstance(value, str):
        return encode_json_string(mark_user_text(value))
    if isinstance(value, jinja2.Undefined):
        return str(value)  # StrictUndefined raises here, naming what was missing
    if value is None:
        raise TemplateError("a value rendered as None; guard optional values with {% if %} or `or`")
    if isinstance(value, bool):
        raise TemplateError("a boolean has no text; branch on it with {% if %}")
    if isinstance(value, int | float | Decimal):
        return str(value)
    raise TemplateError(
        f"cannot render a {type(value).__name__} as text; convert it first (date(), |tojson, …)"
    )


def _plain(value: Any) -> Plain:
    """``|plain``: JSON-encode only, for fields that are not text objects (``initial_value``, ``url``)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise TemplateError(f"|plain takes text or a number, not {type(value).__name__}")
    return Plain(str(value))


def _tojson(value: Any) -> Encoded:
    """``|tojson``: a JSON document as the content of a JSON string, e.g. a button ``value``.

    ``& < >`` are written as ``\\u0026 \\u003c \\u003e`` — the same data once parsed, and no mrkdwn control
    character even if the value were ever displayed.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"|tojson: {exc}") from exc
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Encoded(encode_json_string(text))


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, plus: what a macro or block returns is already escaped, so mark it ``Encoded``."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Reading plain data — an id (StrEnum), a form field — can neither call nor change anything,
        # so it skips the sandbox's general checks, which cost a quarter of a modal's rendering.
        if type(value) in _PLAIN_DATA or isinstance(value, Enum):
            return not attr.startswith("_")
        return bool(super().is_safe_attribute(obj, attr, value))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        rv = super().call(context, obj, *args, **kwargs)
        return Encoded(rv) if isinstance(obj, Macro | BlockReference) else rv


def make_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """A sandboxed, escaping environment over ``loader``; the package's own is ``environment()``."""
    env = _Sandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        finalize=_finalize,
        auto_reload=False,
    )
    for name in _REMOVED_FILTERS:
        del env.filters[name]
    env.filters.update(mention=mention, channel=channel, plain=_plain, tojson=_tojson)
    env.globals.update(
        mention=mention, channel=channel, link=link, date=date, ids=TEMPLATE_IDS, field_limits=FIELD_LIMITS
    )
    return env


@functools.cache
def environment() -> jinja2.Environment:
    """The environment over this package's templates (package data, so it works from any install)."""
    return make_environment(jinja2.PackageLoader(__package__ or "templates", ""))


def template_names() -> list[str]:
    """Every renderable template, e.g. ``"messages/help"``; files or folders named ``_…`` are partials."""
    return sorted(
        name.removesuffix(SUFFIX)
        for name in environment().list_templates()
        if name.endswith(SUFFIX) and not any(part.startswith("_") for part in name.split("/"))
    )


class _BadJson(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _BadJson(f"duplicate key in {[key for key, _ in pairs]}")
    return result


def _reject_constant(name: str) -> Any:
    raise _BadJson(f"{name} is not a JSON value")


def resolve_fields(node: Any, *, mrkdwn: bool = False) -> Any:
    """User text's markers resolved by where it landed: guarded in a mrkdwn ``text`` (a message's
    top-level ``text`` or a ``mrkdwn`` text object), raw everywhere else (plain_text, ids, values)."""
    if isinstance(node, str):
        return resolve_markers(node, mrkdwn=mrkdwn)
    if isinstance(node, list):
        return [resolve_fields(item) for item in node]
    if isinstance(node, dict):
        formatted = node.get("type") in (None, "mrkdwn")
        return {key: resolve_fields(value, mrkdwn=key == "text" and formatted) for key, value in node.items()}
    return node


def _render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> Any:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise TemplateError(f"bad template name {name!r}; names look like 'messages/help'")
    try:
        source = env.get_template(name + SUFFIX).render(context)
    except Exception as exc:
        exc.add_note(f"while rendering template {name!r}")
        raise
    try:
        data = json.loads(source, object_pairs_hook=_object, parse_constant=_reject_constant)
        return resolve_fields(data) if SENTINEL_PATTERN.search(source) else data
    except json.JSONDecodeError as exc:
        near = source[max(0, exc.pos - 40) : exc.pos + 40]
        raise TemplateError(
            f"template {name!r} rendered invalid JSON ({exc.msg}, line {exc.lineno} column {exc.colno}, "
            f"near {near!r}); this is a bug in the template, not in its input"
        ) from exc
    except _BadJson as exc:
        raise TemplateError(f"template {name!r} rendered bad JSON: {exc}") from exc


def _fit(name: str, fit: Any, data: dict[str, Any]) -> None:
    try:
        fit(data)
    except ValueError as exc:
        exc.add_note(f"while fitting template {name!r} to Block Kit's limits")
        raise


def _message(env: jinja2.Environment, name: str, context: dict[str, Any]) -> Message:
    data = _render(env, name, context)
    if not (isinstance(data, dict) and set(data) == {"text", "blocks"} and isinstance(data["blocks"], list)):
        keys = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise TemplateError(f"message template {name!r} must render {{'text', 'blocks'}}, got {keys}")
    _fit(name, fit_message, data)
    return Message(text=data["text"], blocks=data["blocks"])


def _view(env: jinja2.Environment, name: str, context: dict[str, Any]) -> dict[str, Any]:
    data = _render(env, name, context)
    if not (
        isinstance(data, dict) and data.get("type") in _VIEW_TYPES and isinstance(data.get("blocks"), list)
    ):
        raise TemplateError(f"view template {name!r} must render a modal or home view with a blocks list")
    if data["type"] == "modal" and not isinstance(data.get("title"), dict):
        raise TemplateError(f"modal template {name!r} has no title")
    _fit(name, fit_view, data)
    return data


def render_message(name: str, /, **context: Any) -> Message:
    """Render ``templates/<name>.json.j2`` (``{"text": …, "blocks": […]}``) and fit it to Slack's limits.

    Raises ``TemplateError`` for a template bug, ``fit.LimitError`` for an id or value too long to send,
    and ``ValueError`` from ``mention``/``link``/``date`` for an invalid id or URL.
    """
    return _message(environment(), name, context)


def render_view(name: str, /, **context: Any) -> dict[str, Any]:
    """Render a modal or Home tab view (``{"type": "modal" | "home", …}``) and fit it to Slack's limits."""
    return _view(environment(), name, context)
