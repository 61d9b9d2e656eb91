"""One page of the dashboard's rows.

The rows arrive already sorted (most urgent first) and filtered, so page 1 is always the most
urgent. A page number that is not a whole number, or is out of range, is clamped to the nearest
page (text and numbers below 1 to the first, numbers past the end to the last) rather than
refused: a bookmarked or shared link still opens a useful page after patients leave the list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.http import urlencode

from trdnav.dashboard.filters import Criteria

PER_PAGE = 50

T = TypeVar("T")


def page_number(raw: str | None, pages: int) -> int:
    """The page asked for, clamped to 1..pages."""
    try:
        number = int((raw or "").strip())
    except ValueError:
        return 1
    return min(max(number, 1), pages)


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    number: int
    pages: int
    count: int
    first: int  # 1-based position of the first row shown (0 when there are none)
    last: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(rows: Sequence[T], raw_page: str | None, per_page: int = PER_PAGE) -> Page[T]:
    count = len(rows)
    pages = max(1, -(-count // per_page))
    number = page_number(raw_page, pages)
    start = (number - 1) * per_page
    shown = list(rows[start : start + per_page])
    return Page(shown, number, pages, count, start + 1 if shown else 0, start + len(shown))


def page_query(criteria: Criteria, number: int) -> str:
    """The query string of another page with the same search and filters."""
    params: Mapping[str, str] = {
        "q": criteria.q,
        "show": criteria.show,
        "stage": criteria.stage,
        "treatment": criteria.treatment,
    }
    kept = {key: value for key, value in params.items() if value}
    return "?" + urlencode({**kept, "page": str(number)})
