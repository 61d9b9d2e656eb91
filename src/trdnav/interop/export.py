"""Reading one patient's records from the apps into a FHIR Bundle (``trdnav fhir export``).

The export is audited (``export`` of ``fhir_bundle``), like every read of patient data. The
TRD status and stages are the latest stored history snapshot of the default profile: what the
knowledge base computed, with its version, not a fresh computation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trdnav.assessments.models import Assessment
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.errors import InvalidInput
from trdnav.history.snapshots import latest_snapshot
from trdnav.interop.base import Resource
from trdnav.interop.bundle import (
    StoredScore,
    history_resources,
    patient_bundle,
    score_resources,
)
from trdnav.interop.patient import PatientRecord
from trdnav.patients.models import Patient


def _patient(patient_id: int) -> Patient:
    found = Patient.objects.select_related("clinic").filter(pk=patient_id).first()
    if found is None:
        raise InvalidInput.single("patient_id", f"no patient with id {patient_id}")
    return found


def patient_record(patient: Patient) -> PatientRecord:
    return PatientRecord(
        id=str(patient.pk),
        clinic=patient.clinic.slug,
        record_number=patient.record_number,
        given_name=patient.given_name,
        family_name=patient.family_name,
        date_of_birth=patient.date_of_birth,
        sex=patient.sex,
        gender_identity=patient.gender_identity,
        email=patient.email,
        active=patient.active,
    )


def stored_score(row: Assessment) -> StoredScore:
    result: dict[str, Any] = row.result if isinstance(row.result, dict) else {}
    band = result.get("risk") if row.instrument == "cssrs_screen" else row.severity
    return StoredScore(
        key=str(row.pk),
        instrument=row.instrument,
        answers=row.answers if isinstance(row.answers, dict) else {},
        administered_on=row.administered_on,
        total=row.total,
        severity=band or None,
        safety=row.safety or None,
        safety_priority=row.safety_priority or None,
        knowledge_version=row.knowledge_version,
        recorded_at=row.recorded_at,
    )


def clinical_resources(
    patient: Patient, *, now: datetime, since: datetime | None = None
) -> list[Resource]:
    """The patient's resources other than the Patient itself; with ``since``, only those
    changed at or after it (scores recorded since; the history if it or its staging changed)."""
    resources: list[Resource] = []
    rows = Assessment.objects.filter(patient=patient).order_by("administered_on", "pk")
    if since is not None:
        rows = rows.filter(recorded_at__gte=since)
    for row in rows:
        resources += score_resources(stored_score(row), patient_id=str(patient.pk))
    profile = ClinicalProfile.objects.filter(patient=patient).first()
    snapshot = latest_snapshot(patient) if profile and profile.history else None
    changed = [profile.updated_at if profile else None, snapshot.computed_at if snapshot else None]
    if since is None or any(when is not None and when >= since for when in changed):
        resources += history_resources(
            profile.history if profile else None,
            patient_id=str(patient.pk),
            assessment=snapshot.result if snapshot else None,
            recorded=snapshot.computed_at if snapshot else now,
        )
    return resources


def export_patient(patient_id: int, *, by: Actor, now: datetime) -> Resource:
    """The patient's Bundle; ``InvalidInput`` naming ``patient_id`` when there is none."""
    patient = _patient(patient_id)
    resources = clinical_resources(patient, now=now)
    bundle = patient_bundle(patient_record(patient), resources, timestamp=now)
    audit_patient(
        Actor(user=by.user, clinic=by.clinic or patient.clinic, via=by.via),
        patient,
        Action.EXPORT,
        "fhir_bundle",
        patient,
        summary=f"FHIR export of {len(bundle['entry'])} resources",
    )
    return bundle
