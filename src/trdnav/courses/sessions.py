"""Session records: save a draft, sign it (amendments: ``trdnav.courses.amendments``).

Every save re-runs the protocol's check and stores its result (``findings``). A session is
signed only when no block remains: a missing required field can never be overridden; any
other block needs a written reason from someone whose role may override (clinicians, clinic
administrators; staff where their clinic allows). A signed session is never overwritten: an
amendment keeps the previous and new values and the reason, and a block the new values raise
needs its own override. Rows are locked (``select_for_update``) where two people may act on
the same session at once; of two signatures exactly one succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from trdnav.accounts.permissions import Capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.limits import MAX_SESSIONS
from trdnav.core.protocols import SessionCheck
from trdnav.courses.checks import run_check, values_errors
from trdnav.courses.errors import SessionAlreadySigned
from trdnav.courses.guard import require
from trdnav.courses.models import (
    Course,
    CourseStatus,
    SessionOverride,
    SessionState,
    TreatmentSession,
)
from trdnav.courses.overrides import (
    audit_session,
    lift_blocks,
    locked_session,
    override_errors,
    session_day,
)
from trdnav.courses.planning import REUSED_KEY, key_errors
from trdnav.courses.rems import open_rems_report

# A tablet's clock a little ahead of the server's is not a session in the future.
CLOCK_SKEW = timedelta(minutes=5)


def _number_errors(number: object) -> list[FieldError]:
    if number is None:
        return []
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_SESSIONS:
        return [FieldError("number", f"must be a whole number from 1 to {MAX_SESSIONS}")]
    return []


def _moment_errors(performed_at: object) -> list[FieldError]:
    if performed_at is None:
        return []
    if not isinstance(performed_at, datetime) or timezone.is_naive(performed_at):
        return [FieldError("performed_at", "must be a date and time with a time zone")]
    if performed_at > timezone.now() + CLOCK_SKEW:
        return [FieldError("performed_at", "cannot be in the future")]
    return []


def _replay(
    course: Course, key: str | None, values: Mapping[str, Any], number: int | None
) -> TreatmentSession | None:
    if key is None:
        return None
    stored = course.sessions.filter(idempotency_key=key).first()
    if stored is None:
        return None
    if stored.values != dict(values) or number not in (None, stored.number):
        raise InvalidInput.single("idempotency_key", REUSED_KEY)
    stored.course = course
    return stored


def record_session(
    *,
    course: Course,
    values: Mapping[str, Any],
    by: Actor,
    number: int | None = None,
    idempotency_key: str | None = None,
    performed_at: datetime | None = None,
) -> TreatmentSession:
    """Save session ``number`` (the next one when None) as a draft with ``values``, checked by
    the protocol. A draft with that number is saved again; a signed one is refused (amend it).
    The same ``idempotency_key`` again returns the stored session and stores nothing."""
    require(by, Capability.DOCUMENT_SESSIONS, course.patient)
    errors = values_errors(values) + _number_errors(number) + _moment_errors(performed_at)
    errors += key_errors(idempotency_key)
    if errors:
        raise InvalidInput(errors)
    replayed = _replay(course, idempotency_key, values, number)
    if replayed is not None:
        summary = "repeated submission (idempotency key); nothing new"
        audit_session(by, Action.VIEW, replayed, summary)
        return replayed
    try:
        with transaction.atomic():
            return _save_draft(course, dict(values), by, number, idempotency_key, performed_at)
    except IntegrityError:
        # A concurrent request won the race for this key (or this number).
        found = course.sessions.filter(idempotency_key=idempotency_key).first()
        if idempotency_key is None or found is None:
            message = "this session was recorded meanwhile by someone else; open it again"
            raise InvalidInput.single("number", message) from None
        found.course = course
        return found


def _save_draft(
    course: Course,
    values: dict[str, Any],
    by: Actor,
    number: int | None,
    key: str | None,
    performed_at: datetime | None,
) -> TreatmentSession:
    # The course row's lock serialises numbering and drafts of one course.
    locked = Course.objects.select_for_update(of=("self",)).select_related("patient__clinic")
    course_now = locked.get(pk=course.pk)
    if course_now.is_ended:
        message = f"the course is {course_now.status}; no session can be recorded"
        raise InvalidInput.single("course", message)
    if number is None:
        number = (course_now.sessions.aggregate(n=Max("number"))["n"] or 0) + 1
    session = course_now.sessions.filter(number=number).first()
    if session is not None and session.is_signed:
        message = f"session {number} is signed; amend it with a reason instead"
        raise InvalidInput.single("number", message)
    created = session is None
    if session is None:
        session = TreatmentSession(course=course_now, number=number, recorded_by=by.user)
        session.scheduled_on = _scheduled_on(course_now, number)
        session.performed_at = performed_at or timezone.now()
    elif performed_at is not None:
        session.performed_at = performed_at
    session.course = course_now
    check = run_check(course_now, values, number=number, day=session_day(session.performed_at))
    session.values = values
    session.findings = check.to_dict()
    session.idempotency_key = key if key is not None else session.idempotency_key
    session.updated_at = timezone.now()
    session.save()
    if course_now.status == CourseStatus.PLANNED:
        course_now.status = CourseStatus.ACTIVE
        course_now.save(update_fields=["status"])
    action = Action.CREATE if created else Action.UPDATE
    audit_session(by, action, session, f"session {number} draft saved ({_counts(check)})")
    return session


def _scheduled_on(course: Course, number: int) -> date | None:
    for planned in course.plan.get("sessions", []):
        if planned.get("number") == number:
            return date.fromisoformat(planned["on"])
    return None


def _counts(check: SessionCheck) -> str:
    levels = [f.level for f in check.findings]
    return ", ".join(f"{levels.count(lv)} {lv}" for lv in ("block", "warn", "info"))


def sign_session(
    *, session: TreatmentSession, by: Actor, overrides: Mapping[str, str] | None = None
) -> TreatmentSession:
    """Sign the draft: the protocol check runs again on its values; ``overrides`` maps each
    block rule to its written reason. SessionNotSignable when blocks remain, PermissionDenied
    for overrides without the capability, SessionAlreadySigned when it was signed meanwhile.
    A REMS monitoring form is opened when a REMS rule is in force for the protocol."""
    require(by, Capability.DOCUMENT_SESSIONS, session.course.patient)
    given = {} if overrides is None else overrides
    errors = override_errors(given)
    if errors:
        raise InvalidInput(errors)
    reasons = {rule: reason.strip() for rule, reason in given.items()}
    with transaction.atomic():
        locked = locked_session(session)
        if locked.is_signed:
            raise SessionAlreadySigned(locked.number)
        day = session_day(locked.performed_at)
        check = run_check(locked.course, locked.values, number=locked.number, day=day)
        lift_blocks(check, reasons, by)
        now = timezone.now()
        locked.findings = check.to_dict()
        locked.state = SessionState.SIGNED
        locked.signed_by = by.user
        locked.signed_at = now
        locked.updated_at = now
        locked.performed_at = locked.performed_at or now
        locked.save()
        SessionOverride.objects.bulk_create(
            SessionOverride(session=locked, rule=r, reason=text, by=by.user, at=now)
            for r, text in reasons.items()
        )
        rules = f"; overrides: {', '.join(reasons)}" if reasons else ""
        audit_session(by, Action.UPDATE, locked, f"session {locked.number} signed{rules}")
        open_rems_report(locked, by)
    return locked
