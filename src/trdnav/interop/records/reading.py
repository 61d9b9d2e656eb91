"""The stored records of some patients as FHIR resources, one resource type at a time.

Every function takes patients the caller has already scoped to the user's clinic (and audited);
nothing here checks access. Ids are those of ``trdnav fhir export``: the Patient's id is the
patient's id in the app (as in ``/patients/<id>/`` and the JSON API), and every other resource's
id starts with ``<patient id>-``, so a read can find its patient first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from trdnav.assessments.models import Assessment
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.instruments.registry import INSTRUMENT_CODES
from trdnav.core.protocols.load import load_protocols
from trdnav.courses.models import TreatmentSession
from trdnav.history.snapshots import latest_snapshot
from trdnav.interop.base import Resource
from trdnav.interop.bundle import history_resources, score_resources
from trdnav.interop.export import patient_record, stored_score
from trdnav.interop.patient import build_patient
from trdnav.interop.procedure import PROCEDURE_MODALITIES, SessionRecord, build_procedure
from trdnav.interop.questionnaire import build_questionnaire
from trdnav.patients.models import Patient

Reader = Callable[[Sequence[Patient]], list[Resource]]


def _of_type(resources: list[Resource], resource_type: str) -> list[Resource]:
    return [r for r in resources if r["resourceType"] == resource_type]


def patients(rows: Sequence[Patient]) -> list[Resource]:
    return [build_patient(patient_record(p)) for p in rows]


def _scores(rows: Sequence[Patient], resource_type: str) -> list[Resource]:
    stored = Assessment.objects.filter(patient__in=list(rows)).order_by("administered_on", "pk")
    out: list[Resource] = []
    for row in stored:
        out += _of_type(score_resources(stored_score(row), patient_id=str(row.patient_id)),
                        resource_type)  # fmt: skip
    return out


def _history(rows: Sequence[Patient], resource_type: str) -> list[Resource]:
    profiles = ClinicalProfile.objects.filter(patient__in=list(rows)).exclude(history=None)
    out: list[Resource] = []
    for profile in profiles.select_related("patient"):
        snapshot = latest_snapshot(profile.patient) if resource_type == "Observation" else None
        recorded = snapshot.computed_at if snapshot else datetime.min.replace(tzinfo=UTC)
        out += _of_type(
            history_resources(
                profile.history,
                patient_id=str(profile.patient_id),
                assessment=snapshot.result if snapshot else None,
                recorded=recorded,
            ),
            resource_type,
        )
    return out


def responses(rows: Sequence[Patient]) -> list[Resource]:
    return _scores(rows, "QuestionnaireResponse")


def observations(rows: Sequence[Patient]) -> list[Resource]:
    """Score Observations, then the TRD-status and stage Observations of the latest snapshot."""
    return _scores(rows, "Observation") + _history(rows, "Observation")


def conditions(rows: Sequence[Patient]) -> list[Resource]:
    return _history(rows, "Condition")


def medication_statements(rows: Sequence[Patient]) -> list[Resource]:
    return _history(rows, "MedicationStatement")


def session_record(session: TreatmentSession) -> SessionRecord:
    course = session.course
    performed = session.performed_at or session.created_at  # only performed ones are read
    return SessionRecord(
        course_key=str(course.pk),
        number=session.number,
        protocol_id=course.protocol_id,
        protocol_name=course.protocol_name,
        modality=modality_of(course.protocol_id),
        performed_at=performed,
        signed=session.is_signed,
        patient_id=str(course.patient_id),
        values={k: v for k, v in dict(session.values or {}).items() if v is not None},
    )


def modality_of(protocol_id: str) -> str:
    protocol = load_protocols().get(protocol_id)
    return protocol.modality if protocol is not None else ""


def procedures(rows: Sequence[Patient]) -> list[Resource]:
    sessions = (
        TreatmentSession.objects.filter(course__patient__in=list(rows), performed_at__isnull=False)
        .select_related("course")
        .order_by("performed_at", "pk")
    )
    return [
        build_procedure(session_record(s))
        for s in sessions
        if modality_of(s.course.protocol_id) in PROCEDURE_MODALITIES
    ]


def questionnaires() -> list[Resource]:
    """The twelve instruments' Questionnaires (no patient data)."""
    return [build_questionnaire(code) for code in INSTRUMENT_CODES]


# The patient-data resource types and how each is read.
PATIENT_DATA: dict[str, Reader] = {
    "Patient": patients,
    "Condition": conditions,
    "Observation": observations,
    "QuestionnaireResponse": responses,
    "MedicationStatement": medication_statements,
    "Procedure": procedures,
}
