"""Demo treatment histories: the personas' own (moved to the demo date) and generated ones.

Generated histories are realistic in shape — an earlier remitted episode for some, then a
current episode of one to four years with antidepressant trials stepped up in dose, and for the
harder courses augmentation, ECT, TMS, esketamine or psychotherapy — and are produced from a
seeded ``random.Random``, so the same seed and date always give the same histories. Every one is
a valid history (``parse_history``) as of the demo date. The drugs, doses and results are
invented for demonstration; they are not clinical advice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from trdnav.demo.personas import Persona


class Course(StrEnum):
    """How a generated patient's current episode goes (and so their score trajectory)."""

    RESPONDS = "responds"
    PARTIAL = "partial"
    RESISTANT = "resistant"
    EARLY = "early"


# (drug, dose steps in mg/day): common starting and target doses.
DRUGS = (
    ("sertraline", (50, 100, 150)),
    ("escitalopram", (10, 20)),
    ("citalopram", (20, 40)),
    ("fluoxetine", (20, 40)),
    ("venlafaxine", (75, 150, 225)),
    ("duloxetine", (60, 90)),
    ("bupropion", (150, 300)),
    ("mirtazapine", (15, 30, 45)),
    ("vortioxetine", (10, 20)),
    ("nortriptyline", (50, 100)),
)
AUGMENTERS = (("lithium", 800), ("aripiprazole", 5), ("quetiapine", 150), ("t3", 0.025))
SEVERITIES = ("mild", "moderate", "moderate", "severe_without_psychosis")


def shift_dates(value: Any, days: int) -> Any:
    """A copy of a history document with every date moved by ``days``."""
    if isinstance(value, dict):
        return {k: shift_dates(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [shift_dates(v, days) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        except ValueError:
            return value
    return value


def persona_history(persona: Persona, as_of: date) -> dict[str, Any]:
    """The persona's history, moved so that its review date falls on ``as_of``."""
    result: dict[str, Any] = shift_dates(persona.history, (as_of - persona.as_of).days)
    return result


@dataclass
class _Builder:
    rng: random.Random
    as_of: date
    treatments: list[dict[str, Any]] = field(default_factory=list)

    def tid(self, base: str) -> str:
        taken = {t["id"] for t in self.treatments}
        n, candidate = 1, base
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def trial(self, episode: str, start: date, improvement: int, weeks: int) -> dict[str, Any]:
        name, steps = self.rng.choice(DRUGS)
        end = start + timedelta(weeks=weeks)
        doses, day = [], start
        for mg in steps[: self.rng.randint(1, len(steps))]:
            if day >= min(end, self.as_of):
                break
            doses.append({"from": day.isoformat(), "mg_per_day": mg})
            day += timedelta(days=self.rng.choice((7, 14, 21)))
        trial = {
            "id": self.tid(name),
            "episode": episode,
            "kind": "antidepressant",
            "drug": name,
            "start": start.isoformat(),
            "end": None if end >= self.as_of else end.isoformat(),
            "doses": doses,
            "adherence_pct": self.rng.choice((70, 80, 85, 90, 95, 100)),
            "improvement_pct": improvement,
        }
        self.treatments.append(trial)
        return trial

    def augmentation(self, base: dict[str, Any], start: date, improvement: int) -> None:
        agent, mg = self.rng.choice(AUGMENTERS)
        self.treatments.append(
            {
                "id": self.tid(f"{base['id']}+{agent}"),
                "episode": base["episode"],
                "kind": "augmentation",
                "agent": agent,
                "augments": base["id"],
                "start": start.isoformat(),
                "end": base["end"],
                "doses": [{"from": start.isoformat(), "mg_per_day": mg}],
                "adherence_pct": 90,
                "improvement_pct": improvement,
            }
        )

    def course(self, kind: str, start: date, weeks: int, improvement: int, **extra: Any) -> None:
        end = start + timedelta(weeks=weeks)
        self.treatments.append(
            {
                "id": self.tid(kind),
                "episode": "current",
                "kind": kind,
                "start": start.isoformat(),
                "end": None if end >= self.as_of else end.isoformat(),
                "improvement_pct": improvement,
                **extra,
            }
        )


_SPAN_WEEKS = {
    Course.EARLY: (8, 20),
    Course.RESPONDS: (40, 120),
    Course.PARTIAL: (60, 150),
    Course.RESISTANT: (100, 200),
}


def _plan(rng: random.Random, course: Course) -> list[int]:
    """The improvement (%) of each antidepressant trial in the current episode, in order."""

    def fail() -> int:
        return rng.randint(0, 20)

    if course is Course.EARLY:
        return [rng.randint(5, 20)]
    if course is Course.RESPONDS:
        return [fail() for _ in range(rng.randint(0, 1))] + [rng.randint(55, 85)]
    if course is Course.PARTIAL:
        return [fail(), rng.randint(28, 45)]
    return [fail() for _ in range(rng.randint(2, 4))]


def _earlier_episode(b: _Builder, current_start: date) -> dict[str, Any]:
    start = current_start - timedelta(weeks=b.rng.randint(150, 300))
    end = start + timedelta(weeks=b.rng.randint(26, 52))
    b.trial("earlier", start + timedelta(weeks=2), b.rng.randint(60, 85), b.rng.randint(20, 30))
    return {
        "id": "earlier",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "severity": "moderate",
    }


def _trials(b: _Builder, start: date, plan: list[int], ongoing_last: bool) -> date:
    cursor = start + timedelta(weeks=b.rng.randint(1, 4))
    for n, improvement in enumerate(plan):
        if cursor >= b.as_of - timedelta(weeks=1):
            break
        last = n == len(plan) - 1 and ongoing_last
        weeks = (b.as_of - cursor).days // 7 + 1 if last else b.rng.randint(7, 14)
        trial = b.trial("current", cursor, improvement, weeks)
        if n == 1 and not last and weeks >= 9 and b.rng.random() < 0.6:
            b.augmentation(trial, cursor + timedelta(weeks=5), b.rng.randint(0, 20))
        cursor += timedelta(weeks=weeks, days=b.rng.randint(7, 21))
    return cursor


def _courses(b: _Builder, cursor: date) -> date:
    """After failed drug trials: a neurostimulation or esketamine course, then perhaps therapy."""
    kind, extra = b.rng.choice(
        (
            ("ect", {"laterality": "right_unilateral", "sessions": 10}),
            ("ect", {"laterality": "bitemporal", "sessions": 12}),
            ("tms", {"protocol": "rtms", "sessions": 30}),
            ("tms", {"protocol": "itbs", "sessions": 30}),
            ("esketamine", {"sessions": 16}),
        )
    )
    if cursor < b.as_of - timedelta(weeks=8):
        b.course(kind, cursor, 6, b.rng.randint(10, 45), **extra)
        cursor += timedelta(weeks=8)
    if cursor < b.as_of - timedelta(weeks=2) and b.rng.random() < 0.7:
        b.course("psychotherapy", cursor, 16, b.rng.randint(15, 40), modality="cbt", sessions=16)
    return cursor


def generated_history(rng: random.Random, as_of: date, course: Course) -> dict[str, Any]:
    """One valid history whose current episode goes the way ``course`` says."""
    b = _Builder(rng, as_of)
    low, high = _SPAN_WEEKS[course]
    current_start = as_of - timedelta(weeks=rng.randint(low, high))
    episodes = []
    if course is not Course.EARLY and rng.random() < 0.45:
        episodes.append(_earlier_episode(b, current_start))
    severity = rng.choice(SEVERITIES)
    episodes.append(
        {"id": "current", "start": current_start.isoformat(), "end": None, "severity": severity}
    )
    resistant = course is Course.RESISTANT
    cursor = _trials(b, current_start, _plan(rng, course), ongoing_last=not resistant)
    if resistant:
        _courses(b, cursor)
    return {"episodes": episodes, "treatments": b.treatments}
