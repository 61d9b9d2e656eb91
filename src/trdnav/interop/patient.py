"""The patient record as a FHIR Patient, and back.

``identifier``: the clinic's record number (system: this application's record-number naming
system, with the clinic's slug as ``assigner.display``); ``gender``: the administrative sex
(FHIR administrative-gender, left out when not recorded); gender identity, free text, in the
HL7 ``patient-genderIdentity`` extension.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.interop.base import GENDER_IDENTITY, RECORD_NUMBER, Resource, identifier_value


@dataclass(frozen=True)
class PatientRecord:
    id: str
    clinic: str
    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str  # "" when not recorded
    gender_identity: str
    email: str
    active: bool


def build_patient(record: PatientRecord) -> Resource:
    patient: Resource = {
        "resourceType": "Patient",
        "id": record.id,
        "identifier": [
            {
                "use": "usual",
                "system": RECORD_NUMBER,
                "value": record.record_number,
                "assigner": {"display": record.clinic},
            }
        ],
        "active": record.active,
        "name": [{"use": "official", "family": record.family_name, "given": [record.given_name]}],
        "birthDate": record.date_of_birth.isoformat(),
    }
    if record.sex:
        patient["gender"] = record.sex
    if record.email:
        patient["telecom"] = [{"system": "email", "value": record.email}]
    if record.gender_identity:
        patient["extension"] = [
            {"url": GENDER_IDENTITY, "valueCodeableConcept": {"text": record.gender_identity}}
        ]
    return patient


def read_patient(resource: Mapping[str, Any]) -> PatientRecord:
    name: Mapping[str, Any] = (resource.get("name") or [{}])[0]
    identity: Mapping[str, Any] = next(
        (e for e in resource.get("extension", []) if e.get("url") == GENDER_IDENTITY), {}
    )
    email = next((t["value"] for t in resource.get("telecom", []) if t["system"] == "email"), "")
    ident: Mapping[str, Any] = next(
        (i for i in resource.get("identifier", []) if i.get("system") == RECORD_NUMBER), {}
    )
    return PatientRecord(
        id=str(resource.get("id", "")),
        clinic=str(ident.get("assigner", {}).get("display", "")),
        record_number=identifier_value(resource, RECORD_NUMBER) or "",
        given_name=" ".join(name.get("given", [])),
        family_name=str(name.get("family", "")),
        date_of_birth=date.fromisoformat(resource["birthDate"]),
        sex=str(resource.get("gender", "")),
        gender_identity=str(identity.get("valueCodeableConcept", {}).get("text", "")),
        email=str(email),
        active=bool(resource.get("active", True)),
    )
