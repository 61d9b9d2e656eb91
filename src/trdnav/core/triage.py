"""Which patients need clinical attention first: policies P-W1 to P-W3
(docs/clinical-policies.md), as a pure function of what was measured and an explicit ``as_of``.

Reasons, most urgent first:

1. a high-priority safety item (the instrument's knowledge file says which answers),
2. any other positive safety item,
3. a safety item left unanswered (unknown is never treated as negative),
4. a worsening score,
5. a treatment course's protocol checkpoint not met (P-L7),
6. measures overdue (or never recorded), and a clinician rating a course plan asks for (P-L6).

A patient's urgency is their most urgent reason; patients are ordered by it, and a stable
sort keeps the caller's order (by name, on the dashboard) within each urgency. Like
``trdnav.core.scheduling``, this module never reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import TypeVar

from trdnav.core.instruments.result import Safety
from trdnav.core.measurement.safety import needs_review


class Urgency(IntEnum):
    """Lower sorts first."""

    SAFETY_HIGH = 1
    SAFETY_POSITIVE = 2
    SAFETY_UNKNOWN = 3
    WORSENING = 4
    COURSE_CHECKPOINT = 5
    OVERDUE = 6
    NONE = 9


@dataclass(frozen=True)
class Reason:
    urgency: Urgency
    text: str

    @property
    def is_safety(self) -> bool:
        return self.urgency <= Urgency.SAFETY_UNKNOWN

    @property
    def badge(self) -> str:
        """The badge style: red for safety, amber for worsening and course checkpoints, plain
        for overdue."""
        if self.is_safety:
            return "danger"
        return "warn" if self.urgency in (Urgency.WORSENING, Urgency.COURSE_CHECKPOINT) else ""

    def __str__(self) -> str:
        return self.text


def safety_urgency(safety: Safety | str, *, high_priority: bool) -> Urgency | None:
    """How urgent the latest answer to one instrument's safety item is (P-W1); None when it
    needs no review."""
    if not needs_review(safety):
        return None
    if Safety(safety) is Safety.UNKNOWN:
        return Urgency.SAFETY_UNKNOWN
    return Urgency.SAFETY_HIGH if high_priority else Urgency.SAFETY_POSITIVE


def days_overdue(last: date, *, as_of: date, due_days: int) -> int | None:
    """Days since ``last`` when that is more than ``due_days`` (P-W3), else None: exactly
    ``due_days`` days is not yet overdue."""
    days = (as_of - last).days
    return days if days > due_days else None


def is_overdue(last: date | None, *, as_of: date, due_days: int) -> bool:
    """Measures are overdue when none was ever recorded, or per ``days_overdue``."""
    return last is None or days_overdue(last, as_of=as_of, due_days=due_days) is not None


def most_urgent(reasons: Iterable[Reason]) -> Urgency:
    return min((reason.urgency for reason in reasons), default=Urgency.NONE)


def by_urgency(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    """A patient's reasons, most urgent first (stable within an urgency)."""
    return tuple(sorted(reasons, key=lambda reason: reason.urgency))


_Row = TypeVar("_Row")


def triage_order(rows: Sequence[_Row], urgency_of: Callable[[_Row], Urgency]) -> list[_Row]:
    """``rows`` most urgent first; a stable sort keeps their given order within an urgency."""
    return sorted(rows, key=urgency_of)
