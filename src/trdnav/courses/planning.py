"""Planning a course and ending it.

``plan_course`` stores the protocol's ``CoursePlan`` (sessions and measure schedule) as a
snapshot next to the knowledge-base version that produced it; a repeated idempotency key
returns the stored course. ``end_course`` marks it completed or stopped and sends
``course_ended`` inside the same transaction (the loop writes the treatment history there).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trdnav.accounts.permissions import Capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.knowledge.loader import knowledge_version
from trdnav.core.limits import EARLIEST_DATE, LATEST_DATE, MAX_SESSIONS
from trdnav.core.protocols import Protocol, get_protocol
from trdnav.core.protocols import plan_course as core_plan
from trdnav.courses.guard import require
from trdnav.courses.models import (
    ENDED_STATUSES,
    KEY_LENGTH,
    REASON_LENGTH,
    Course,
    CourseStatus,
)
from trdnav.courses.signals import course_ended
from trdnav.patients.models import Patient

REUSED_KEY = "this idempotency key was already used for a different submission"


def key_errors(idempotency_key: object) -> list[FieldError]:
    if idempotency_key is None:
        return []
    if not isinstance(idempotency_key, str) or not 0 < len(idempotency_key) <= KEY_LENGTH:
        return [FieldError("idempotency_key", f"must be text of 1–{KEY_LENGTH} characters")]
    return []


def _date_errors(field: str, day: object, patient: Patient) -> list[FieldError]:
    if isinstance(day, datetime) or not isinstance(day, date):
        return [FieldError(field, "must be a date (YYYY-MM-DD)")]
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return [FieldError(field, f"must be between {EARLIEST_DATE} and {LATEST_DATE}")]
    if day < patient.date_of_birth:
        return [FieldError(field, "cannot be before the patient's date of birth")]
    return []


def _sessions_errors(sessions: object) -> list[FieldError]:
    if sessions is None:
        return []
    if isinstance(sessions, bool) or not isinstance(sessions, int):
        return [FieldError("sessions", "must be a whole number of sessions")]
    if not 1 <= sessions <= MAX_SESSIONS:
        return [FieldError("sessions", f"must be between 1 and {MAX_SESSIONS}")]
    return []


def _protocol(protocol_id: object) -> Protocol:
    if not isinstance(protocol_id, str):
        raise InvalidInput.single("protocol_id", "must be a protocol id (trdnav protocols)")
    try:
        return get_protocol(protocol_id)
    except InvalidInput as unknown:  # ProtocolError: the message lists the known ids
        raise InvalidInput.single("protocol_id", unknown.errors[0].message) from unknown


def _therapy(protocol: Protocol, therapy_id: str | None) -> str:
    if therapy_id is None or therapy_id == "":
        return protocol.therapy_ids[0] if protocol.therapy_ids else ""
    if therapy_id not in protocol.therapy_ids:
        allowed = ", ".join(protocol.therapy_ids) or "none"
        message = f"protocol {protocol.id} does not deliver {therapy_id!r}; it delivers: {allowed}"
        raise InvalidInput.single("therapy_id", message)
    return therapy_id


def _replay(patient: Patient, key: str | None, wanted: dict[str, Any]) -> Course | None:
    if key is None:
        return None
    stored = Course.objects.filter(patient=patient, idempotency_key=key).first()
    if stored is None:
        return None
    if {k: getattr(stored, k) for k in wanted} != wanted:
        raise InvalidInput.single("idempotency_key", REUSED_KEY)
    return stored


def plan_course(
    *,
    patient: Patient,
    protocol_id: str,
    start: date,
    by: Actor,
    sessions: int | None = None,
    idempotency_key: str | None = None,
    therapy_id: str | None = None,
) -> Course:
    """Plan ``protocol_id`` for ``patient`` from ``start`` (``sessions`` overrides the
    protocol's planned number). InvalidInput names ``protocol_id``, ``start``, ``sessions``,
    ``therapy_id`` or ``idempotency_key``; nothing is stored then."""
    require(by, Capability.PLAN_COURSES, patient)
    errors = _date_errors("start", start, patient) + _sessions_errors(sessions)
    errors += key_errors(idempotency_key)
    if errors:
        raise InvalidInput(errors)
    protocol = _protocol(protocol_id)
    therapy = _therapy(protocol, therapy_id)
    wanted = {"protocol_id": protocol.id, "start_date": start, "therapy_id": therapy}
    replayed = _replay(patient, idempotency_key, wanted)
    if replayed is not None:
        _audit(by, Action.VIEW, replayed, "repeated submission (idempotency key); nothing new")
        return replayed
    plan = core_plan(protocol.id, start, sessions=sessions)
    course = Course(
        patient=patient,
        protocol_id=protocol.id,
        protocol_name=protocol.name,
        therapy_id=therapy,
        knowledge_version=knowledge_version(),
        start_date=start,
        planned_sessions=len(plan.sessions),
        instrument=protocol.primary_instrument,
        plan=plan.to_dict(),
        created_by=by.user,
        idempotency_key=idempotency_key,
    )
    return _store(course, by)


def _store(course: Course, by: Actor) -> Course:
    try:
        with transaction.atomic():
            course.save()
            summary = f"planned {course.protocol_id}, {course.planned_sessions} sessions"
            _audit(by, Action.CREATE, course, summary)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its course.
        found = Course.objects.filter(
            patient_id=course.patient_id, idempotency_key=course.idempotency_key
        ).first()
        if course.idempotency_key is None or found is None:
            raise
        return found
    return course


def _audit(by: Actor, action: Action, course: Course, summary: str) -> None:
    audit_patient(by, course.patient_id, action, "course", course, summary=summary)


def _end_errors(status: object, reason: object, on: object, course: Course) -> list[FieldError]:
    errors = []
    if status not in ENDED_STATUSES:
        errors.append(FieldError("status", "must be one of: completed, stopped"))
    if not isinstance(reason, str) or len(reason) > REASON_LENGTH:
        errors.append(FieldError("reason", f"must be text of at most {REASON_LENGTH} characters"))
    elif status == CourseStatus.STOPPED and not reason.strip():
        errors.append(FieldError("reason", "say why the course was stopped"))
    errors += _date_errors("ended_on", on, course.patient)
    if not errors and isinstance(on, date) and on < course.start_date:
        errors.append(FieldError("ended_on", "cannot be before the course's start date"))
    return errors


@transaction.atomic
def end_course(
    *, course: Course, status: str, by: Actor, reason: str = "", on: date | None = None
) -> Course:
    """Mark the course ``completed`` or ``stopped`` (a stop needs a reason) on ``on`` (today),
    then send ``course_ended``. An ended course is not ended again (``status`` error)."""
    require(by, Capability.PLAN_COURSES, course.patient)
    day = timezone.localdate() if on is None else on
    errors = _end_errors(status, reason, day, course)
    if errors:
        raise InvalidInput(errors)
    rows = Course.objects.select_for_update(of=("self",)).select_related("patient")
    locked = rows.get(pk=course.pk)
    if locked.is_ended:
        raise InvalidInput.single("status", f"the course is already {locked.status}")
    locked.status = status
    locked.ended_on = day
    locked.stop_reason = reason.strip()
    locked.save(update_fields=["status", "ended_on", "stop_reason"])
    _audit(by, Action.UPDATE, locked, f"course {status}")
    course_ended.send(sender=Course, course=locked, by=by)
    return locked
