"""The operations settings (docs/operations.md): LOG_FORMAT, PARLEY_METRICS_PORT/HOST/TOKEN."""

from __future__ import annotations

import pytest

from bot.settings import DEFAULT_METRICS_HOST, Secret, SettingsError, load

SINGLE = {"SLACK_SIGNING_SECRET": "s3cret-signing", "SLACK_BOT_TOKEN": "xoxb-123-abc"}


def test_defaults_are_text_logs_and_no_clock_metrics_listener() -> None:
    settings = load(SINGLE)
    assert settings.log_format == "text"
    assert settings.metrics_port is None
    assert settings.metrics_host == DEFAULT_METRICS_HOST == "127.0.0.1"
    assert settings.metrics_token is None


def test_given_values() -> None:
    settings = load(
        {
            **SINGLE,
            "LOG_FORMAT": "JSON",
            "PARLEY_METRICS_PORT": "9464",
            "PARLEY_METRICS_HOST": "0.0.0.0",
            "PARLEY_METRICS_TOKEN": "scrape-me",
        }
    )
    assert settings.log_format == "json"
    assert settings.metrics_port == 9464
    assert settings.metrics_host == "0.0.0.0"
    assert settings.metrics_token == Secret("scrape-me")
    assert "scrape-me" not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"PARLEY_METRICS_PORT": "metrics"}, "PARLEY_METRICS_PORT"),
        ({"PARLEY_METRICS_PORT": "0"}, "PARLEY_METRICS_PORT"),
        ({"PARLEY_METRICS_PORT": "65536"}, "PARLEY_METRICS_PORT"),
    ],
)
def test_each_bad_value_names_its_variable(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load({**SINGLE, **environ})
    assert variable in str(raised.value)
    assert "\n" not in str(raised.value)
