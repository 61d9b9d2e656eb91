"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
``live_server``.

Without Chromium the tests skip with the reason, except under ``CI=true`` where a missing
browser is a failure. Screenshots go to ``test-artifacts/screenshots/`` (git-ignored), one
per named step plus one for any failing test.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.settle import close_settled

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


def _chromium_or_reason() -> tuple[str | None, str]:
    if Path(CHROMIUM).exists():
        return CHROMIUM, ""
    found = shutil.which("chromium")
    if found:
        return found, ""
    return None, f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"


def require_chromium() -> str:
    """Chromium's path; otherwise skip, or fail under CI=true."""
    path, reason = _chromium_or_reason()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the browser tests cannot run: {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return require_chromium()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    # The sync API runs an event loop in this thread; Django's async-safety guard would then
    # refuse the test's own database calls, which are in fact synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                # A first launch on a new machine builds font caches: allow it time.
                executable_path=chromium_path,
                args=CHROMIUM_ARGS,
                headless=True,
                timeout=120_000,
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    yield new_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        new_page.screenshot(path=SCREENSHOTS / f"FAILED-{_safe(request.node.name)}.png")
    close_settled(context)


@pytest.fixture
def screenshot(page: Any) -> Any:
    """``screenshot("dashboard")`` saves the whole page as test-artifacts/screenshots/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_safe(name)}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def log_in(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
