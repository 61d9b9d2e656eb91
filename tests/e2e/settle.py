"""Closing a browser context only once its pages have stopped talking to the live server.

A page keeps requesting after the step a test waits for (the favicon, a script, a stylesheet).
If the test ends first, the live server is still answering — and saving the session — while
pytest-django flushes the test database, and SQLite's write lock makes the flush fail
("couldn't be flushed"). Waiting for the network to go quiet first removes that race.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from playwright.sync_api import Error as PlaywrightError

# Long enough for a page's last requests on a busy machine; a page that never goes quiet (none
# does today) only costs this much before the context is closed anyway.
QUIET_TIMEOUT_MS = 5_000


def close_settled(context: Any) -> None:
    """Wait until every page of ``context`` has no request in flight, then close it."""
    for open_page in context.pages:
        # A closed or still-busy page: closing the context ends its requests anyway.
        with suppress(PlaywrightError):
            open_page.wait_for_load_state("networkidle", timeout=QUIET_TIMEOUT_MS)
    context.close()
