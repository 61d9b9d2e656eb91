"""The one way to reach courses and sessions: scoped to the user's clinic, and audited.

A course belongs to its patient's clinic. Like ``trdnav.patients.access``: a course or session
outside the user's clinic is reported as missing (404) and the refusal audited, with a second
event in the owning clinic's trail; a patient login is refused (403) even for their own course
(the portal shows courses its own way). A successful lookup records a ``view`` event naming
the patient.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trdnav.accounts.models import Role
from trdnav.accounts.permissions import Capability, has_capability, membership_of
from trdnav.audit.models import Action
from trdnav.audit.refusals import RefusedRead, RefusedRole, refusal_events
from trdnav.audit.services import Actor, audit_patient
from trdnav.courses.models import Course, RemsReport, TreatmentSession

_MAX_ID = 2**63 - 1


def visible_courses(user: Any) -> QuerySet[Course]:
    """The courses of the user's clinic's patients (none without clinical access)."""
    membership = membership_of(user)
    if membership is None or not has_capability(user, Capability.VIEW_PATIENTS):
        return Course.objects.none()
    return Course.objects.filter(patient__clinic_id=membership.clinic_id)


def visible_sessions(user: Any) -> QuerySet[TreatmentSession]:
    membership = membership_of(user)
    if membership is None or not has_capability(user, Capability.VIEW_PATIENTS):
        return TreatmentSession.objects.none()
    return TreatmentSession.objects.filter(course__patient__clinic_id=membership.clinic_id)


def visible_rems_reports(user: Any) -> QuerySet[RemsReport]:
    membership = membership_of(user)
    if membership is None or not has_capability(user, Capability.VIEW_PATIENTS):
        return RemsReport.objects.none()
    return RemsReport.objects.filter(session__course__patient__clinic_id=membership.clinic_id)


def _wanted(pk: Any) -> int | None:
    try:
        wanted = int(pk)
    except (TypeError, ValueError):
        return None
    return wanted if 0 < wanted <= _MAX_ID else None


def _refuse_patient_role(by: Actor, object_type: str, pk: Any) -> None:
    membership = membership_of(by.user)
    if membership is not None and membership.role == Role.PATIENT:
        pending = refusal_events(
            by, object_type=object_type, object_id=pk, summary="refused: patient role"
        )
        raise RefusedRole("patients use the portal", pending)


def _refused(by: Actor, pk: Any, object_type: str, owner: tuple[int, int] | None) -> RefusedRead:
    """``owner``: (clinic id, patient id) of the record when it exists elsewhere."""
    pending = refusal_events(
        by,
        object_type=object_type,
        object_id=pk,
        summary="refused: not in this clinic's records",
        owner_clinic_id=owner[0] if owner else None,
        patient_id=owner[1] if owner else None,
    )
    return RefusedRead(f"no such {object_type}", pending)


def get_course_for(
    *, by: Actor, pk: Any, object_type: str = "course", for_update: bool = False
) -> Course:
    """The course if ``by.user`` may see it (a ``view`` event is recorded); 404 (audited)
    outside the clinic, 403 for a patient login. ``for_update`` locks the row (inside a
    transaction)."""
    _refuse_patient_role(by, object_type, pk)
    wanted = _wanted(pk)
    rows = visible_courses(by.user).select_related("patient")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    course = rows.filter(pk=wanted).first() if wanted is not None else None
    if course is None:
        owner = None
        if wanted is not None:
            found = Course.objects.filter(pk=wanted).values_list("patient__clinic_id", "patient_id")
            owner = found.first()
        raise _refused(by, pk, object_type, owner)
    audit_patient(by, course.patient_id, Action.VIEW, object_type, course)
    return course


def get_session_for(
    *, by: Actor, pk: Any, object_type: str = "treatment_session", for_update: bool = False
) -> TreatmentSession:
    """The session if ``by.user`` may see it (``view`` recorded); else 404 / 403 as above."""
    _refuse_patient_role(by, object_type, pk)
    wanted = _wanted(pk)
    rows = visible_sessions(by.user).select_related("course", "course__patient")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    session = rows.filter(pk=wanted).first() if wanted is not None else None
    if session is None:
        owner = None
        if wanted is not None:
            found = TreatmentSession.objects.filter(pk=wanted).values_list(
                "course__patient__clinic_id", "course__patient_id"
            )
            owner = found.first()
        raise _refused(by, pk, object_type, owner)
    audit_patient(by, session.course.patient_id, Action.VIEW, object_type, session)
    return session


def get_course_session_for(
    *, by: Actor, course_id: Any, number: Any, object_type: str = "treatment_session"
) -> TreatmentSession:
    """Session ``number`` of a course the user may see; 404 when the course has no such
    session (the course's own lookup is audited first)."""
    course = get_course_for(by=by, pk=course_id, object_type="course")
    wanted = _wanted(number)
    session = course.sessions.filter(number=wanted).first() if wanted is not None else None
    if session is None:
        raise Http404("this course has no session with that number")
    session.course = course
    audit_patient(by, course.patient_id, Action.VIEW, object_type, session)
    return session
