"""Builders for the loop's tests: a patient one failed trial short of Thase–Rush stage V, a
course with its plan, signed sessions and MADRS ratings, ended through the courses' signal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.courses.models import Course, CourseStatus, SessionState, TreatmentSession
from trdnav.courses.services import end_course
from trdnav.patients.models import Patient

START = date(2026, 10, 5)


def _trial(ident: str, drug: str, start: str, end: str, mg: float) -> dict[str, Any]:
    return {"id": ident, "episode": "e1", "kind": "antidepressant", "drug": drug,
            "start": start, "end": end, "doses": [{"from": start, "mg_per_day": mg}],
            "adherence_pct": 100, "improvement_pct": 5}  # fmt: skip


# Failed SSRI, SNRI, TCA and MAOI: Thase–Rush stage IV; a failed bilateral ECT makes it V.
STAGE_IV_HISTORY: dict[str, Any] = {
    "episodes": [
        {"id": "e1", "start": "2024-01-01", "end": None, "severity": "severe_without_psychosis"}
    ],
    "treatments": [
        _trial("sertraline", "sertraline", "2024-01-10", "2024-04-01", 150),
        _trial("venlafaxine", "venlafaxine", "2024-04-10", "2024-07-01", 225),
        _trial("nortriptyline", "nortriptyline", "2024-07-10", "2024-10-01", 100),
        _trial("phenelzine", "phenelzine", "2024-10-10", "2025-01-10", 60),
    ],
}


def give_history(patient: Patient, history: dict[str, Any] | None = None) -> None:
    ClinicalProfile.objects.update_or_create(
        patient=patient, defaults={"history": history or STAGE_IV_HISTORY}
    )


def madrs(patient: Patient, on: date, total: int, by: User | None = None) -> Assessment:
    """A MADRS rating with the given total (spread over the ten items)."""
    items = [min(6, max(0, total - 6 * i)) for i in range(10)]
    return record_assessment(
        patient=patient, instrument="madrs", answers={"items": items}, administered_on=on,
        by=Actor(user=by), source="clinician",
    )  # fmt: skip


def measures(*entries: tuple[str, int, str, str]) -> list[dict[str, str]]:
    """``(instrument, day offset from START, when, respondent)`` as a stored plan's measures."""
    return [
        {
            "instrument": code,
            "on": (START + timedelta(days=offset)).isoformat(),
            "when": when,
            "respondent": who,
        }
        for code, offset, when, who in entries
    ]


def make_course(
    patient: Patient,
    *,
    protocol_id: str = "ect_bitemporal",
    therapy_id: str = "ect",
    planned: int = 12,
    plan_measures: Sequence[dict[str, str]] = (),
    by: User | None = None,
    status: str = CourseStatus.ACTIVE,
) -> Course:
    return Course.objects.create(
        patient=patient, protocol_id=protocol_id, protocol_name="ECT (bitemporal)",
        therapy_id=therapy_id, knowledge_version="test", status=status, start_date=START,
        planned_sessions=planned, instrument="madrs", plan={"measures": list(plan_measures)},
        created_by=by,
    )  # fmt: skip


def sign_sessions(
    course: Course, count: int, every_days: int = 3, values: Sequence[dict[str, Any]] = ()
) -> None:
    """``count`` signed sessions every ``every_days`` from the start (``values[i]`` for the
    i-th session when given)."""
    for number in range(1, count + 1):
        day = course.start_date + timedelta(days=every_days * (number - 1))
        at = timezone.make_aware(datetime.combine(day, time(10)))
        given = values[number - 1] if number <= len(values) else {}
        TreatmentSession.objects.create(
            course=course, number=number, scheduled_on=day, performed_at=at, values=given,
            state=SessionState.SIGNED, signed_at=at,
        )  # fmt: skip


def phq9(patient: Patient, on: date, total: int) -> Assessment:
    """A PHQ-9 with the given total (spread over the nine items; item 9 answered 0)."""
    items = [min(3, max(0, total - 3 * i)) for i in range(8)] + [0]
    return record_assessment(
        patient=patient, instrument="phq9", answers={"items": items}, administered_on=on,
        by=Actor(user=None), source="clinician",
    )  # fmt: skip


def end(course: Course, status: str, on: date, by: User, reason: str = "") -> Course:
    """End the course through the courses' service (which sends ``course_ended``)."""
    actor = Actor(user=by, clinic=course.patient.clinic)
    return end_course(course=course, status=status, by=actor, reason=reason, on=on)


def stored(course: Course) -> dict[str, Any]:
    """The course's stored outcome (``Course.outcome``), as a dict."""
    return dict(course.outcome or {})
