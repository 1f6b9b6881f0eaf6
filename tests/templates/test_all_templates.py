"""Every template in the package, rendered with hostile and huge input, must be valid, safe Block Kit."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates.escape import GUARD
from templates.render import SUFFIX, environment, template_names
from tests.templates.conftest import (
    HOSTILE,
    PACKAGE_DIR,
    SAMPLES,
    WORST,
    Kit,
    SampleFactory,
    live_tokens,
    problems,
    render_any,
    template_files,
    wire_bytes,
)

TEMPLATES = template_files()


def test_the_package_has_templates_and_the_loader_sees_every_one() -> None:
    assert {"messages/help", "messages/notice", "views/loading"} <= set(TEMPLATES)
    assert template_names() == TEMPLATES


def test_every_template_file_is_named_json_j2() -> None:
    odd = [p.name for p in PACKAGE_DIR.rglob("*.j2") if not p.name.endswith(SUFFIX)]
    assert odd == [], f"templates must be named <name>{SUFFIX}"


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_has_a_registered_sample_context(name: str) -> None:
    if name not in SAMPLES:
        pytest.fail(
            f"template {name!r} has no sample context: register a factory with @sample({name!r}) "
            "in tests/templates/conftest.py so it is rendered with hostile input"
        )


def test_no_sample_context_without_a_template() -> None:
    assert sorted(set(SAMPLES) - set(TEMPLATES)) == []


def _check_renders_safely(
    name: str, samples: dict[str, SampleFactory], kit: Kit, data: st.DataObject
) -> None:
    if name not in samples:
        pytest.fail(f"template {name!r} has no sample context (see tests/templates/conftest.py)")
    context: dict[str, Any] = data.draw(samples[name](kit), label="context")
    payload = render_any(name, context)
    assert problems(payload) == []
    assert live_tokens(payload) == [], "user text became a live mention, channel or link"
    wire_bytes(payload)  # encodable for the wire


@pytest.mark.parametrize("name", TEMPLATES)
@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_template_renders_hostile_input_safely(
    name: str, template_samples: dict[str, SampleFactory], data: st.DataObject
) -> None:
    _check_renders_safely(name, template_samples, HOSTILE, data)


@pytest.mark.parametrize("name", TEMPLATES)
@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_template_renders_the_worst_case_within_limits(
    name: str, template_samples: dict[str, SampleFactory], data: st.DataObject
) -> None:
    _check_renders_safely(name, template_samples, WORST, data)


def _outside_strings(source: str) -> list[str]:
    """``{{ … }}`` expressions that do not sit inside a JSON string literal (``|int`` is allowed).

    Macro bodies are skipped: where their output lands is decided at the call site (and the hostile
    render test covers them).
    """
    found = []
    in_string = escaped = False
    macro_depth = 0
    tokens = [t for t in environment().lex(source) if t[1] != "whitespace"]
    for i, (_, token, value) in enumerate(tokens):
        if token == "block_begin" and i + 1 < len(tokens):
            macro_depth += {"macro": 1, "endmacro": -1}.get(tokens[i + 1][2], 0)
        elif token == "variable_begin" and not macro_depth:
            end = next(j for j in range(i, len(tokens)) if tokens[j][1] == "variable_end")
            text = "".join(v for _, _, v in tokens[i + 1 : end]).strip()
            if not in_string and not re.search(r"\|\s*int\s*$", text):
                found.append(text)
        elif token == "data" and not macro_depth:
            for ch in value:
                if escaped:
                    escaped = False
                elif in_string and ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = not in_string
    return found


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_expression_sits_inside_a_json_string(name: str) -> None:
    """The escaping encodes string *content*; an expression outside quotes could emit raw JSON."""
    source = (PACKAGE_DIR / f"{name}{SUFFIX}").read_text(encoding="utf-8")
    assert _outside_strings(source) == []


def test_the_string_check_itself_catches_a_bare_expression() -> None:
    macro = "{% macro m(x) %}*{{ x }}*{% endmacro %}"
    source = macro + '{"a": "{{ ok }} \\" {{ m(1) }}", "n": {{ n|int }}, "b": {{ bad }}}'
    assert _outside_strings(source) == ["bad"]


def test_help_lists_exactly_the_subcommands_it_is_given() -> None:
    message = render_any("messages/help", {"command": "/negotiate", "commands": [("zap", "[x]", "Does z")]})
    listed = [
        block["text"]["text"]
        for block in message.blocks  # type: ignore[union-attr]
        if block["type"] == "section" and block["text"]["text"].startswith("`/negotiate ")
    ]
    assert [text.replace(GUARD, "") for text in listed] == ["`/negotiate zap [x]`\nDoes z"]
    assert "zap" in message.text  # type: ignore[union-attr]


def test_help_answers_an_unknown_subcommand_with_the_list() -> None:
    message = render_any(
        "messages/help", {"command": "/negotiate", "commands": [("prep", "", "Plan")], "unknown": "<!here>"}
    )
    assert "`/negotiate &lt;!here&gt;`" in json.dumps(message.as_kwargs())  # type: ignore[union-attr]


def test_notice_rejects_an_unknown_level() -> None:
    with pytest.raises(Exception, match="shout"):
        render_any("messages/notice", {"level": "shout", "title": "t", "body": "b"})


def test_a_list_of_200_details_still_renders_within_limits() -> None:
    message = render_any(
        "messages/help",
        {"command": "/negotiate", "commands": [(f"sub{i}", "", "x" * 500) for i in range(200)]},
    )
    assert problems(message) == []
    assert message.blocks[-1]["elements"][0]["text"].endswith("more")  # type: ignore[union-attr]
