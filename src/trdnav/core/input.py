"""Reading JSON-like input field by field, collecting every error with its path.

Used by the history parser and the direct model/adequacy parsers so that one bad input gets
one complete list of problems (``treatments[2].doses[0].mg_per_day: …``) rather than the first.
It reads what a person typed; ``trdnav.core.knowledge.fields`` reads the knowledge-base TOML.
Sits below both ``history`` and ``staging`` so neither has to import the other to read input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from trdnav.core.errors import FieldError
from trdnav.core.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_CODE_LENGTH,
    MAX_LIST_ITEMS,
    problem_in_text,
)

E = TypeVar("E", bound=StrEnum)
_MISSING = object()


class Fields:
    """One JSON object at ``path``; errors go to the shared ``errors`` list."""

    def __init__(self, raw: Any, path: str, errors: list[FieldError]) -> None:
        self.path = path
        self.errors = errors
        self.ok = isinstance(raw, Mapping)
        self.raw: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        if not self.ok:
            errors.append(FieldError(path or "input", "must be a JSON object"))

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, message: str) -> None:
        self.errors.append(FieldError(self.at(key), message))

    def only(self, allowed: Iterable[str]) -> None:
        """Reject unknown keys, so a misspelt field is never silently ignored."""
        allowed = tuple(allowed)
        for key in self.raw:
            if key not in allowed:
                self.error(key, f"unknown field; allowed: {', '.join(allowed)}")

    def _get(self, key: str, required: bool) -> Any:
        value = self.raw.get(key, _MISSING)
        if value is _MISSING and required and self.ok:
            self.error(key, "is required")
        return None if value is _MISSING else value

    def text(
        self, key: str, *, required: bool = True, max_length: int = MAX_CODE_LENGTH
    ) -> str | None:
        """A non-empty string of at most ``max_length`` characters (limits in core.limits)."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(key, "must be a non-empty string")
            return None
        if len(value) > max_length:
            self.error(key, f"must be at most {max_length} characters; got {len(value)}")
            return None
        problem = problem_in_text(value)
        if problem:
            self.error(key, problem)
            return None
        return value

    def number(
        self,
        key: str,
        *,
        required: bool = True,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not _is_number(value):
            self.error(key, "must be a number")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(key, f"{_range(low, high)}; got {_fmt(value)}")
            return None
        return float(value)

    def integer(
        self, key: str, *, required: bool = True, low: int = 0, high: int | None = None
    ) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, "must be a whole number")
            return None
        if value < low:
            self.error(key, f"must be at least {low}; got {value}")
            return None
        if high is not None and value > high:
            self.error(key, f"must be at most {high}")
            return None
        return value

    def flag(self, key: str, *, required: bool = False, default: bool = False) -> bool:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, "must be true or false")
            return default
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else _bad_date()
        except ValueError:
            shown = value[:40] if isinstance(value, str) else value
            self.error(key, f"must be a date as YYYY-MM-DD; got {shown!r}")
            return None
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            self.error(key, f"must be between {EARLIEST_DATE} and {LATEST_DATE}; got {day}")
            return None
        return day

    def choice(self, key: str, enum: type[E], *, required: bool = True) -> E | None:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(str(member) for member in enum)
            shown = value[:40] if isinstance(value, str) else value
            self.error(key, f"unknown value {shown!r}; allowed: {allowed}")
            return None

    def items(self, key: str, *, required: bool = True) -> list[Any]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, "must be a JSON array")
            return []
        if len(value) > MAX_LIST_ITEMS:
            self.error(key, f"must have at most {MAX_LIST_ITEMS} items; got {len(value)}")
            return []
        return value


def _is_number(value: Any) -> bool:
    # JSON true/false are ints to Python; NaN and infinity are not clinical numbers.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _bad_date() -> date:
    raise ValueError("not a string")


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"must be between {_fmt(low)} and {_fmt(high)}"
    return f"must be at least {_fmt(low)}" if low is not None else f"must be at most {_fmt(high)}"


def _fmt(value: float | None) -> str:
    """A number as a person wrote it: 500, 12.5; a huge one as 1e+300, not 301 digits."""
    if value is None:
        return "None"
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:g}" if abs(number) >= 1e15 else str(value)
