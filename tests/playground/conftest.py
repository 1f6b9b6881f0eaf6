"""Fixtures for the playground: a running playground on free ports, and a real headless Chromium.

Browser tests need Debian's ``chromium`` at /usr/bin/chromium (CI installs it: ``apt-get install -y
chromium``) driven by Playwright for Python; without them they are skipped with the reason shown.
Playwright never downloads a browser here: it is always given Debian's executable.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.playground.clock import DemoClock
from bot.playground.demo import Playground

CHROMIUM = Path(os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
"""The playground's clock in tests starts here: a Wednesday, 10:00 in London."""
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "playground"
STATIC = Path(__file__).resolve().parents[2] / "bot" / "playground" / "static"


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"browser tests need Chromium at {CHROMIUM} (CI: apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need Playwright for Python (pip install -e '.[dev]')"
    return None


needs_browser = pytest.mark.skipif(_browser_missing() is not None, reason=_browser_missing() or "")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; a JavaScript error anywhere fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(10_000)
    # Assertions wait as long as actions do: Playwright's 5 s default is short for a modal that goes
    # command → app → fake Slack → browser poll on a 2-core CI machine that is busy.
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def new_playground(tmp_path: Path, **kwargs: Any) -> Playground:
    return Playground(
        tmp_path / "demo.db", port=0, reset=True, tick_every=0, clock=DemoClock(start=START), **kwargs
    )


@pytest.fixture
def playground(tmp_path: Path) -> Iterator[Playground]:
    """A started playground (seeded, no background ticks: tests move the clock themselves)."""
    running = new_playground(tmp_path)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored ``artifacts/playground``), emptied once per run."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
