"""The course use cases (all keyword-only, all taking ``by: Actor``, all audited):

- ``plan_course`` and ``end_course`` (``trdnav.courses.planning``);
- ``record_session``, ``sign_session`` (``trdnav.courses.sessions``) and ``amend_session``
  (``trdnav.courses.amendments``); overrides in ``trdnav.courses.overrides``;
- ``submit_rems_report`` (``trdnav.courses.rems``);
- the reads below, which record what was shown.

Load courses and sessions through ``trdnav.courses.access`` first (clinic scope, 404 outside).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient, record_event
from trdnav.core.protocols import RemsState
from trdnav.courses.access import visible_rems_reports
from trdnav.courses.amendments import amend_session
from trdnav.courses.errors import SessionAlreadySigned, SessionNotSignable
from trdnav.courses.models import Course, RemsReport, TreatmentSession
from trdnav.courses.planning import end_course, plan_course
from trdnav.courses.rems import state_of, submit_rems_report
from trdnav.courses.sessions import record_session, sign_session
from trdnav.patients.models import Patient

__all__ = [
    "RemsTask",
    "SessionAlreadySigned",
    "SessionNotSignable",
    "amend_session",
    "courses_of",
    "end_course",
    "plan_course",
    "record_session",
    "rems_tasks",
    "sessions_of",
    "sign_session",
    "submit_rems_report",
]


def courses_of(*, patient: Patient, by: Actor) -> QuerySet[Course]:
    """The patient's courses, newest first (a ``view`` of the list is recorded). The patient
    must come from ``trdnav.patients.access`` (clinic scope)."""
    audit_patient(by, patient, Action.VIEW, "courses")
    return patient.courses.all()


def sessions_of(*, course: Course, by: Actor) -> QuerySet[TreatmentSession]:
    """The course's sessions in order (a ``view`` is recorded)."""
    audit_patient(by, course.patient_id, Action.VIEW, "treatment_sessions", course)
    return course.sessions.order_by("number")


@dataclass(frozen=True)
class RemsTask:
    """A REMS monitoring form on the clinic's task list and where it stands."""

    report: RemsReport
    state: RemsState


def rems_tasks(
    *, by: Actor, include_submitted: bool = False, now: datetime | None = None
) -> list[RemsTask]:
    """The clinic's REMS monitoring forms, soonest due first, with their state (due, overdue,
    submitted); the audit event names the patients shown."""
    rows = visible_rems_reports(by.user).select_related(
        "session", "session__course", "session__course__patient"
    )
    if not include_submitted:
        rows = rows.filter(submitted_at__isnull=True)
    reports = list(rows.order_by("due_at", "pk"))
    moment = now or timezone.now()
    record_event(
        by=by,
        action=Action.VIEW,
        object_type="rems_task_list",
        summary=f"{len(reports)} forms shown",
        shown=sorted({r.session.course.patient_id for r in reports}),
    )
    return [RemsTask(report, state_of(report, moment)) for report in reports]
