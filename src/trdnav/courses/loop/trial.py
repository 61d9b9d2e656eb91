"""A medication-trial course as an antidepressant trial or an augmentation of the treatment
history (policy P-L9): the drug and the daily dose recorded at each signed session give the
dose timeline, so the history engine judges its adequacy (dose and duration from the tables,
adherence) like any trial."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from trdnav.core.history.from_course import EndedTrial
from trdnav.core.knowledge import load_therapies
from trdnav.core.protocols import CourseOutcome
from trdnav.courses.models import Course, TreatmentSession

MEDICATION_TRIAL = "medication_trial"
AUGMENTATION, ANTIDEPRESSANT = "augmentation", "antidepressant"
NO_PARTNER = (
    "it is not clear which antidepressant the {kind} was added to (one taken at its start is "
    "needed): add it in the history editor"
)
NO_DOSE = "no signed session recorded the drug and its daily dose: add it in the history editor"


def _code(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")


def _day(session: TreatmentSession, course: Course) -> date:
    if session.performed_at is not None:
        return timezone.localdate(session.performed_at)
    return session.scheduled_on or course.start_date


def _doses(course: Course, signed: Sequence[TreatmentSession]) -> list[tuple[date, float]]:
    found = []
    for session in signed:
        mg = session.values.get("daily_dose_mg")
        if isinstance(mg, int | float) and not isinstance(mg, bool) and mg >= 0:
            found.append((_day(session, course), float(mg)))
    return found


def _match(course: Course, kind: str) -> dict[str, str]:
    therapy = load_therapies().therapies.get(course.therapy_id)
    matches = [dict(m.fields) for m in therapy.history_match if m.kind == kind] if therapy else []
    return matches[0] if len(matches) == 1 else {}


def _partner(doc: Mapping[str, Any] | None, episode: str, start: date) -> str | None:
    """The one antidepressant of the episode being taken on ``start``, or None."""
    day = start.isoformat()
    taken = [
        str(t.get("id"))
        for t in (doc or {}).get("treatments", [])
        if isinstance(t, Mapping)
        and t.get("kind") == ANTIDEPRESSANT
        and t.get("episode") == episode
        and str(t.get("start", "")) <= day
        and (t.get("end") is None or str(t.get("end")) >= day)
    ]
    return taken[0] if len(taken) == 1 else None


def _adherence(signed: Sequence[TreatmentSession]) -> float | None:
    given = [s.values.get("adherence_pct") for s in signed]
    numbers = [float(v) for v in given if isinstance(v, int | float) and not isinstance(v, bool)]
    return sum(numbers) / len(numbers) if numbers else None


def ended_trial(
    course: Course,
    outcome: CourseOutcome | None,
    signed: Sequence[TreatmentSession],
    doc: Mapping[str, Any] | None,
    episode: str,
    *,
    intolerance: bool,
    note: str,
) -> EndedTrial | str:
    """The trial, or the reason it cannot be written."""
    doses = _doses(course, signed)
    last = signed[-1].values if signed else {}
    kind = AUGMENTATION if last.get("trial_kind") == AUGMENTATION else ANTIDEPRESSANT
    match = _match(course, kind)
    # The therapy's own code first (an agent must be one the history knows), else the session's.
    drug = match.get("drug" if kind == ANTIDEPRESSANT else "agent") or _code(last.get("drug"))
    if not doses or not drug or course.ended_on is None:
        return NO_DOSE
    role = "combination" if match.get("role") == "combination" else None
    partner = None
    if kind == AUGMENTATION or role is not None:
        partner = _partner(doc, episode, course.start_date)
        if partner is None:
            return NO_PARTNER.format(kind="augmentation" if kind == AUGMENTATION else "combination")
    pct = None if outcome is None else outcome.percent_change
    return EndedTrial(
        kind=kind, drug=drug, start=course.start_date,
        end=max(course.ended_on, course.start_date), doses=tuple(doses),
        improvement_pct=None if pct is None else float(pct), adherence_pct=_adherence(signed),
        stopped_for_intolerance=intolerance, role=role, partner=partner, note=note,
    )  # fmt: skip
