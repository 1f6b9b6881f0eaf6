"""The builders of trusted mrkdwn reject anything that is not what it claims to be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from templates import Trusted, channel, date, link, mention


@pytest.mark.parametrize("user_id", ["U123", "W0ABCDEF", "U0123456789"])
def test_mention_accepts_user_ids(user_id: str) -> None:
    assert mention(user_id) == f"<@{user_id}>"
    assert isinstance(mention(user_id), Trusted)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "U1",
        "u123",
        "C123",
        "U123>",
        "U123|x",
        "<!channel>",
        "!here",
        "U12 3",
        "U123\n",
        "UＡBC",
        123,
        None,
    ],
)
def test_mention_rejects_anything_else(bad: object) -> None:
    with pytest.raises(ValueError, match="user id"):
        mention(bad)  # type: ignore[arg-type]


def test_channel_accepts_conversation_ids_only() -> None:
    assert channel("C0123") == "<#C0123>"
    for bad in ("U123", "C1", "#general", "C123|x", "!channel"):
        with pytest.raises(ValueError, match="channel id"):
            channel(bad)


def test_link_escapes_its_label_and_cannot_be_split() -> None:
    assert link("https://a.example/x|y<z>", "<!channel>|x") == (
        "<https://a.example/x%7Cy%3Cz%3E|&lt;!channel&gt;|x>"
    )
    assert link("mailto:a@b.example") == "<mailto:a@b.example>"


@pytest.mark.parametrize(
    "bad",
    ["javascript:alert(1)", "ftp://x.example", "https://a.example/ b", "https://a.example\n", "//x", "x"],
)
def test_link_rejects_unsafe_urls(bad: str) -> None:
    with pytest.raises(ValueError):
        link(bad, "label")


def test_date_takes_aware_datetimes_or_unix_seconds() -> None:
    paris = timezone(timedelta(hours=2))
    assert date(datetime(2024, 5, 1, 11, 0, tzinfo=paris), "{date}", url="https://a.example/?a&b") == (
        "<!date^1714554000^{date}^https://a.example/?a&amp;b|2024-05-01 09:00 UTC>"
    )
    assert date(0, "{time}", fallback="<soon>") == "<!date^0^{time}|&lt;soon&gt;>"


@pytest.mark.parametrize(
    ("when", "fmt"),
    [(datetime(2024, 5, 1), "{date}"), (True, "{date}"), ("2024", "{date}"), (0, "{date}|x"), (0, "")],
)
def test_date_rejects_naive_times_and_unsafe_formats(when: object, fmt: str) -> None:
    with pytest.raises(ValueError):
        date(when, fmt)  # type: ignore[arg-type]


def test_date_fallback_defaults_to_utc() -> None:
    assert date(datetime(2024, 1, 1, tzinfo=UTC)).endswith("|2024-01-01 00:00 UTC>")
