"""Writing the synthetic cohort to the database (``trdnav synth``; docs/analytics.md).

Synthetic patients never mix silently with real ones (P-AN7): they go into a clinic that holds
no other patients (created if missing, named as synthetic), unless the caller passes
``into_clinic_with_real_patients``. Every synthetic record number starts with ``SYN-``, names
say "Synthetic", and each course's ``CourseContext`` is marked ``synthetic``.

Patients are written in batches, each batch in one transaction (a failure leaves whole
batches only): rows that later rows point at are bulk-inserted (ids returned), and the weekly
measures — most of the rows — go through PostgreSQL ``COPY`` where the database is PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.db import connection, transaction

from trdnav.accounts.models import Clinic, Membership, Role, User
from trdnav.analytics.models import CourseContext
from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import build_assessment
from trdnav.core.analytics.cohort import INSTRUMENT, Measure, SynthCourse, SynthPatient, generate
from trdnav.core.errors import InvalidInput
from trdnav.core.instruments.registry import score_instrument
from trdnav.core.knowledge import knowledge_version
from trdnav.core.protocols import get_protocol
from trdnav.courses.models import (
    Course,
    CourseStatus,
    RemsReport,
    SessionOverride,
    SessionState,
    TreatmentSession,
)
from trdnav.patients.models import Patient

PREFIX = "SYN-"
DEFAULT_CLINIC = "synthetic"
PATIENTS_PER_CLINICIAN = 250
REMS_DEADLINE = timedelta(days=7)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SynthResult:
    clinic: str
    patients: int
    courses: int
    assessments: int


def write_cohort(
    *,
    patients: int,
    seed: int,
    clinic_slug: str = DEFAULT_CLINIC,
    end: date,
    into_clinic_with_real_patients: bool = False,
    batch: int = 1000,
    progress: Progress | None = None,
    follow_up_weeks: int = 0,
) -> SynthResult:
    """Write ``patients`` synthetic patients of cohort ``seed``; ``progress(done, total)``.
    ``follow_up_weeks``: weekly measures after each course's end (core.analytics.cohort)."""
    if patients < 1:
        raise InvalidInput.single("patients", "must be at least one")
    if follow_up_weeks < 0:
        raise InvalidInput.single("follow_up_weeks", "must be zero or more")
    clinic = _synthetic_clinic(clinic_slug, into_clinic_with_real_patients)
    clinicians = _clinicians(clinic, max(2, patients // PATIENTS_PER_CLINICIAN))
    first_day = end - timedelta(days=730)
    courses = assessments = 0
    for start in range(0, patients, batch):
        count = min(batch, patients - start)
        people = list(
            generate(
                seed, start, count, clinicians=len(clinicians), follow_up_weeks=follow_up_weeks
            )
        )
        with transaction.atomic():
            written = _write_batch(clinic, seed, people, clinicians, first_day)
        courses += written[0]
        assessments += written[1]
        if progress is not None:
            progress(start + count, patients)
    return SynthResult(clinic.slug, patients, courses, assessments)


def _synthetic_clinic(slug: str, allow_real: bool) -> Clinic:
    clinic, created = Clinic.objects.get_or_create(
        slug=slug, defaults={"name": f"Synthetic cohort ({slug}) — not real patients"}
    )
    if created or allow_real:
        return clinic
    if Patient.objects.filter(clinic=clinic).exclude(record_number__startswith=PREFIX).exists():
        raise InvalidInput.single(
            "clinic",
            f"clinic {slug!r} holds real patients; synthetic patients go into a clinic of their "
            "own (another --clinic), or pass --into-clinic-with-real-patients",
        )
    return clinic


def _clinicians(clinic: Clinic, count: int) -> list[User]:
    users = []
    for n in range(count):
        user, created = User.objects.get_or_create(username=f"syn-{clinic.slug}-clinician-{n:03d}")
        if created:
            user.set_unusable_password()  # synthetic staff never log in
            user.last_name = f"Synthetic clinician {n:03d}"
            user.save()
            Membership.objects.create(user=user, clinic=clinic, role=Role.CLINICIAN)
        users.append(user)
    return users


def _write_batch(
    clinic: Clinic, seed: int, people: list[SynthPatient], clinicians: list[User], first: date
) -> tuple[int, int]:
    rows = Patient.objects.bulk_create(_patient_row(clinic, seed, p) for p in people)
    pairs = [(row, course) for row, p in zip(rows, people, strict=True) for course in p.courses]
    stages = [p.stage for p in people for _ in p.courses]
    baselines = Assessment.objects.bulk_create(
        _measure_row(row, course, course.measures[0], first) for row, course in pairs
    )
    courses = Course.objects.bulk_create(
        _course_row(row, course, base, clinicians, first)
        for (row, course), base in zip(pairs, baselines, strict=True)
    )
    CourseContext.objects.bulk_create(
        CourseContext(course=c, trd_stage=stage, synthetic=True)
        for c, stage in zip(courses, stages, strict=True)
    )
    later = [
        _measure_row(row, course, m, first)
        for row, course in pairs
        for m in (*course.measures[1:], *course.follow_up)
    ]
    _insert_measures(later)
    _write_sessions(courses, [course for _, course in pairs], first)
    return len(courses), len(baselines) + len(later)


def _patient_row(clinic: Clinic, seed: int, person: SynthPatient) -> Patient:
    return Patient(
        clinic=clinic,
        record_number=f"{PREFIX}{seed}-{person.number:07d}",
        given_name="Synthetic",
        family_name=f"Patient {person.number:07d}",
        date_of_birth=date(person.birth_year, 1 + person.number % 12, 1 + person.number % 28),
        sex=person.sex,
    )


def _day(first: date, course: SynthCourse, measure_day: int) -> date:
    return first + timedelta(days=course.start_day + measure_day)


def _measure_row(
    patient: Patient, course: SynthCourse, measure: Measure, first: date
) -> Assessment:
    day = _day(first, course, measure.day)
    return Assessment(
        patient=patient,
        administered_on=day,
        recorded_at=datetime.combine(day, time(12), tzinfo=UTC),
        source=Source.PATIENT,
        **_scored(measure.total, measure.safety_positive),
    )


@cache
def _scored(total: int, safety_positive: bool) -> dict[str, Any]:
    """The scored columns of a PHQ-9 whose items add up to ``total`` (item 9 positive when
    asked), built once per total through the assessments app's own builder."""
    item9 = max(1 if safety_positive else 0, total - 24)
    rest = total - item9
    items = [min(3, max(0, rest - 3 * (n - 1))) for n in range(1, 9)] + [item9]
    answers = {"items": items}
    result = score_instrument(INSTRUMENT, answers)
    if not result.valid or result.total != total:
        raise LookupError(f"no valid form adds up to {total}")
    row = build_assessment(Patient(), result, answers)
    names = ("instrument", "answers", "result", "valid", "total", "severity", "safety")
    return {name: getattr(row, name) for name in (*names, "safety_priority", "knowledge_version")}


@cache
def _as_json(total: int | None, safety: str | None, field: str) -> str:
    for t, positive in ((total or 0, False), (total or 0, True)):
        scored = _scored(t, positive)
        if scored["safety"] == safety:
            return json.dumps(scored[field])
    raise LookupError("no scored form for this measure")


def _course_row(
    patient: Patient, course: SynthCourse, baseline: Assessment, clinicians: list[User], first: date
) -> Course:
    protocol = get_protocol(course.protocol)
    ended = _day(first, course, course.last_day)
    return Course(
        patient=patient,
        protocol_id=protocol.id,
        protocol_name=protocol.name,
        therapy_id=course.therapy,
        knowledge_version=knowledge_version(),
        status=CourseStatus.COMPLETED if course.completed else CourseStatus.STOPPED,
        start_date=_day(first, course, 0),
        planned_sessions=protocol.planned_sessions,
        instrument=INSTRUMENT,
        baseline_assessment=baseline,
        plan={"synthetic": True},
        ended_on=ended,
        stop_reason="" if course.completed else "synthetic: stopped early",
        created_by=clinicians[course.clinician],
    )


SESSION_COLUMNS = (
    "course_id", "number", "scheduled_on", "performed_at", "values", "findings", "state",
    "signed_by_id", "signed_at", "created_at", "updated_at",
)  # fmt: skip


def _write_sessions(courses: list[Course], synth: list[SynthCourse], first: date) -> None:
    """Sessions without the ORM (they outnumber every other row but the measures): rows of
    plain values, then only the ids that overrides and REMS forms point at are read back."""
    rows = [
        _session_values(row, n, _day(first, course, day))
        for row, course in zip(courses, synth, strict=True)
        for n, day in enumerate(course.sessions, start=1)
    ]
    _insert_rows("courses_treatmentsession", SESSION_COLUMNS, rows)
    wanted = [row.pk for row, course in zip(courses, synth, strict=True)
              if course.overrides or course.rems]  # fmt: skip
    ids = {
        (course_id, number): pk
        for pk, course_id, number in TreatmentSession.objects.filter(
            course_id__in=wanted
        ).values_list("pk", "course_id", "number")
    }
    SessionOverride.objects.bulk_create(
        SessionOverride(session_id=ids[(row.pk, n)], rule="synthetic", reason="synthetic")
        for row, course in zip(courses, synth, strict=True)
        for n in course.overrides
    )
    RemsReport.objects.bulk_create(_rems(ids, courses, synth, first))


def _session_values(course: Course, number: int, day: date) -> tuple[Any, ...]:
    signed = datetime.combine(day, time(11), tzinfo=UTC)
    performed = datetime.combine(day, time(10), tzinfo=UTC)
    return (course.pk, number, day, performed, "{}", "{}", SessionState.SIGNED.value,
            course.created_by_id, signed, signed, signed)  # fmt: skip


def _rems(
    ids: dict[tuple[int, int], int], courses: list[Course], synth: list[SynthCourse], first: date
) -> Iterable[RemsReport]:
    for row, course in zip(courses, synth, strict=True):
        if not course.rems:
            continue
        for n, day in enumerate(course.sessions, start=1):
            due = datetime.combine(_day(first, course, day), time(11), tzinfo=UTC) + REMS_DEADLINE
            late = n in course.rems_late
            submitted = due + timedelta(days=2) if late else due - timedelta(days=3)
            yield RemsReport(
                session_id=ids[(row.pk, n)],
                rule_effective_from=row.start_date,
                due_at=due,
                submitted_at=submitted,
                fields={"synthetic": True},
            )


def _insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Plain rows into ``table``: ``COPY`` on PostgreSQL, one ``executemany`` elsewhere."""
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        adapted = [tuple(_adapt(value) for value in row) for row in rows]
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", adapted)


def _adapt(value: Any) -> Any:
    """Dates and times as the database backend stores them (what the ORM would send)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


COPY_COLUMNS = (
    "patient_id", "instrument", "answers", "result", "valid", "total", "severity", "safety",
    "safety_priority", "knowledge_version", "administered_on", "recorded_at", "source",
    "void_reason",
)  # fmt: skip


def _insert_measures(rows: list[Assessment]) -> None:
    """The weekly measures (most of the rows; no ids needed back), as plain rows."""
    _insert_rows("assessments_assessment", COPY_COLUMNS, [_copy_values(row) for row in rows])


def _copy_values(row: Assessment) -> tuple[Any, ...]:
    answers = _as_json(row.total, row.safety, "answers")
    result = _as_json(row.total, row.safety, "result")
    return (
        row.patient_id, row.instrument, answers, result, row.valid, row.total, row.severity,
        row.safety, row.safety_priority, row.knowledge_version, row.administered_on,
        row.recorded_at, row.source, "",
    )  # fmt: skip
