"""Running the protocol's session check (``trdnav.core.protocols.check_session``) for a stored
session: its context (age, earlier signed sessions, the clinic's settings) and its errors
named by the paths a client sent (``values.<field>``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from trdnav.accounts.models import Clinic
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.limits import MAX_CODE_LENGTH
from trdnav.core.protocols import SessionCheck, SessionContext, check_session
from trdnav.courses.models import Course, SessionState

# The protocols read the weight from the session's own values; an earlier session's weight
# is the context's fallback for a session that does not repeat it.
WEIGHT_FIELD = "weight_kg"
MAX_VALUE_FIELDS = 200


def clinic_settings(clinic: Clinic) -> dict[str, Any]:
    """What the protocol checks read from the clinic's configuration (``rems_enabled``,
    ``rems_deadline_days``, ``protocol_limits``: see docs/courses.md)."""
    return dict(clinic.protocol_settings or {})


def values_errors(values: object) -> list[FieldError]:
    """The shape the check needs: an object with text keys (types are the core's business)."""
    if not isinstance(values, Mapping):
        return [FieldError("values", "must be an object of the protocol's session fields")]
    if len(values) > MAX_VALUE_FIELDS:
        return [FieldError("values", f"at most {MAX_VALUE_FIELDS} fields")]
    bad = [k for k in values if not isinstance(k, str) or not 0 < len(k) <= MAX_CODE_LENGTH]
    if bad:
        return [FieldError("values", f"field names must be text of 1–{MAX_CODE_LENGTH} characters")]
    return []


def earlier_values(course: Course, number: int) -> list[dict[str, Any]]:
    """Values of the course's signed sessions before ``number``, oldest first."""
    rows = course.sessions.filter(state=SessionState.SIGNED, number__lt=number).order_by("number")
    return [dict(v) for v in rows.values_list("values", flat=True)]


def context_for(course: Course, number: int, day: date) -> SessionContext:
    previous = earlier_values(course, number)
    weights = [p[WEIGHT_FIELD] for p in previous if _is_number(p.get(WEIGHT_FIELD))]
    return SessionContext(
        weight_kg=float(weights[-1]) if weights else None,
        age_years=course.patient.age_on(day),
        session_number=number,
        previous_sessions=previous,
        clinic_settings=clinic_settings(course.patient.clinic),
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def run_check(course: Course, values: Mapping[str, Any], *, number: int, day: date) -> SessionCheck:
    """The protocol's check of ``values``; InvalidInput naming ``values.<field>`` when a
    field is unknown to the protocol or of the wrong type."""
    errors = values_errors(values)
    if errors:
        raise InvalidInput(errors)
    try:
        return check_session(course.protocol_id, values, context_for(course, number, day))
    except InvalidInput as refused:
        raise InvalidInput([_under_values(e, values) for e in refused.errors]) from refused


def _under_values(error: FieldError, values: Mapping[str, Any]) -> FieldError:
    """A field of the session is named under ``values``; anything else (a clinic setting the
    core refused, such as ``protocol_limits.<id>.<limit>``) keeps its own name."""
    if error.field not in values:
        return error
    return FieldError(f"values.{error.field}", error.message)
