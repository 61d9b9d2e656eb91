"""Time spent at each daily dose (research B1.3 step 2: weeks *at or above* the minimum count).

A dose applies from its ``from`` date until the next dose's date, the treatment's end, or
``as_of`` for a treatment still going on. Days are date differences (end − start), so a trial
from 1 to 43 days later lasted 42 days = 6 weeks; time at adequate dose is summed even when
interrupted by a lower dose [P-B21].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trdnav.core.history.model import DrugTrial

DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class DoseSegment:
    """``days`` spent at ``mg_per_day``."""

    mg_per_day: float
    days: float


def end_of(start: date, end: date | None, as_of: date) -> date:
    """When a treatment stopped counting: its end, or ``as_of`` if ongoing or later."""
    stop = as_of if end is None else min(end, as_of)
    return max(stop, start)


def segments_of(trial: DrugTrial, as_of: date) -> tuple[DoseSegment, ...]:
    stop = end_of(trial.start, trial.end, as_of)
    bounds = [min(d.start, stop) for d in trial.doses[1:]] + [stop]
    return tuple(
        DoseSegment(dose.mg_per_day, float((until - min(dose.start, stop)).days))
        for dose, until in zip(trial.doses, bounds, strict=True)
    )


def days_at_or_above(segments: tuple[DoseSegment, ...], minimum: float) -> float:
    return sum(s.days for s in segments if s.mg_per_day >= minimum)


def total_days(segments: tuple[DoseSegment, ...]) -> float:
    return sum(s.days for s in segments)


def highest_dose(segments: tuple[DoseSegment, ...]) -> float:
    return max((s.mg_per_day for s in segments), default=0.0)
