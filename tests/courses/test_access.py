"""Reaching courses and sessions: the clinic's own are shown and the view audited; another
clinic's are missing (404, refusal audited in both clinics); a patient login is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.courses.helpers import actor, course_for, draft
from tests.factories import make_member
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import AuditEvent
from trdnav.courses.access import (
    get_course_for,
    get_course_session_for,
    get_session_for,
    visible_courses,
)
from trdnav.courses.services import courses_of, sessions_of
from trdnav.patients.models import Patient


@pytest.mark.django_db
def test_reads_of_the_clinics_courses_are_audited(
    clinician: User, staff: User, patient: Patient
) -> None:
    course = course_for(patient, clinician)
    session = draft(course, staff)
    by = actor(staff)
    assert get_course_for(by=by, pk=course.pk) == course
    assert get_session_for(by=by, pk=session.pk) == session
    assert get_course_session_for(by=by, course_id=course.pk, number=1) == session
    assert list(courses_of(patient=patient, by=by)) == [course]
    assert list(sessions_of(course=course, by=by)) == [session]
    views = AuditEvent.objects.filter(actor=staff, action="view", patient_id=patient.pk)
    assert sorted(views.values_list("object_type", flat=True)) == [
        "course", "course", "courses", "treatment_session", "treatment_session",
        "treatment_sessions",
    ]  # fmt: skip


@pytest.mark.django_db
def test_another_clinics_course_is_missing_and_the_probe_audited(
    clinician: User, patient: Patient, other_clinic: Clinic
) -> None:
    course = course_for(patient, clinician)
    session = draft(course, clinician)
    outsider = make_member(other_clinic, Role.CLINICIAN, "dr-south")
    by = actor(outsider)
    with pytest.raises(Http404):
        get_course_for(by=by, pk=course.pk)
    with pytest.raises(Http404):
        get_session_for(by=by, pk=session.pk)
    with pytest.raises(Http404):
        get_course_session_for(by=by, course_id=course.pk, number=1)
    assert list(visible_courses(outsider)) == []
    refused = AuditEvent.objects.filter(action="refused")
    # Each probe: one event in the prober's clinic, one (naming the patient) in the owner's.
    assert refused.filter(clinic=other_clinic).count() == 3
    assert refused.filter(clinic=patient.clinic, patient_id=patient.pk).count() == 3


@pytest.mark.django_db
def test_a_patient_login_and_unknown_ids_are_refused(
    clinician: User, patient: Patient, patient_user: User
) -> None:
    course = course_for(patient, clinician)
    with pytest.raises(PermissionDenied):
        get_course_for(by=actor(patient_user), pk=course.pk)
    for pk in ("x", 0, 2**70, course.pk + 1):
        with pytest.raises(Http404):
            get_course_for(by=actor(clinician), pk=pk)
    with pytest.raises(Http404):
        get_course_session_for(by=actor(clinician), course_id=course.pk, number=9)
