"""REMS monitoring forms: opened when a session is signed under a rule in force, submitted once.

The rule (deadline, form fields) is knowledge-base data with an effective date
(``trdnav.core.protocols.rems_rule_in_force``); the clinic may switch REMS off or shorten the
deadline (``Clinic.protocol_settings``). The deadline runs from the end of the session: its
``performed_at`` plus the observation recorded (policy P-S3).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from trdnav.accounts.permissions import Capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.protocols import (
    RemsRule,
    RemsState,
    get_protocol,
    load_rems_rules,
    rems_deadline,
    rems_prefill,
    rems_rule_in_force,
    rems_state,
    validate_rems_form,
)
from trdnav.courses.checks import clinic_settings, values_errors
from trdnav.courses.guard import require
from trdnav.courses.models import RemsReport, TreatmentSession

# The session field holding the observation after dosing, in minutes (the esketamine protocols).
OBSERVATION_FIELD = "observation_minutes"


def _audit(by: Actor, action: Action, report: RemsReport, patient_id: int, summary: str) -> None:
    audit_patient(by, patient_id, action, "rems_report", report, summary=summary)


def open_rems_report(session: TreatmentSession, by: Actor) -> RemsReport | None:
    """At signature: the form due for ``session`` when its protocol files REMS forms and a
    rule is in force on the session's day in the clinic; None otherwise."""
    if not get_protocol(session.course.protocol_id).rems:
        return None
    end = session_end(session)
    clinic = session.course.patient.clinic
    rule = rems_rule_in_force(timezone.localdate(end), clinic_settings(clinic))
    if rule is None:
        return None
    report = RemsReport.objects.create(
        session=session,
        rule_effective_from=rule.effective_from,
        due_at=rems_deadline(end, rule),
    )
    _audit(by, Action.CREATE, report, session.course.patient_id, f"REMS form opened ({rule.id})")
    return report


def session_end(session: TreatmentSession) -> datetime:
    """When the session ended (policy P-S3): its time (dosing) plus the observation recorded,
    else its time alone; the signature's time when no time was recorded."""
    start = session.performed_at or session.signed_at or timezone.now()
    minutes = session.values.get(OBSERVATION_FIELD)
    if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes > 0:
        return start + timedelta(minutes=minutes)
    return start


def rule_of(report: RemsReport) -> RemsRule | None:
    """The rule version the report was opened under."""
    found = [r for r in load_rems_rules() if r.effective_from == report.rule_effective_from]
    return found[-1] if found else None


def state_of(report: RemsReport, now: datetime | None = None) -> RemsState:
    """``due``, ``overdue`` or ``submitted`` at ``now`` (the current time)."""
    return rems_state(report.due_at, report.submitted_at, now or timezone.now())


def _form_errors(rule: RemsRule | None, fields: Mapping[str, Any]) -> list[FieldError]:
    """The form's values checked against the rule's fields (names, types, required ones)."""
    if rule is None:
        return []
    try:
        validate_rems_form(rule, fields)
    except InvalidInput as refused:
        return [FieldError(f"fields.{e.field}", e.message) for e in refused.errors]
    return []


def prefill(session: TreatmentSession, report: RemsReport) -> dict[str, Any]:
    """The form's answers the session record already holds (for the form's first view)."""
    rule = rule_of(report)
    return {} if rule is None else rems_prefill(session.values, rule)


def submit_rems_report(
    *, session: TreatmentSession, fields: Mapping[str, Any], by: Actor
) -> RemsReport:
    """Record the submitted monitoring form. The same form sent again returns the stored
    report; a different one after submission is refused (``fields``)."""
    require(by, Capability.DOCUMENT_SESSIONS, session.course.patient)
    errors = [FieldError(e.field.replace("values", "fields", 1), e.message)
              for e in values_errors(fields)]  # fmt: skip
    if errors:
        raise InvalidInput(errors)
    patient_id = session.course.patient_id
    with transaction.atomic():
        report = RemsReport.objects.select_for_update().filter(session_id=session.pk).first()
        if report is None:
            raise InvalidInput.single("session", "no REMS monitoring form is due for this session")
        if report.submitted_at is not None:
            if report.fields == dict(fields):
                _audit(by, Action.VIEW, report, patient_id, "repeated submission; nothing new")
                return report
            when = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
            raise InvalidInput.single("fields", f"the form was already submitted on {when}")
        errors = _form_errors(rule_of(report), fields)
        if errors:
            raise InvalidInput(errors)
        late = state_of(report) == RemsState.OVERDUE
        report.fields = dict(fields)
        report.submitted_at = timezone.now()
        report.submitted_by = by.user
        report.save(update_fields=["fields", "submitted_at", "submitted_by"])
        _audit(by, Action.UPDATE, report, patient_id, "REMS form submitted" + (" late" * late))
    return report
