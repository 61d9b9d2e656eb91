"""Reading an option's status off the chart page, whichever part of the triage shows it (the
top five, a group of its kind, or the collapsed contraindicated list)."""

from __future__ import annotations

import re

from trdnav.clinical.fact_words import status_words


def shown_status(html: str, option_id: str) -> str | None:
    """The status the chart shows for an option, or None when the option is not on the page.

    The element carrying ``id="option-<id>"`` names its status in a ``status-<status>`` class;
    where the option has a title line (top five and groups), its first badge must say the same
    status in words, or this returns the mismatch as ``"words:<badge text>"``."""
    marker = f'id="option-{re.escape(option_id)}"'
    opening = re.search(rf"<(article|details|li)\b([^>]*\b{marker}[^>]*)>", html)
    if opening is None:
        return None
    classes = re.search(r'class="([^"]*)"', opening.group(2))
    status = re.search(r"\bstatus-([a-z_]+)", classes.group(1) if classes else "")
    if status is None:
        return None
    if opening.group(1) != "li":
        badge = re.search(r'<span class="badge[^"]*">([^<]*)</span>', html[opening.end() :])
        if badge is None or badge.group(1) != status_words(status.group(1)):
            return f"words:{badge.group(1) if badge else None}"
    return status.group(1)
