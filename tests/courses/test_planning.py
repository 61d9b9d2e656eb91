"""Planning and ending a course: the plan snapshot, idempotency, roles, clinic scope, the
``course_ended`` signal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.courses.helpers import ESKETAMINE, GOOD, START, actor, course_for, draft
from tests.factories import make_member
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import AuditEvent
from trdnav.core.errors import InvalidInput
from trdnav.core.protocols import get_protocol
from trdnav.courses.models import Course, CourseStatus
from trdnav.courses.services import end_course, plan_course, record_session
from trdnav.courses.signals import course_ended
from trdnav.patients.models import Patient


def _fields(error: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [e.field for e in error.value.errors]


@pytest.mark.django_db
def test_a_planned_course_stores_the_protocols_plan_and_is_audited(
    clinician: User, patient: Patient
) -> None:
    course = course_for(patient, clinician)
    protocol = get_protocol(ESKETAMINE)
    assert course.status == CourseStatus.PLANNED
    assert course.planned_sessions == protocol.planned_sessions == len(course.plan["sessions"])
    assert course.plan["sessions"][0] == {
        "number": 1,
        "on": START.isoformat(),
        "phase": "induction",
    }
    assert (course.instrument, course.therapy_id) == ("madrs", "esketamine")
    assert course.knowledge_version
    event = AuditEvent.objects.get(object_type="course", action="create")
    assert event.patient_id == patient.pk
    assert event.summary == f"planned {ESKETAMINE}, {course.planned_sessions} sessions"


@pytest.mark.django_db
def test_the_number_of_sessions_can_be_changed(clinician: User, patient: Patient) -> None:
    course = course_for(patient, clinician, sessions=4)
    assert course.planned_sessions == 4


@pytest.mark.django_db
def test_the_same_key_twice_plans_one_course(clinician: User, patient: Patient) -> None:
    first = course_for(patient, clinician, idempotency_key="k1")
    second = course_for(patient, clinician, idempotency_key="k1")
    assert first.pk == second.pk
    assert Course.objects.count() == 1
    with pytest.raises(InvalidInput) as reused:
        plan_course(
            patient=patient, protocol_id=ESKETAMINE, start=date(2026, 4, 1),
            by=actor(clinician), idempotency_key="k1",
        )  # fmt: skip
    assert _fields(reused) == ["idempotency_key"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"protocol_id": "homeopathy"}, "protocol_id"),
        ({"start": "2026-03-02"}, "start"),
        ({"start": date(1970, 1, 1)}, "start"),
        ({"sessions": 0}, "sessions"),
        ({"sessions": True}, "sessions"),
        ({"therapy_id": "ect"}, "therapy_id"),
        ({"idempotency_key": ""}, "idempotency_key"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    clinician: User, patient: Patient, change: dict[str, Any], field: str
) -> None:
    arguments: dict[str, Any] = {"protocol_id": ESKETAMINE, "start": START, **change}
    with pytest.raises(InvalidInput) as refused:
        plan_course(patient=patient, by=actor(clinician), **arguments)
    assert field in _fields(refused)
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_staff_may_not_plan_and_another_clinic_does_not_see_the_patient(
    staff: User, patient: Patient, other_clinic: Clinic
) -> None:
    with pytest.raises(PermissionDenied):
        course_for(patient, staff)
    outsider = make_member(other_clinic, Role.CLINICIAN, "dr-south")
    with pytest.raises(Http404):
        course_for(patient, outsider)
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_ending_a_course_sends_the_signal_once(clinician: User, patient: Patient) -> None:
    course = course_for(patient, clinician)
    heard: list[tuple[Course, Any]] = []

    def listener(sender: type[Course], course: Course, by: Any, **kw: Any) -> None:
        heard.append((course, by))

    course_ended.connect(listener, dispatch_uid="test-listener")
    try:
        ended = end_course(course=course, status="completed", by=actor(clinician), on=START)
    finally:
        course_ended.disconnect(dispatch_uid="test-listener")
    assert (ended.status, ended.ended_on) == ("completed", START)
    assert [c.pk for c, _ in heard] == [course.pk]
    assert heard[0][1].user == clinician
    with pytest.raises(InvalidInput) as again:
        end_course(course=course, status="stopped", by=actor(clinician), reason="x")
    assert _fields(again) == ["status"]
    assert AuditEvent.objects.filter(object_type="course", action="update").count() == 1


@pytest.mark.django_db
def test_a_stop_needs_a_reason_and_a_valid_status(clinician: User, patient: Patient) -> None:
    course = course_for(patient, clinician)
    with pytest.raises(InvalidInput) as refused:
        end_course(course=course, status="stopped", by=actor(clinician), reason="  ")
    assert _fields(refused) == ["reason"]
    with pytest.raises(InvalidInput) as bad:
        end_course(course=course, status="active", by=actor(clinician))
    assert _fields(bad) == ["status"]
    with pytest.raises(InvalidInput) as early:
        end_course(course=course, status="completed", by=actor(clinician), on=date(2026, 1, 1))
    assert _fields(early) == ["ended_on"]
    stopped = end_course(course=course, status="stopped", by=actor(clinician), reason="nausea")
    assert (stopped.status, stopped.stop_reason) == ("stopped", "nausea")


@pytest.mark.django_db
def test_a_receiver_that_fails_leaves_the_course_unended(clinician: User, patient: Patient) -> None:
    course = course_for(patient, clinician)

    def broken(**kw: Any) -> None:
        raise RuntimeError("history could not be written")

    course_ended.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            end_course(course=course, status="completed", by=actor(clinician), on=START)
    finally:
        course_ended.disconnect(dispatch_uid="test-broken")
    course.refresh_from_db()
    assert course.status == CourseStatus.PLANNED


@pytest.mark.django_db
def test_no_session_is_recorded_on_an_ended_course(clinician: User, patient: Patient) -> None:
    course = course_for(patient, clinician)
    draft(course, clinician)
    course.refresh_from_db()
    assert course.status == CourseStatus.ACTIVE
    end_course(course=course, status="completed", by=actor(clinician), on=START)
    with pytest.raises(InvalidInput) as refused:
        record_session(course=course, values=GOOD, by=actor(clinician))
    assert _fields(refused) == ["course"]
