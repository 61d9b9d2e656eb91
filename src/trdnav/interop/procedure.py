"""One documented session of an ECT, TMS, ketamine or esketamine course as a Procedure.

``category`` is SNOMED CT 24642003 "Psychiatry procedure or service", the one code of the R4
``procedure-category`` value set that fits (checked in the FHIR specification). ``code`` is
**text only** (the protocol's name) plus the protocol and modality in this application's own
code systems: no SNOMED CT or CPT procedure code for TMS, ECT or infusions is verified in the
research (policy P-IR1). ``status``: ``completed`` once signed, ``in-progress`` for a draft that
was performed but not signed yet; sessions not performed yet are the course plan, not
procedures, and are not mapped. The session's documented values (parameters, tolerability…)
travel in the ``course-session`` extension, each a sub-extension named after the protocol's
field, so the round trip gives the same session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from trdnav.interop.base import (
    CANONICAL,
    Resource,
    code_in,
    coding,
    concept,
    extension_fields,
    fhir_id,
    identifier_value,
    read_extension_fields,
    reference,
    reference_id,
)

SNOMED = "http://snomed.info/sct"
PSYCHIATRY_PROCEDURE = "24642003"
PROTOCOL_CODES = f"{CANONICAL}/CodeSystem/protocol"
MODALITY_CODES = f"{CANONICAL}/CodeSystem/modality"
SESSION_ID = f"{CANONICAL}/NamingSystem/course-session"
SESSION_EXTENSION = f"{CANONICAL}/StructureDefinition/course-session"
SESSION_VALUES_EXTENSION = f"{CANONICAL}/StructureDefinition/course-session-values"
# The course modalities whose sessions are procedures (psychotherapy sessions and medication
# trials are not: the trials are MedicationStatements).
PROCEDURE_MODALITIES = ("ect", "tms", "ketamine_iv", "esketamine")


@dataclass(frozen=True)
class SessionRecord:
    """One performed session of a course, in the app's terms."""

    course_key: str
    number: int
    protocol_id: str
    protocol_name: str
    modality: str
    performed_at: datetime
    signed: bool
    patient_id: str
    values: Mapping[str, Any] = field(default_factory=dict)  # None values left out


def session_resource_id(patient_id: str, course_key: str, number: int) -> str:
    return fhir_id(patient_id, "course", course_key, "session", number)


def build_procedure(record: SessionRecord) -> Resource:
    procedure: Resource = {
        "resourceType": "Procedure",
        "id": session_resource_id(record.patient_id, record.course_key, record.number),
        "identifier": [{"system": SESSION_ID, "value": f"{record.course_key}-{record.number}"}],
        "status": "completed" if record.signed else "in-progress",
        "category": concept(
            coding(SNOMED, PSYCHIATRY_PROCEDURE, "Psychiatry procedure or service")
        ),
        "code": concept(
            coding(PROTOCOL_CODES, record.protocol_id, record.protocol_name),
            coding(MODALITY_CODES, record.modality),
            text=f"{record.protocol_name}, session {record.number}",
        ),
        "subject": reference("Patient", record.patient_id),
        "performedDateTime": record.performed_at.isoformat(),
        "extension": [
            extension_fields(
                SESSION_EXTENSION,
                {
                    "course": record.course_key,
                    "number": record.number,
                    "protocol-name": record.protocol_name,
                },
            )
        ],
    }
    values = {k: v for k, v in record.values.items() if v is not None}
    if values:
        procedure["extension"].append(extension_fields(SESSION_VALUES_EXTENSION, values))
    return procedure


def read_procedure(resource: Mapping[str, Any]) -> SessionRecord:
    session = read_extension_fields(resource, SESSION_EXTENSION)
    performed = str(resource.get("performedDateTime") or "")
    return SessionRecord(
        course_key=str(session.get("course") or identifier_value(resource, SESSION_ID) or ""),
        number=int(str(session.get("number") or 0)),
        protocol_id=code_in(resource.get("code"), PROTOCOL_CODES) or "",
        protocol_name=str(session.get("protocol-name") or ""),
        modality=code_in(resource.get("code"), MODALITY_CODES) or "",
        performed_at=datetime.fromisoformat(performed),
        signed=resource.get("status") == "completed",
        patient_id=reference_id(resource.get("subject"), "Patient") or "",
        values=read_extension_fields(resource, SESSION_VALUES_EXTENSION),
    )
