"""Helpers for the template tests: hostile input, the sample-context registry, payload checks.

THE REGISTRY: every renderable template (``templates/<folder>/<name>.json.j2``) must have a sample-context
factory, registered with ``@sample("<folder>/<name>")`` here or, for a feature's templates, in
``tests/templates/samples/<feature>.py`` (imported automatically). A factory takes a ``Kit`` and returns a
hypothesis strategy of the keyword arguments the template takes, built only from the kit's strategies
(``kit.text`` for every user string, ``kit.many`` for every list, ``kit.user_id`` for ``mention``), so
that the same factory yields both hostile contexts and worst-case ones (10,000-character texts,
200-item lists).
``test_all_templates.py`` renders every template found in the package with those contexts and FAILS for
a template without a factory, so no template ships untested.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

import templates
from bot.testkit.blockkit import validate_message, validate_view
from templates.render import SUFFIX, Message, render_message, render_view

PACKAGE_DIR = Path(templates.__file__).parent

# ------------------------------------------------------------------------------------------ hostile input

HOSTILE_SNIPPETS = (
    "<!channel>", "<!here>", "<!everyone>", "<@U123>", "<@W0ABC|boss>", "<#C1>", "<#C0123|general>",
    "<https://evil.example|click>", "<http://evil.example>", "<mailto:a@evil.example|mail>",
    "<!subteam^S123>", "<!date^0^{date}|x>", "&amp;", "&lt;", "&gt;", "&", "<", ">", "<<", ">>",
    '"', "\\", '\\"', "\\u0022", "\n", "\r\n", "\t", "\x00", "\x1b", "\x7f", "\u2028", "\u202e", "\ufeff",
    "\ud800", "\udfff", "😀", "👩‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "e\u0301", "🇬🇧", "{{ 7*7 }}", "{% raw %}", "*bold*",
    "`", "```", "~", "_", "'", "%s", "{0}", " ", "",
)  # fmt: skip

snippets = st.sampled_from(HOSTILE_SNIPPETS)
huge_text = st.lists(st.one_of(snippets, st.text(min_size=1, max_size=4)), min_size=1, max_size=6).map(
    lambda parts: ("".join(parts) * 10_000)[:10_000]
)
hostile_text = st.one_of(
    snippets,
    st.text(max_size=30),
    st.lists(st.one_of(snippets, st.text(max_size=8)), min_size=1, max_size=12).map("".join),
    huge_text,
)


def many(item: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    """A short list, or one item repeated 200 times (the 'long list still renders' case)."""
    return st.one_of(st.lists(item, max_size=5), item.map(lambda x: [x] * 200))


# Ids a factory may pass for mention()/channel(); the only live tokens allowed in any output.
TEST_USER_IDS = ("UTESTER01", "WTESTER02")
TEST_CHANNEL_IDS = ("CTESTER01",)
ALLOWED_TOKENS = frozenset({f"<@{uid}>" for uid in TEST_USER_IDS} | {f"<#{cid}>" for cid in TEST_CHANNEL_IDS})


@dataclass(frozen=True)
class Kit:
    """What a sample factory builds contexts from; the tests run each factory with both kits below."""

    text: st.SearchStrategy[str]
    many: Callable[[st.SearchStrategy[Any]], st.SearchStrategy[list[Any]]]
    user_id: st.SearchStrategy[str] = field(default_factory=lambda: st.sampled_from(TEST_USER_IDS))
    channel_id: st.SearchStrategy[str] = field(default_factory=lambda: st.sampled_from(TEST_CHANNEL_IDS))


HOSTILE = Kit(text=hostile_text, many=many)
# Every text 10,000 characters, every list 200 items: the limits must hold even then.
WORST = Kit(text=huge_text, many=lambda item: item.map(lambda x: [x] * 200))

# ------------------------------------------------------------------------------------------ registry

SampleFactory = Callable[[Kit], st.SearchStrategy[dict[str, Any]]]
SAMPLES: dict[str, SampleFactory] = {}


def sample(name: str) -> Callable[[SampleFactory], SampleFactory]:
    """Register the sample-context factory for template ``name`` (e.g. ``"messages/help"``)."""

    def register(factory: SampleFactory) -> SampleFactory:
        assert name not in SAMPLES, f"two sample factories for {name}"
        SAMPLES[name] = factory
        return factory

    return register


@sample("messages/help")
def _help(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    row = st.tuples(kit.text, kit.text, kit.text)
    return st.fixed_dictionaries(
        {"command": st.one_of(st.just("/negotiate"), kit.text), "commands": kit.many(row)},
        optional={"unknown": kit.text},
    )


@sample("messages/dm_help")
def _dm_help(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    row = st.tuples(kit.text, kit.text, kit.text)
    return st.fixed_dictionaries(
        {"command": st.one_of(st.just("/negotiate"), kit.text), "commands": kit.many(row)}
    )


@sample("messages/notice")
def _notice(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"level": st.sampled_from(["info", "warning", "error"]), "title": kit.text, "body": kit.text},
        optional={"details": kit.many(kit.text)},
    )


@sample("views/loading")
def _loading(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"title": kit.text})


def _load_feature_samples() -> None:
    """Feature templates register their factories in ``tests/templates/samples/<feature>.py``."""
    for path in sorted((Path(__file__).parent / "samples").glob("*.py")):
        if path.stem != "__init__":
            importlib.import_module(f"tests.templates.samples.{path.stem}")


@pytest.fixture(scope="session")
def template_samples() -> dict[str, SampleFactory]:
    return SAMPLES


# ------------------------------------------------------------------------------------------ discovery


def template_files() -> list[str]:
    """Every ``*.j2`` file in the package as a template name, partials (``_…``) excluded.

    Read from the file system, not the loader, so a file the loader would miss still fails the tests.
    """
    names = []
    for path in sorted(PACKAGE_DIR.rglob("*.j2")):
        relative = path.relative_to(PACKAGE_DIR).as_posix()
        if not any(part.startswith("_") for part in relative.split("/")):
            names.append(relative.removesuffix(SUFFIX))
    return names


RENDERERS: dict[str, Callable[..., Any]] = {"messages": render_message, "views": render_view}


def render_any(name: str, context: dict[str, Any]) -> Message | dict[str, Any]:
    folder = name.split("/", 1)[0]
    if folder not in RENDERERS:
        pytest.fail(f"{name}: templates live in {sorted(RENDERERS)}/ (or are _partials)")
    return RENDERERS[folder](name, **context)


# ------------------------------------------------------------------------------------------ checks

# Keys whose strings Slack neither displays nor parses as mrkdwn (they come back to the app verbatim).
MACHINE_KEYS = frozenset(
    {
        "value",
        "initial_value",
        "private_metadata",
        "url",
        "action_id",
        "block_id",
        "callback_id",
        "external_id",
    }
)
LIVE_TOKEN = re.compile(r"<(?:[!@#]|[A-Za-z][A-Za-z0-9+.\-]*:)[^>]*>?")


def displayed_strings(node: Any, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from displayed_strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from displayed_strings(v, key)
    elif isinstance(node, str) and key not in MACHINE_KEYS:
        yield node


def live_tokens(payload: Message | dict[str, Any]) -> list[str]:
    """``<!…>``, ``<@…>``, ``<#…>``, ``<scheme:…>`` sequences that are not the test's own trusted ones."""
    node = payload.as_kwargs() if isinstance(payload, Message) else payload
    return [
        match.group()
        for text in displayed_strings(node)
        for match in LIVE_TOKEN.finditer(text)
        if match.group() not in ALLOWED_TOKENS
    ]


def problems(payload: Message | dict[str, Any]) -> list[str]:
    """Block Kit problems (bot/testkit/blockkit.py); empty means Slack would accept the payload."""
    if isinstance(payload, Message):
        return validate_message(payload.blocks, payload.text)
    return validate_view(payload)


def wire_bytes(payload: Message | dict[str, Any]) -> bytes:
    """What slack-sdk would send; raises if anything (a lone surrogate, say) cannot be sent."""
    node = payload.as_kwargs() if isinstance(payload, Message) else payload
    return json.dumps(node, ensure_ascii=False).encode("utf-8")


_load_feature_samples()
