"""Session records: save a draft, sign it, amend it once signed.

Every save re-runs the protocol's check and stores its result (``findings``). A session is
signed only when no block remains: a missing required field can never be overridden; any
other block needs a written reason from someone whose role may override (clinicians, clinic
administrators; staff where their clinic allows). A signed session is never overwritten: an
amendment keeps the previous and new values and the reason, and a block the new values raise
needs its own override. Rows are locked (``select_for_update``) where two people may act on
the same session at once; of two signatures exactly one succeeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from trdnav.accounts.permissions import Capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.limits import MAX_SESSIONS
from trdnav.core.protocols import SessionCheck
from trdnav.courses.checks import run_check, values_errors
from trdnav.courses.errors import SessionAlreadySigned, SessionNotSignable
from trdnav.courses.guard import may, require
from trdnav.courses.models import (
    REASON_LENGTH,
    Course,
    CourseStatus,
    SessionAmendment,
    SessionOverride,
    SessionState,
    TreatmentSession,
)
from trdnav.courses.planning import REUSED_KEY, key_errors
from trdnav.courses.rems import open_rems_report

RULE_LENGTH = 80
# A tablet's clock a little ahead of the server's is not a session in the future.
CLOCK_SKEW = timedelta(minutes=5)
NO_OVERRIDE = (
    "your role does not allow signing over a blocking check (override_session_blocks); "
    "ask a clinician"
)


def _audit(by: Actor, action: Action, session: TreatmentSession, summary: str) -> None:
    record_event(
        by=by,
        action=action,
        object_type="treatment_session",
        object_id=session.pk,
        patient_id=session.course.patient_id,
        summary=summary[:200],
    )


def _day(moment: datetime | None) -> date:
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


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
        _audit(by, Action.VIEW, replayed, "repeated submission (idempotency key); nothing new")
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
    check = run_check(course_now, values, number=number, day=_day(session.performed_at))
    session.values = values
    session.findings = check.to_dict()
    session.idempotency_key = key if key is not None else session.idempotency_key
    session.updated_at = timezone.now()
    session.save()
    if course_now.status == CourseStatus.PLANNED:
        course_now.status = CourseStatus.ACTIVE
        course_now.save(update_fields=["status"])
    action = Action.CREATE if created else Action.UPDATE
    _audit(by, action, session, f"session {number} draft saved ({_counts(check)})")
    return session


def _scheduled_on(course: Course, number: int) -> date | None:
    for planned in course.plan.get("sessions", []):
        if planned.get("number") == number:
            return date.fromisoformat(planned["on"])
    return None


def _counts(check: SessionCheck) -> str:
    levels = [f.level for f in check.findings]
    return ", ".join(f"{levels.count(lv)} {lv}" for lv in ("block", "warn", "info"))


def _override_errors(overrides: object) -> list[FieldError]:
    if not isinstance(overrides, Mapping):
        return [FieldError("overrides", "must be an object: block rule → written reason")]
    errors = []
    for rule, reason in overrides.items():
        if not isinstance(rule, str) or not 0 < len(rule) <= RULE_LENGTH:
            errors.append(FieldError("overrides", "rules are text of 1–80 characters"))
        elif not isinstance(reason, str) or not reason.strip():
            errors.append(FieldError(f"overrides.{rule}", "write why the block is overridden"))
        elif len(reason) > REASON_LENGTH:
            message = f"at most {REASON_LENGTH} characters"
            errors.append(FieldError(f"overrides.{rule}", message))
    return errors


def _locked(session: TreatmentSession) -> TreatmentSession:
    rows = TreatmentSession.objects.select_for_update(of=("self",))
    return rows.select_related("course__patient__clinic").get(pk=session.pk)


def _blocking(
    check: SessionCheck, overrides: Mapping[str, str], by: Actor, already: Iterable[str] = ()
) -> None:
    """Raise unless every block of ``check`` is lifted: none may be a missing required field,
    each other block rule (not in ``already``) needs a reason in ``overrides``, and overrides
    need the capability. An override of a rule that does not block is refused."""
    fixed = set(check.unoverridable_rules)
    needed = [r for r in check.block_rules if r not in fixed and r not in set(already)]
    stray = [rule for rule in overrides if rule not in needed]
    if stray:
        allowed = ", ".join(needed) or "none"
        message = f"no block to override under this rule; blocks that may be overridden: {allowed}"
        raise InvalidInput([FieldError(f"overrides.{rule}", message) for rule in stray])
    if overrides and not may(by, Capability.OVERRIDE_SESSION_BLOCKS):
        raise PermissionDenied(NO_OVERRIDE)
    missing = [r for r in needed if r not in overrides]
    stopping = [f for f in check.blocks if f.rule in fixed or f.rule in missing]
    if not stopping:
        return
    errors = [
        FieldError(f"values.{f.field}", f.message)
        if f.rule in fixed
        else FieldError(f"overrides.{f.rule}", f"a written override reason is needed: {f.message}")
        for f in stopping
    ]
    raise SessionNotSignable([f.to_dict() for f in stopping], errors)


def sign_session(
    *, session: TreatmentSession, by: Actor, overrides: Mapping[str, str] | None = None
) -> TreatmentSession:
    """Sign the draft: the protocol check runs again on its values; ``overrides`` maps each
    block rule to its written reason. SessionNotSignable when blocks remain, PermissionDenied
    for overrides without the capability, SessionAlreadySigned when it was signed meanwhile.
    A REMS monitoring form is opened when a REMS rule is in force for the protocol."""
    require(by, Capability.DOCUMENT_SESSIONS, session.course.patient)
    given = {} if overrides is None else overrides
    errors = _override_errors(given)
    if errors:
        raise InvalidInput(errors)
    reasons = {rule: reason.strip() for rule, reason in given.items()}
    with transaction.atomic():
        locked = _locked(session)
        if locked.is_signed:
            raise SessionAlreadySigned(locked.number)
        day = _day(locked.performed_at)
        check = run_check(locked.course, locked.values, number=locked.number, day=day)
        _blocking(check, reasons, by)
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
        _audit(by, Action.UPDATE, locked, f"session {locked.number} signed{rules}")
        open_rems_report(locked, by)
    return locked


def _changes(stored: Mapping[str, Any], values: Mapping[str, Any]) -> list[str]:
    return [k for k, v in values.items() if stored.get(k) != v]


def _amend_errors(values: object, reason: object, overrides: object) -> list[FieldError]:
    errors = values_errors(values) + _override_errors(overrides)
    if not isinstance(reason, str) or not reason.strip():
        errors.append(FieldError("reason", "write why the signed session is amended"))
    elif len(reason) > REASON_LENGTH:
        errors.append(FieldError("reason", f"at most {REASON_LENGTH} characters"))
    return errors


def amend_session(
    *,
    session: TreatmentSession,
    values: Mapping[str, Any],
    reason: str,
    by: Actor,
    overrides: Mapping[str, str] | None = None,
) -> SessionAmendment:
    """Change fields of a signed session: ``values`` holds only the fields changed (null
    clears one). The previous and new values and ``reason`` are kept; the protocol check runs
    on the amended values, and a block they raise needs an override like a signature."""
    require(by, Capability.DOCUMENT_SESSIONS, session.course.patient)
    given = {} if overrides is None else overrides
    errors = _amend_errors(values, reason, given)
    if errors:
        raise InvalidInput(errors)
    reasons = {rule: text.strip() for rule, text in given.items()}
    with transaction.atomic():
        locked = _locked(session)
        if not locked.is_signed:
            message = "only a signed session is amended; save the draft again instead"
            raise InvalidInput.single("session", message)
        changed = _changes(locked.values, values)
        if not changed:
            raise InvalidInput.single("values", "no field differs from the signed session")
        merged = {k: v for k, v in {**locked.values, **values}.items() if v is not None}
        check = run_check(
            locked.course, merged, number=locked.number, day=_day(locked.performed_at)
        )
        overridden = locked.overrides.values_list("rule", flat=True)
        _blocking(check, reasons, by, already=list(overridden))
        return _store_amendment(locked, merged, changed, reason.strip(), check, reasons, by)


def _store_amendment(
    session: TreatmentSession,
    merged: dict[str, Any],
    changed: list[str],
    reason: str,
    check: SessionCheck,
    reasons: Mapping[str, str],
    by: Actor,
) -> SessionAmendment:
    now = timezone.now()
    amendment = SessionAmendment.objects.create(
        session=session,
        reason=reason,
        previous_values={k: session.values.get(k) for k in changed},
        new_values={k: merged.get(k) for k in changed},
        findings=check.to_dict(),
        by=by.user,
        at=now,
    )
    SessionOverride.objects.bulk_create(
        SessionOverride(session=session, rule=r, reason=t, amendment=amendment, by=by.user, at=now)
        for r, t in reasons.items()
    )
    session.values = merged
    session.findings = check.to_dict()
    session.updated_at = now
    session.save(update_fields=["values", "findings", "updated_at"])
    _audit(by, Action.UPDATE, session, f"session {session.number} amended: {', '.join(changed)}")
    return amendment
