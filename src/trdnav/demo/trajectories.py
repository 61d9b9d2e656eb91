"""Weekly demo score trajectories that follow the patient's treatment history.

Each week's PHQ-9 total is the patient's baseline reduced by the improvement of the treatment
being taken then (reached gradually over six weeks, fading over four after it stops), plus a
little noise; so a patient whose trial worked improves on the chart, one who is resistant does
not. Some patients also have a MADRS every four weeks or a QIDS-SR16 every two. Item answers are
built to add up to the week's level; the safety items stay at 0 except where a plan asks for a
recent positive PHQ-9 item 9. Invented numbers for demonstration only.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Improvement assumed for a treatment recorded only with an outcome.
OUTCOME_IMPROVEMENT = {
    "remission": 80,
    "response": 60,
    "response_then_loss": 55,
    "partial_response": 35,
    "non_response": 10,
    "intolerance": 0,
}
RAMP_DAYS = 42
FADE_DAYS = 28
MAX_WEEKS = 156  # at most three years of weekly scores


@dataclass(frozen=True)
class Measure:
    """One administration: instrument, day and item answers."""

    instrument: str
    day: date
    items: list[int]


@dataclass(frozen=True)
class _Span:
    start: date
    end: date
    improvement: float


def _spans(history: Mapping[str, Any], as_of: date) -> list[_Span]:
    spans = []
    for t in history.get("treatments") or []:
        if t.get("episode") != _current(history)["id"] or t["kind"] == "augmentation":
            continue
        pct = t.get("improvement_pct", OUTCOME_IMPROVEMENT.get(t.get("outcome", ""), 0))
        end = date.fromisoformat(t["end"]) if t.get("end") else as_of
        spans.append(_Span(date.fromisoformat(t["start"]), end, max(float(pct), 0.0)))
    return spans


def _current(history: Mapping[str, Any]) -> Mapping[str, Any]:
    return next(e for e in history["episodes"] if e.get("end") is None)


def _effect(spans: list[_Span], day: date) -> float:
    """The improvement (%) in effect on ``day``: ramping up during a treatment, fading after."""
    best = 0.0
    for s in spans:
        if s.start <= day <= s.end:
            best = max(best, s.improvement * min(1.0, (day - s.start).days / RAMP_DAYS))
        elif s.end < day <= s.end + timedelta(days=FADE_DAYS):
            reached = s.improvement * min(1.0, (s.end - s.start).days / RAMP_DAYS)
            best = max(best, reached * (1 - (day - s.end).days / FADE_DAYS))
    return best


def _weeks(history: Mapping[str, Any], as_of: date) -> Iterator[date]:
    start = max(date.fromisoformat(_current(history)["start"]), as_of - timedelta(weeks=MAX_WEEKS))
    day = start
    while day <= as_of:
        yield day
        day += timedelta(weeks=1)


def spread(
    rng: random.Random, total: int, count: int, top: int, skip: tuple[int, ...]
) -> list[int]:
    """``count`` item answers of at most ``top`` adding up to ``total`` (capped), the items in
    ``skip`` (zero-based) left at 0."""
    items = [0] * count
    open_items = [i for i in range(count) if i not in skip]
    total = min(total, top * len(open_items))
    for _ in range(total):
        choices = [i for i in open_items if items[i] < top]
        items[rng.choice(choices)] += 1
    return items


def levels(rng: random.Random, history: Mapping[str, Any], as_of: date) -> list[tuple[date, float]]:
    """The patient's weekly severity as a fraction of the worst (0–1), week by week."""
    baseline = rng.uniform(0.65, 0.85)
    spans = _spans(history, as_of)
    return [
        (day, min(max(baseline * (1 - _effect(spans, day) / 100) + rng.gauss(0, 0.04), 0.0), 1.0))
        for day in _weeks(history, as_of)
    ]


def measures(
    rng: random.Random,
    history: Mapping[str, Any],
    as_of: date,
    *,
    extra: str | None = None,
    item9_recent_weeks: int = 0,
) -> list[Measure]:
    """Weekly PHQ-9 (item 9 at 1 in the last ``item9_recent_weeks`` weeks), plus ``extra``
    (``madrs`` every four weeks or ``qids_sr16`` every two)."""
    weekly = levels(rng, history, as_of)
    result = []
    for n, (day, level) in enumerate(weekly):
        recent = len(weekly) - n <= item9_recent_weeks
        items = spread(rng, round(level * 24), 9, 3, skip=(8,))
        items[8] = 1 if recent else 0
        result.append(Measure("phq9", day, items))
        if extra == "madrs" and n % 4 == 0:
            result.append(Measure("madrs", day, spread(rng, round(level * 50), 10, 6, skip=(9,))))
        if extra == "qids_sr16" and n % 2 == 0:
            result.append(Measure("qids_sr16", day, spread(rng, round(level * 30), 16, 3, (11,))))
    return result
