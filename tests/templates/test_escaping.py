"""Automatic escaping: mrkdwn exactly once, JSON always, trusted markup only where marked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from templates import Trusted, escape_mrkdwn, trusted
from templates.escape import GUARD, encode_json_string
from templates.render import TemplateError, environment, resolve_fields
from tests.templates.conftest import hostile_text


def render(source: str, **context: Any) -> Any:
    """Render a JSON template from a string with the real environment, and parse it."""
    return resolve_fields(json.loads(environment().from_string(source).render(**context)))


def text_of(source: str, **context: Any) -> str:
    return str(render('{"text": "' + source + '"}', **context)["text"])


# ------------------------------------------------------------------------------------------ escape_mrkdwn


def test_escape_mrkdwn_replaces_the_three_control_characters_and_fences_the_markers() -> None:
    g = GUARD
    assert escape_mrkdwn("a & b < c > d \" ' * _ ~ ` é 😀") == (
        f"a &amp; b &lt; c &gt; d \" ' {g}*{g} {g}_{g} {g}~{g} {g}`{g} é 😀"
    )


def test_escape_mrkdwn_escapes_entities_again_so_they_show_as_typed() -> None:
    assert escape_mrkdwn("&amp; &lt;") == "&amp;amp; &amp;lt;"


@given(st.text().filter(lambda t: GUARD not in t))
def test_escape_mrkdwn_is_undone_by_exactly_one_unescape(text: str) -> None:
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped and ">" not in escaped
    unguarded = escaped.replace(GUARD, "")
    assert unguarded.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


@given(st.text().filter(lambda t: GUARD not in t))
def test_only_the_control_characters_change_and_the_rest_gains_invisible_guards(text: str) -> None:
    unguarded = escape_mrkdwn(text).replace(GUARD, "")
    assert len(unguarded) == len(text) + 4 * text.count("&") + 3 * (text.count("<") + text.count(">"))


# ------------------------------------------------------------------------------------------ rendering


@given(hostile_text)
def test_any_user_text_renders_as_one_escaped_json_string(value: str) -> None:
    expected = encode_json_string(escape_mrkdwn(value))
    assert text_of("{{ v }}", v=value) == json.loads(f'"{expected}"')


@given(hostile_text)
def test_user_text_cannot_leave_its_string_or_add_keys(value: str) -> None:
    assert render('{"a": "{{ v }}", "b": "x"}', v=value).keys() == {"a", "b"}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<!here>", "&lt;!here&gt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("<#C1>", "&lt;#C1&gt;"),
        ("<https://evil.example|click>", "&lt;https://evil.example|click&gt;"),
        ("&lt;", "&amp;lt;"),
        ('say "hi"\\n', 'say "hi"\\n'),
        (
            "line\nbreak\ttab\x00nul",
            "line\nbreak\ttabnul",
        ),  # NUL dropped: invisible, and PostgreSQL refuses it
    ],
)
def test_hostile_values_are_escaped_once(value: str, shown: str) -> None:
    assert text_of("*{{ v }}*", v=value).replace(GUARD, "") == f"*{shown}*"


def test_template_text_itself_is_not_escaped() -> None:
    assert (
        text_of("<https://parley.example|docs> & {{ v }}", v="&") == "<https://parley.example|docs> & &amp;"
    )


def test_numbers_render_as_text() -> None:
    assert text_of("{{ a }}/{{ b }}/{{ c|int }}", a=3, b=2.5, c="7") == "3/2.5/7"


@pytest.mark.parametrize("value", [None, True, object(), ["a"], {"a": 1}, datetime(2024, 1, 1, tzinfo=UTC)])
def test_none_booleans_and_objects_are_errors_not_text(value: object) -> None:
    with pytest.raises(TemplateError):
        text_of("{{ v }}", v=value)


def test_an_undefined_name_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        text_of("{{ missing }}")


def test_optional_values_are_guarded_explicitly() -> None:
    assert text_of("{% if v %}{{ v }}{% endif %}|{{ w or '' }}", v=None, w=None) == "|"


# ------------------------------------------------------------------------------------------ trusted


def test_mention_is_live_and_the_same_text_from_a_user_is_not() -> None:
    assert text_of("{{ mention(u) }} {{ t }}", u="U123", t="<@U123>") == "<@U123> &lt;@U123&gt;"
    assert text_of("{{ u|mention }}", u="W0ABC") == "<@W0ABC>"


def test_trusted_from_python_is_json_encoded_but_not_escaped() -> None:
    assert text_of("{{ t }}", t=trusted('*bold* <@U1> "q"\n')) == '*bold* <@U1> "q"\n'
    assert isinstance(trusted("x"), Trusted)


def test_trusted_is_not_available_inside_templates() -> None:
    with pytest.raises(jinja2.UndefinedError):
        text_of("{{ trusted(v) }}", v="<!channel>")


def test_string_operations_drop_trust_and_escape_again() -> None:
    assert text_of("{{ mention('U12') ~ '!' }}") == "&lt;@U12&gt;!"
    assert text_of("{{ mention('U12')|lower }}") == "&lt;@u12&gt;"


def test_link_and_date_are_trusted_with_escaped_labels() -> None:
    assert text_of("{{ link(u, l) }}", u="https://x.example/?a=1&b=2", l="<b> & c") == (
        "<https://x.example/?a=1&amp;b=2|&lt;b&gt; &amp; c>"
    )
    when = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert text_of("{{ date(w) }}", w=when) == (
        f"<!date^{int(when.timestamp())}^{{date_short_pretty}} at {{time}}|2024-05-01 09:30 UTC>"
    )


def test_plain_is_json_encoded_but_keeps_the_users_characters() -> None:
    value = 'A&B <!here> "x"\n'
    assert text_of("{{ v|plain }}", v=value) == value


def test_tojson_embeds_a_value_that_parses_back_and_has_no_control_characters() -> None:
    meta = {"id": 7, "note": '<!channel> & "q" \\ é', "tags": ["a", None, True]}
    value = text_of("{{ m|tojson }}", m=meta)
    assert json.loads(value) == meta
    assert not set("<>&") & set(value)


def test_tojson_rejects_what_json_cannot_hold() -> None:
    with pytest.raises(TemplateError):
        text_of("{{ m|tojson }}", m={"when": datetime.now(UTC)})


# ------------------------------------------------------------------------------------------ composition


def test_macro_output_is_not_escaped_twice() -> None:
    macro = "{% macro field(label, value) %}*{{ label }}*: {{ value }}{% endmacro %}"
    source = macro + '{"t": "{{ field("A&B", v) }}"}'
    assert render(source, v="<!here>")["t"] == "*A&amp;B*: &lt;!here&gt;"


def test_call_blocks_are_not_escaped_twice() -> None:
    source = '{% macro wrap() %}[{{ caller() }}]{% endmacro %}{"t": "{% call wrap() %}{{ v }}{% endcall %}"}'
    assert render(source, v="&")["t"] == "[&amp;]"


def test_html_oriented_builtins_are_removed() -> None:
    for name in ("safe", "e", "escape", "forceescape", "urlize", "xmlattr"):
        with pytest.raises(jinja2.TemplateAssertionError):
            environment().from_string("{{ v|" + name + " }}")


def test_lone_surrogates_cannot_make_the_payload_unsendable() -> None:
    value = text_of("{{ v }}", v="a\ud800b\ud83d\ude00")
    assert value == "a\ufffdb😀"
    value.encode("utf-8")
