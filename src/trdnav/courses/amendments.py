"""Amending a signed session (policy P-S2): never overwritten, changed with a reason; the
previous and new values are kept and the protocol check runs on the amended values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from trdnav.accounts.permissions import Capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.protocols import SessionCheck
from trdnav.courses.checks import run_check, values_errors
from trdnav.courses.guard import require
from trdnav.courses.models import (
    REASON_LENGTH,
    SessionAmendment,
    SessionOverride,
    TreatmentSession,
)
from trdnav.courses.overrides import (
    audit_session,
    lift_blocks,
    locked_session,
    override_errors,
    session_day,
)


def _changes(stored: Mapping[str, Any], values: Mapping[str, Any]) -> list[str]:
    return [k for k, v in values.items() if stored.get(k) != v]


def _amend_errors(values: object, reason: object, overrides: object) -> list[FieldError]:
    errors = values_errors(values) + override_errors(overrides)
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
        locked = locked_session(session)
        if not locked.is_signed:
            message = "only a signed session is amended; save the draft again instead"
            raise InvalidInput.single("session", message)
        changed = _changes(locked.values, values)
        if not changed:
            raise InvalidInput.single("values", "no field differs from the signed session")
        merged = {k: v for k, v in {**locked.values, **values}.items() if v is not None}
        check = run_check(
            locked.course, merged, number=locked.number, day=session_day(locked.performed_at)
        )
        overridden = locked.overrides.values_list("rule", flat=True)
        lift_blocks(check, reasons, by, already=list(overridden))
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
    summary = f"session {session.number} amended: {', '.join(changed)}"
    audit_session(by, Action.UPDATE, session, summary)
    return amendment
