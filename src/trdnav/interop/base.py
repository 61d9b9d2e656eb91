"""Code systems, extension URLs and small builders shared by every mapping.

Every system and extension here is listed in docs/interop.md. Local code systems live under
``CANONICAL``: a stable name for this application's own codes, not a web address (``.invalid``
is reserved and never resolves). A deployment that publishes its definitions changes it here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from trdnav.core.errors import FieldError

Resource = dict[str, Any]

CANONICAL = "https://trdnav.invalid/fhir"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

# Extensions published by HL7 (R4 core and SDC).
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
CALCULATED_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
GENDER_IDENTITY = "http://hl7.org/fhir/StructureDefinition/patient-genderIdentity"
SDC_QUESTIONNAIRE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"

# This application's own code systems and extensions.
OBSERVATION_CODES = f"{CANONICAL}/CodeSystem/observation"
ITEM_CODES = f"{CANONICAL}/CodeSystem/instrument-item"
SAFETY_CODES = f"{CANONICAL}/CodeSystem/safety"
RECORD_NUMBER = f"{CANONICAL}/NamingSystem/record-number"
EPISODE_ID = f"{CANONICAL}/NamingSystem/episode"
TREATMENT_ID = f"{CANONICAL}/NamingSystem/treatment"
KNOWLEDGE_VERSION = f"{CANONICAL}/NamingSystem/knowledge-version"
TRIAL_EXTENSION = f"{CANONICAL}/StructureDefinition/treatment-trial"
EPISODE_EXTENSION = f"{CANONICAL}/StructureDefinition/episode"
BASIS_EXTENSION = f"{CANONICAL}/StructureDefinition/basis"

_ID = re.compile(r"[^A-Za-z0-9\-.]+")


def fhir_id(*parts: object) -> str:
    """A resource id (``[A-Za-z0-9-.]{1,64}``) from readable parts; other characters become
    ``-``. The original id, when it matters, is kept in an ``identifier``."""
    text = "-".join(_ID.sub("-", str(part)).strip("-") for part in parts if str(part))
    return text[:64] or "x"


def answer_set_system(instrument: str, answer_set: str) -> str:
    return f"{CANONICAL}/CodeSystem/{instrument}-{answer_set}"


def band_system(instrument: str, scheme: str) -> str:
    return f"{CANONICAL}/CodeSystem/{instrument}-band-{scheme}"


def questionnaire_url(instrument: str) -> str:
    return f"{CANONICAL}/Questionnaire/{instrument}"


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(*codings: Mapping[str, str], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [dict(c) for c in codings]} if codings else {}
    if text:
        out["text"] = text
    return out


def reference(resource_type: str, resource_id: str, display: str | None = None) -> dict[str, str]:
    out = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        out["display"] = display
    return out


def reference_id(ref: Mapping[str, Any] | None, resource_type: str) -> str | None:
    """The id in ``{"reference": "Type/id"}``, or None when absent or of another type."""
    target = (ref or {}).get("reference", "")
    prefix = f"{resource_type}/"
    return target[len(prefix) :] if isinstance(target, str) and target.startswith(prefix) else None


def code_in(value: Mapping[str, Any] | None, system: str) -> str | None:
    """The first code of ``system`` in a CodeableConcept."""
    for c in (value or {}).get("coding", []):
        if c.get("system") == system:
            return str(c.get("code"))
    return None


def identifier_value(resource: Mapping[str, Any], system: str) -> str | None:
    for ident in resource.get("identifier", []):
        if ident.get("system") == system:
            return str(ident.get("value"))
    return None


def data_absent(code: str = "unknown") -> dict[str, Any]:
    return concept(coding(DATA_ABSENT, code))


# Typed values for extensions: the Python type decides the FHIR type, and back.
def typed_value(value: object) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


def value_of(extension: Mapping[str, Any]) -> object:
    for key in ("valueBoolean", "valueInteger", "valueDecimal", "valueString", "valueCode"):
        if key in extension:
            return extension[key]
    return None


def extension_fields(url: str, fields: Mapping[str, object]) -> dict[str, Any]:
    """One complex extension holding ``fields`` as sub-extensions (None values are left out)."""
    subs = [
        {"url": key, **typed_value(value)} for key, value in fields.items() if value is not None
    ]
    return {"url": url, "extension": subs}


def read_extension_fields(resource: Mapping[str, Any], url: str) -> dict[str, object]:
    for ext in resource.get("extension", []):
        if ext.get("url") == url:
            return {sub["url"]: value_of(sub) for sub in ext.get("extension", [])}
    return {}


def operation_outcome(errors: Sequence[FieldError]) -> Resource:
    """An OperationOutcome with one issue per error; ``expression`` names the element."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": "invalid",
                "diagnostics": error.message,
                "expression": [error.field],
            }
            for error in errors
        ],
    }
