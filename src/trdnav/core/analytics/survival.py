"""Kaplan–Meier estimates from tallied event and censoring times.

The database tallies, per time (days from a course's start), how many courses had the event
then (``events``) and how many left observation then without it (``censored``: their last
measure). At a time with both, the censored are still at risk at that time — the usual
convention that censoring happens just after the events of the same day. The survival here is
"not yet responded"; pages show its complement, the proportion responded by each time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trdnav.core.errors import InvalidInput


@dataclass(frozen=True)
class Tally:
    time: int
    events: int
    censored: int


@dataclass(frozen=True)
class KmStep:
    time: int
    at_risk: int
    events: int
    censored: int
    survival: float

    def to_dict(self) -> dict[str, float | int]:
        return {
            "time": self.time,
            "at_risk": self.at_risk,
            "events": self.events,
            "censored": self.censored,
            "survival": self.survival,
        }


def kaplan_meier(tallies: Iterable[Tally]) -> tuple[KmStep, ...]:
    """One step per distinct time, in time order; tallies of the same time are added up."""
    merged = _merge(tallies)
    at_risk = sum(events + censored for events, censored in merged.values())
    survival = 1.0
    steps = []
    for time in sorted(merged):
        events, censored = merged[time]
        if events:
            survival *= 1 - events / at_risk
        steps.append(KmStep(time, at_risk, events, censored, survival))
        at_risk -= events + censored
    return tuple(steps)


def median_time(steps: Iterable[KmStep]) -> int | None:
    """The first time at which the survival is at or below one half (P-AN4); None when the
    curve never gets there (fewer than half had the event by the last follow-up)."""
    for step in steps:
        if step.survival <= 0.5:
            return step.time
    return None


def _merge(tallies: Iterable[Tally]) -> dict[int, tuple[int, int]]:
    merged: dict[int, tuple[int, int]] = {}
    for tally in tallies:
        if tally.time < 0 or tally.events < 0 or tally.censored < 0:
            raise InvalidInput.single("tally", "times and counts cannot be negative")
        events, censored = merged.get(tally.time, (0, 0))
        merged[tally.time] = (events + tally.events, censored + tally.censored)
    return merged
