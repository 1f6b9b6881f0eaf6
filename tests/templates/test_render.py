"""The public rendering API: names, shapes, clear errors for template bugs."""

from __future__ import annotations

import dataclasses

import jinja2
import pytest

from templates import LimitError, Message, TemplateError, render_message, render_view
from templates.ids.common import CallbackId
from templates.render import _message, _view, make_environment


def env(**sources: str) -> jinja2.Environment:
    return make_environment(
        jinja2.DictLoader({f"{k.replace('__', '/')}.json.j2": v for k, v in sources.items()})
    )


def test_render_message_returns_a_frozen_message_with_fallback_text() -> None:
    message = render_message("messages/notice", level="info", title="Saved", body="Your plan is saved.")
    assert isinstance(message, Message)
    assert message.text == "Saved: Your plan is saved."
    assert message.as_kwargs() == {"text": message.text, "blocks": message.blocks}
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.text = "x"  # type: ignore[misc]


def test_context_may_use_any_key_even_name() -> None:
    assert render_view("views/loading", title="T", name="ignored")["title"]["text"] == "T"


def test_render_view_returns_the_loading_modal() -> None:
    view = render_view("views/loading", title="Prep plan")
    assert view["type"] == "modal"
    assert view["callback_id"] == CallbackId.LOADING
    assert view["title"] == {"type": "plain_text", "text": "Prep plan", "emoji": True}


@pytest.mark.parametrize("name", ["../secrets", "messages/Help", "messages/help.json.j2", "/etc/passwd", ""])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(TemplateError, match="bad template name"):
        render_message(name)


def test_a_missing_template_is_named() -> None:
    with pytest.raises(jinja2.TemplateNotFound, match="messages/nope"):
        render_message("messages/nope")


def test_invalid_json_names_the_template_and_blames_it() -> None:
    broken = env(messages__broken='{"text": "{{ t }}", "blocks": [,]}')
    with pytest.raises(TemplateError, match=r"'messages/broken' rendered invalid JSON .*bug in the template"):
        _message(broken, "messages/broken", {"t": "x"})


def test_duplicate_keys_are_a_template_bug() -> None:
    broken = env(messages__dup='{"text": "a", "text": "b", "blocks": []}')
    with pytest.raises(TemplateError, match="duplicate key"):
        _message(broken, "messages/dup", {})


def test_wrong_shapes_are_template_bugs() -> None:
    shapes = env(
        messages__extra='{"text": "a", "blocks": [], "channel": "C1"}',
        views__untitled='{"type": "modal", "blocks": []}',
        views__other='{"type": "workflow_step", "blocks": []}',
    )
    with pytest.raises(TemplateError, match="must render"):
        _message(shapes, "messages/extra", {})
    with pytest.raises(TemplateError, match="no title"):
        _view(shapes, "views/untitled", {})
    with pytest.raises(TemplateError, match="modal or home"):
        _view(shapes, "views/other", {})


def test_errors_while_rendering_say_which_template() -> None:
    with pytest.raises(jinja2.UndefinedError) as raised:
        render_message("messages/notice", level="info", title="t")
    assert "while rendering template 'messages/notice'" in raised.value.__notes__


def test_private_metadata_that_does_not_fit_fails_loudly() -> None:
    views = env(views__meta='{"type": "home", "private_metadata": "{{ m|tojson }}", "blocks": []}')
    assert _view(views, "views/meta", {"m": {"id": 1}})["private_metadata"] == '{"id":1}'
    with pytest.raises(LimitError, match="private_metadata") as raised:
        _view(views, "views/meta", {"m": {"ids": list(range(1_000))}})
    assert "while fitting template 'views/meta' to Block Kit's limits" in raised.value.__notes__


def test_a_mention_of_a_bad_id_fails_the_render() -> None:
    mentions = env(messages__m='{"text": "{{ mention(u) }}", "blocks": []}')
    assert _message(mentions, "messages/m", {"u": "U123"}).text == "<@U123>"
    with pytest.raises(ValueError, match="user id"):
        _message(mentions, "messages/m", {"u": "<!channel>"})
