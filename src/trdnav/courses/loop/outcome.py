"""A course's outcome from its measures (issue 12, item 4; policies P-L1 and P-L2).

The baseline is the course's baseline assessment, or else the patient's last valid assessment
of the course's instrument on or before the start [P-L1]; the scores are the valid totals of
that instrument after the baseline, from the start to ``as_of`` (or the end of the course);
the sessions done are the signed sessions [P-L2]. The verdict, early improvement and the
protocol's checkpoint alerts are the core's ``course_outcome``; this module fetches the values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from trdnav.assessments.models import Assessment
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import InvalidInput
from trdnav.core.protocols import CourseOutcome, ProtocolError, course_outcome
from trdnav.courses.models import Course, SessionState, TreatmentSession

Score = tuple[date, int]


@dataclass(frozen=True)
class Measured:
    """What the outcome is computed from: the baseline and the scores during the course."""

    baseline_id: int | None
    baseline: Score | None
    scores: tuple[Score, ...]
    sessions_done: int


def _until(course: Course, as_of: date) -> date:
    return min(as_of, course.ended_on) if course.ended_on is not None else as_of


def choose_baseline(course: Course, rows: Sequence[Assessment]) -> Assessment | None:
    """The course's baseline assessment when it is a valid total of the course's instrument,
    else the last such assessment on or before the start [P-L1]. ``rows``: the patient's
    valid assessments of the instrument, oldest first."""
    chosen = next((a for a in rows if a.pk == course.baseline_assessment_id), None)
    if chosen is not None:
        return chosen
    before = [a for a in rows if a.administered_on <= course.start_date]
    return before[-1] if before else None


def measured_from(
    course: Course, rows: Sequence[Assessment], sessions_done: int, as_of: date
) -> Measured:
    """Pure selection over already fetched rows (so the dashboard can batch its queries)."""
    base = choose_baseline(course, rows)
    if base is None or base.total is None:
        return Measured(None, None, (), sessions_done)
    until = _until(course, as_of)
    after = list(rows)[list(rows).index(base) + 1 :]
    scores = tuple(
        (a.administered_on, int(a.total))
        for a in after
        if a.total is not None and course.start_date <= a.administered_on <= until
    )
    return Measured(base.pk, (base.administered_on, int(base.total)), scores, sessions_done)


def instrument_rows(patient_ids: Iterable[int], instruments: Iterable[str]) -> list[Assessment]:
    """Valid totals of the given instruments for the given patients, oldest first (one query)."""
    return list(
        Assessment.objects.filter(
            patient_id__in=list(patient_ids),
            instrument__in=list(instruments),
            valid=True,
            total__isnull=False,
        ).order_by("administered_on", "recorded_at", "id")
    )


def signed_sessions(course_ids: Iterable[int]) -> dict[int, int]:
    """Signed sessions per course (one query)."""
    counts: dict[int, int] = {}
    rows = TreatmentSession.objects.filter(
        course_id__in=list(course_ids), state=SessionState.SIGNED
    )
    for course_id in rows.values_list("course_id", flat=True):
        counts[course_id] = counts.get(course_id, 0) + 1
    return counts


def outcome_of(course: Course, measured: Measured, as_of: date) -> CourseOutcome | None:
    """The core's verdict; None when the course has no instrument or no baseline yet, or when
    its protocol or instrument is no longer in the knowledge base."""
    if not course.instrument or measured.baseline is None:
        return None
    try:
        return course_outcome(
            course.protocol_id,
            instrument=course.instrument,
            baseline=measured.baseline[1],
            scores=measured.scores,
            start=course.start_date,
            sessions_done=measured.sessions_done,
            as_of=_until(course, as_of),
        )
    except (ProtocolError, InvalidInput):
        return None


def measured_for(course: Course, as_of: date) -> Measured:
    rows = instrument_rows([course.patient_id], [course.instrument]) if course.instrument else []
    return measured_from(course, rows, signed_sessions([course.pk]).get(course.pk, 0), as_of)


def course_outcome_for(course: Course, as_of: date) -> CourseOutcome | None:
    """The course's outcome as of ``as_of`` (not stored): response, partial response,
    remission, none or too early, early improvement and the checkpoint alerts in force.
    None when the course has no instrument or there is no baseline score yet."""
    return outcome_of(course, measured_for(course, as_of), as_of)


def stored_form(outcome: CourseOutcome | None, measured: Measured, as_of: date) -> dict[str, Any]:
    """What ``Course.outcome`` holds: ``CourseOutcome.to_dict()`` (``{"outcome": None}`` when
    there is none yet) plus the baseline assessment and the number of scores it used."""
    base: Mapping[str, Any] = outcome.to_dict() if outcome is not None else {"outcome": None}
    baseline = measured.baseline
    said = None
    if baseline is not None:
        said = {"id": measured.baseline_id, "on": baseline[0].isoformat(), "total": baseline[1]}
    return {
        "as_of": as_of.isoformat(),
        "sessions_done": measured.sessions_done,
        **base,
        "baseline_assessment": said,
        "scores_used": len(measured.scores),
    }


@transaction.atomic
def refresh_course_outcome(*, course: Course, as_of: date, by: Actor) -> CourseOutcome | None:
    """Compute the outcome and store it on the course when it changed (audited)."""
    measured = measured_for(course, as_of)
    outcome = outcome_of(course, measured, as_of)
    stored = stored_form(outcome, measured, as_of)
    kept = {k: v for k, v in (course.outcome or {}).items() if k in KEPT_KEYS}
    if {**stored, **kept} != (course.outcome or {}):
        course.outcome = {**stored, **kept}
        course.save(update_fields=["outcome"])
        summary = "course outcome computed"
        audit_patient(by, course.patient_id, Action.UPDATE, "course", course, summary=summary)
    return outcome


# Keys of ``Course.outcome`` other modules of the loop own (kept when the outcome is refreshed).
KEPT_KEYS = ("history_entry",)
