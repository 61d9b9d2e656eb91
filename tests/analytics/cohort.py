"""A small cohort written by hand (no generator), whose numbers the tests compute by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from tests.factories import make_patient
from trdnav.accounts.models import Clinic, User
from trdnav.analytics.models import CourseContext
from trdnav.assessments.models import Assessment, Source
from trdnav.courses.models import (
    Course,
    CourseStatus,
    RemsReport,
    SessionOverride,
    SessionState,
    TreatmentSession,
)
from trdnav.patients.models import Patient

START = date(2026, 1, 5)  # a Monday in 2026-Q1


def measure(patient: Patient, day: date, total: int, *, safety: str | None = None) -> Assessment:
    return Assessment.objects.create(
        patient=patient,
        instrument="phq9",
        answers={},
        result={},
        valid=True,
        total=total,
        safety=safety,
        knowledge_version="test",
        administered_on=day,
        source=Source.PATIENT,
    )


def add_course(
    clinic: Clinic,
    number: str,
    *,
    therapy: str,
    scores: list[int | tuple[int, str]],
    status: str,
    stage: str,
    by: User | None,
    start: date = START,
) -> Course:
    """A course whose baseline is ``scores[0]`` on its start day and whose later scores are
    weekly (an entry may carry a safety status)."""
    patient = make_patient(clinic, number)
    totals = [s if isinstance(s, tuple) else (s, None) for s in scores]
    baseline = measure(patient, start, totals[0][0])
    for week, (total, safety) in enumerate(totals[1:], start=1):
        measure(patient, start + timedelta(days=7 * week), total, safety=safety)
    ended = start + timedelta(days=7 * (len(totals) - 1)) if status != "active" else None
    course = Course.objects.create(
        patient=patient,
        protocol_id=f"{therapy}_protocol",
        protocol_name=therapy,
        therapy_id=therapy,
        knowledge_version="test",
        status=status,
        start_date=start,
        planned_sessions=4,
        instrument="phq9",
        baseline_assessment=baseline,
        created_by=by,
        ended_on=ended,
    )
    CourseContext.objects.create(course=course, trd_stage=stage)
    return course


def add_session(course: Course, number: int) -> TreatmentSession:
    return TreatmentSession.objects.create(
        course=course, number=number, state=SessionState.SIGNED, performed_at=timezone.now()
    )


def hand_cohort(clinic: Clinic, clinician: User) -> dict[str, Course]:
    """ECT: four courses (one never re-measured); rTMS: one course. See test_report.py."""
    courses = {
        "p1": add_course(
            clinic,
            "H-1",
            therapy="ect",
            scores=[20, 12, 10, 4],
            status=CourseStatus.COMPLETED,
            stage="II",
            by=clinician,
        ),
        "p2": add_course(
            clinic,
            "H-2",
            therapy="ect",
            scores=[20, 15, (14, "positive")],
            status=CourseStatus.STOPPED,
            stage="II",
            by=clinician,
        ),
        "p3": add_course(
            clinic,
            "H-3",
            therapy="ect",
            scores=[18, 9],
            status=CourseStatus.COMPLETED,
            stage="II",
            by=clinician,
        ),
        "p4": add_course(
            clinic,
            "H-4",
            therapy="ect",
            scores=[22],
            status=CourseStatus.STOPPED,
            stage="III",
            by=clinician,
        ),
        "p5": add_course(
            clinic,
            "H-5",
            therapy="rtms",
            scores=[16, 15],
            status=CourseStatus.COMPLETED,
            stage="II",
            by=clinician,
        ),
    }
    session = add_session(courses["p1"], 1)
    SessionOverride.objects.create(session=session, rule="blood_pressure", reason="reviewed")
    due = datetime(2026, 1, 10, 12, tzinfo=UTC)
    on_time = add_session(courses["p3"], 1)
    RemsReport.objects.create(
        session=on_time,
        rule_effective_from=START,
        due_at=due,
        submitted_at=due - timedelta(hours=1),
    )
    late = add_session(courses["p3"], 2)
    RemsReport.objects.create(
        session=late, rule_effective_from=START, due_at=due, submitted_at=due + timedelta(days=1)
    )
    return courses
