"""Overrides of blocking findings, shared by signing and amending (policy P-S1, P-S2).

A missing required field can never be overridden; every other block rule needs a written
reason, and overriding needs ``Capability.OVERRIDE_SESSION_BLOCKS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from trdnav.accounts.permissions import Capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.protocols import SessionCheck
from trdnav.courses.errors import SessionNotSignable
from trdnav.courses.guard import may
from trdnav.courses.models import REASON_LENGTH, TreatmentSession

RULE_LENGTH = 80
NO_OVERRIDE = (
    "your role does not allow signing over a blocking check (override_session_blocks); "
    "ask a clinician"
)


def audit_session(by: Actor, action: Action, session: TreatmentSession, summary: str) -> None:
    audit_patient(
        by, session.course.patient_id, action, "treatment_session", session, summary=summary[:200]
    )


def session_day(moment: datetime | None) -> date:
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


def override_errors(overrides: object) -> list[FieldError]:
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


def locked_session(session: TreatmentSession) -> TreatmentSession:
    rows = TreatmentSession.objects.select_for_update(of=("self",))
    return rows.select_related("course__patient__clinic").get(pk=session.pk)


def lift_blocks(
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
