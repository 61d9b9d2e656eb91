"""Side-effect and concern reports: the patient reports, the care team acknowledges, the
patient sees when it was read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.limits import EARLIEST_DATE, MAX_NOTE_LENGTH
from trdnav.patients.models import Patient
from trdnav.portal.models import ConcernReport, ReportKind, SafetySource, Severity
from trdnav.portal.services.safety import acknowledge_once, raise_notice

FIELDS = ("kind", "what", "severity", "since", "details", "self_harm_thoughts")


def _choice(data: Mapping[str, Any], name: str, choices: Any) -> list[FieldError]:
    if data.get(name) in choices.values:
        return []
    return [FieldError(name, f"choose one of: {', '.join(choices.values)}")]


def _errors(data: Mapping[str, Any], born: date | None = None) -> list[FieldError]:
    errors = [FieldError(n, "unknown field") for n in data if n not in FIELDS]
    errors += _choice(data, "kind", ReportKind) + _choice(data, "severity", Severity)
    what = str(data.get("what") or "").strip()
    if not what or len(what) > 200:
        errors.append(FieldError("what", "say in a few words what it is (up to 200 characters)"))
    since = data.get("since")
    if not isinstance(since, date) or since > timezone.localdate():
        errors.append(FieldError("since", "give the date it started (not in the future)"))
    elif since < max(EARLIEST_DATE, born or EARLIEST_DATE):
        errors.append(FieldError("since", "give a date after your date of birth"))
    if len(str(data.get("details") or "")) > MAX_NOTE_LENGTH:
        errors.append(FieldError("details", f"up to {MAX_NOTE_LENGTH} characters"))
    if not isinstance(data.get("self_harm_thoughts"), bool):
        errors.append(FieldError("self_harm_thoughts", "answer yes or no"))
    return errors


@transaction.atomic
def report_concern(*, patient: Patient, data: Mapping[str, Any], by: Actor) -> ConcernReport:
    """Store a complete report (or nothing); thoughts of self-harm raise a safety notice."""
    errors = _errors(data, born=patient.date_of_birth)
    if errors:
        raise InvalidInput(errors)
    report = ConcernReport.objects.create(
        patient=patient, kind=data["kind"], what=str(data["what"]).strip(),
        severity=data["severity"], since=data["since"],
        details=str(data.get("details") or "").strip(),
        self_harm_thoughts=data["self_harm_thoughts"], created_by=by.user,
        created_at=timezone.now(),
    )  # fmt: skip
    audit_patient(by, patient, Action.CREATE, "concern_report", report)
    if report.self_harm_thoughts:
        raise_notice(
            patient=patient, source=SafetySource.REPORT, reference=report.pk, by=by,
            detail="reported thoughts of self-harm in a concern report",
        )  # fmt: skip
    return report


@transaction.atomic
def acknowledge_concern(*, report: ConcernReport, by: Actor) -> ConcernReport:
    """Mark the report as read by the care team (once; later calls change nothing)."""
    return acknowledge_once(report, object_type="concern_report", by=by)
