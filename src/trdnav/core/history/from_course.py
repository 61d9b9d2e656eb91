"""A delivered course as an entry of the treatment-history document (policies P-L3 to P-L5,
docs/clinical-policies.md).

Pure: the caller gives the course as plain values (its history kind and detail fields, dates,
sessions, what its measures showed) and gets the JSON entry the history schema describes
(docs/history-schema.md). Whether the entry fits the patient's history (its episode, its
dates) is decided by ``parse_history`` on the whole document, as for any other change.

- The measured improvement is written as ``improvement_pct``: the history engine bands it under
  the chosen adequacy profile, as it does for every treatment [P-B10, P-B16]. The course's own
  verdict is added as ``outcome`` only where it agrees with the figure under every profile.
- A course ended before its protocol's first outcome point (``too_early``) gets neither a figure
  nor an outcome, so it is never counted as a failure [P-L4].
- A course stopped for side effects is marked ``stopped_for_intolerance``; like a drug trial
  stopped for intolerance [P-B16], it is a failure only if it had reached the protocol's outcome
  point and the figure shows non-response; before that it is recorded as ``intolerance`` [P-L5].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trdnav.core.history.model import Outcome, TreatmentKind
from trdnav.core.history.parse_treatments import contradicts
from trdnav.core.limits import MAX_NOTE_LENGTH

TOO_EARLY = "too_early"
# The course verdicts (trdnav.core.protocols.CourseOutcome.outcome) in history terms.
_HISTORY_OUTCOME = {
    "response": Outcome.RESPONSE,
    "partial_response": Outcome.PARTIAL_RESPONSE,
    "remission": Outcome.REMISSION,
    "none": Outcome.NON_RESPONSE,
}
COURSE_KINDS = frozenset(
    {
        TreatmentKind.ECT,
        TreatmentKind.TMS,
        TreatmentKind.KETAMINE,
        TreatmentKind.ESKETAMINE,
        TreatmentKind.PSYCHOTHERAPY,
    }
)


@dataclass(frozen=True)
class EndedCourse:
    """What the history needs to know about a course that was completed or stopped."""

    kind: str
    start: date
    end: date
    sessions: int
    measured: str  # response | partial_response | remission | none | too_early
    improvement_pct: float | None
    stopped_for_intolerance: bool = False
    details: Mapping[str, str] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in COURSE_KINDS:
            raise ValueError(f"kind must be one of {sorted(COURSE_KINDS)}, not {self.kind!r}")
        if self.measured not in (*_HISTORY_OUTCOME, TOO_EARLY):
            raise ValueError(f"unknown course outcome {self.measured!r}")


def _response(course: EndedCourse) -> dict[str, Any]:
    judged = course.measured != TOO_EARLY and course.improvement_pct is not None
    if not judged:
        return {"outcome": str(Outcome.INTOLERANCE)} if course.stopped_for_intolerance else {}
    pct = round(float(course.improvement_pct or 0.0), 1)
    outcome = _HISTORY_OUTCOME[course.measured]
    if course.stopped_for_intolerance or contradicts(pct, outcome):
        return {"improvement_pct": pct}
    return {"improvement_pct": pct, "outcome": str(outcome)}


def history_entry(course: EndedCourse, *, entry_id: str, episode: str) -> dict[str, Any]:
    """The course as one ``treatments[]`` item of the history document."""
    entry: dict[str, Any] = {
        "id": entry_id,
        "episode": episode,
        "kind": course.kind,
        **dict(course.details),
        "start": course.start.isoformat(),
        "end": course.end.isoformat(),
        "sessions": course.sessions,
        **_response(course),
    }
    if course.stopped_for_intolerance:
        entry["stopped_for_intolerance"] = True
    if course.note:
        entry["notes"] = course.note[:MAX_NOTE_LENGTH]
    return entry


@dataclass(frozen=True)
class EndedTrial:
    """A medication-trial course as a drug trial: the dose at each signed session, in order.

    ``kind`` is ``antidepressant`` or ``augmentation``; ``partner`` is the trial it was combined
    with (``role`` combination) or augments. Adequacy (dose, duration, adherence) is then the
    history engine's, from the dose tables, as for any trial [P-L9]."""

    kind: str
    drug: str
    start: date
    end: date
    doses: tuple[tuple[date, float], ...]
    improvement_pct: float | None
    adherence_pct: float | None = None
    stopped_for_intolerance: bool = False
    role: str | None = None
    partner: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in (TreatmentKind.ANTIDEPRESSANT, TreatmentKind.AUGMENTATION):
            raise ValueError(f"a trial is an antidepressant or an augmentation, not {self.kind!r}")
        if not self.doses:
            raise ValueError("a trial needs at least one dose")


def dose_steps(trial: EndedTrial) -> list[dict[str, Any]]:
    """The dose timeline: the first dose from the start, then each change of dose (a dose
    recorded on or after the end changes nothing)."""
    steps: list[dict[str, Any]] = []
    for day, mg in sorted(trial.doses):
        if steps and (day >= trial.end or mg == steps[-1]["mg_per_day"]):
            continue
        on = trial.start if not steps else max(day, trial.start)
        if steps and on.isoformat() == steps[-1]["from"]:
            steps[-1]["mg_per_day"] = mg
            continue
        steps.append({"from": on.isoformat(), "mg_per_day": mg})
    return steps


def trial_entry(trial: EndedTrial, *, entry_id: str, episode: str) -> dict[str, Any]:
    """The trial as one ``treatments[]`` item of the history document."""
    name = "drug" if trial.kind == TreatmentKind.ANTIDEPRESSANT else "agent"
    entry: dict[str, Any] = {
        "id": entry_id,
        "episode": episode,
        "kind": trial.kind,
        name: trial.drug,
        "start": trial.start.isoformat(),
        "end": trial.end.isoformat(),
        "doses": dose_steps(trial),
    }
    if trial.kind == TreatmentKind.AUGMENTATION:
        entry["augments"] = trial.partner
    elif trial.role == "combination":
        entry.update({"role": "combination", "with": trial.partner})
    if trial.adherence_pct is not None:
        entry["adherence_pct"] = round(trial.adherence_pct, 1)
    if trial.improvement_pct is not None:
        entry["improvement_pct"] = round(trial.improvement_pct, 1)
    if trial.stopped_for_intolerance:
        entry.update({"stopped_for_intolerance": True, "outcome": str(Outcome.INTOLERANCE)})
    if trial.note:
        entry["notes"] = trial.note[:MAX_NOTE_LENGTH]
    return entry
