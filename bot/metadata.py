"""Typed ``private_metadata`` and button values: small dataclasses serialised to JSON in one place.

Slack hands these strings back verbatim, but anyone can forge a payload signed by nobody — so parsing
is strict (unknown shapes raise :class:`MetadataError`) and authorisation never trusts them alone.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from typing import Any, TypeVar

from templates.limits import PRIVATE_METADATA

T = TypeVar("T")


class MetadataError(ValueError):
    """The metadata or button value is not what this handler expects."""


def dump(value: Any, limit: int = PRIVATE_METADATA) -> str:
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        raise TypeError("metadata must be a dataclass instance")
    text = json.dumps(dataclasses.asdict(value), separators=(",", ":"), sort_keys=True)
    if len(text) > limit:
        raise MetadataError(f"metadata is {len(text)} characters, over Slack's limit of {limit}")
    return text


def load(cls: type[T], raw: str | None) -> T:
    if not raw:
        raise MetadataError(f"missing {cls.__name__} metadata")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise MetadataError(f"{cls.__name__} metadata is not JSON") from error
    if not isinstance(data, dict):
        raise MetadataError(f"{cls.__name__} metadata is not an object")
    fields = {field.name: field for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - set(fields)
    if unknown:
        raise MetadataError(f"{cls.__name__} metadata has unknown keys: {sorted(unknown)}")
    hints = typing.get_type_hints(cls)
    for name, value in data.items():
        if not _is_instance(value, hints[name]):
            raise MetadataError(f"{cls.__name__}.{name} has the wrong type")
    try:
        return cls(**data)
    except TypeError as error:
        raise MetadataError(f"{cls.__name__} metadata is incomplete: {error}") from error


def _is_instance(value: Any, hint: Any) -> bool:
    """Enough of a type check for JSON scalars, optionals and lists of scalars."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_is_instance(value, arg) for arg in typing.get_args(hint))
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and all(_is_instance(v, item) for v in value)
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, hint)


@dataclass(frozen=True)
class NegotiationRef:
    """Button value / metadata naming one negotiation (authorisation still checks the owner)."""

    negotiation_id: int


@dataclass(frozen=True)
class DataSubject:
    """Whose data a my-data or Members screen acts on (authorisation re-checks who may)."""

    slack_user_id: str
    admin: bool = False
