"""An antidepressant trial or augmentation of the treatment history as a MedicationStatement.

``medicationCodeableConcept``: the drug (or agent) code of the knowledge base in this
application's drug code system, with no RxNorm code (none verified). ``effectivePeriod``: start
and end; ``status`` active while there is no end. Each dose step is one ``dosage`` with its
``boundsPeriod`` and a daily dose in UCUM ``mg/d``. The episode is the ``reasonReference``
(its Condition); the trial an augmentation augments, or a combination is combined with, is
``partOf``. The fields FHIR has no element for (adherence, improvement, outcome, role, the
MGH-S increments, an explicit minimum dose and class) travel in the ``treatment-trial``
extension, so that the round trip gives the same document entry. ``notes`` is the ``note``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.interop.base import (
    CANONICAL,
    EPISODE_ID,
    TREATMENT_ID,
    TRIAL_EXTENSION,
    UCUM,
    Resource,
    code_in,
    coding,
    concept,
    extension_fields,
    fhir_id,
    identifier_value,
    read_extension_fields,
    reference,
)
from trdnav.interop.condition import episode_resource_id

DRUG_CODES = f"{CANONICAL}/CodeSystem/drug"
KINDS = ("antidepressant", "augmentation")
_NATIVE = {"id", "episode", "kind", "drug", "agent", "start", "end", "doses", "notes"}
_LINKS = ("augments", "with")


def treatment_resource_id(patient_id: str, treatment_id: str) -> str:
    return fhir_id(patient_id, "treatment", treatment_id)


def _dosage(doses: list[Mapping[str, Any]], end: str | None) -> list[dict[str, Any]]:
    out = []
    for n, dose in enumerate(doses):
        until = doses[n + 1]["from"] if n + 1 < len(doses) else end
        period = {"start": dose["from"], **({"end": until} if until else {})}
        quantity = {"value": dose["mg_per_day"], "unit": "mg/d", "system": UCUM, "code": "mg/d"}
        out.append(
            {
                "sequence": n + 1,
                "timing": {"repeat": {"boundsPeriod": period}},
                "doseAndRate": [{"doseQuantity": quantity}],
            }
        )
    return out


def build_medication_statement(treatment: Mapping[str, Any], *, patient_id: str) -> Resource:
    kind = str(treatment["kind"])
    drug = str(treatment["drug"] if kind == "antidepressant" else treatment["agent"])
    end = treatment.get("end")
    statement: Resource = {
        "resourceType": "MedicationStatement",
        "id": treatment_resource_id(patient_id, str(treatment["id"])),
        "identifier": [{"system": TREATMENT_ID, "value": str(treatment["id"])}],
        "status": "active" if end is None else "completed",
        "category": concept(coding(f"{CANONICAL}/CodeSystem/treatment-kind", kind)),
        "medicationCodeableConcept": concept(coding(DRUG_CODES, drug), text=drug),
        "subject": reference("Patient", patient_id),
        "effectivePeriod": {"start": treatment["start"], **({"end": end} if end else {})},
        "reasonReference": [
            {
                **reference(
                    "Condition", episode_resource_id(patient_id, str(treatment["episode"]))
                ),
                "identifier": {"system": EPISODE_ID, "value": str(treatment["episode"])},
            }
        ],
        "dosage": _dosage(list(treatment.get("doses") or []), end),
    }
    linked = [treatment[k] for k in _LINKS if treatment.get(k)]
    if linked:
        statement["partOf"] = [
            reference("MedicationStatement", treatment_resource_id(patient_id, str(t)))
            for t in linked
        ]
    extra = {k: v for k, v in treatment.items() if k not in _NATIVE and k not in _LINKS}
    extra.update({k: treatment[k] for k in _LINKS if treatment.get(k)})
    if extra:
        statement["extension"] = [extension_fields(TRIAL_EXTENSION, extra)]
    if treatment.get("notes"):
        statement["note"] = [{"text": str(treatment["notes"])}]
    return statement


def read_medication_statement(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The treatment object of the history document (docs/history-schema.md)."""
    kind = code_in(resource.get("category"), f"{CANONICAL}/CodeSystem/treatment-kind")
    drug = code_in(resource.get("medicationCodeableConcept"), DRUG_CODES)
    period = resource.get("effectivePeriod", {})
    reason = (resource.get("reasonReference") or [{}])[0]
    treatment: dict[str, Any] = {
        "id": identifier_value(resource, TREATMENT_ID),
        "episode": reason.get("identifier", {}).get("value"),
        "kind": kind,
        "drug" if kind == "antidepressant" else "agent": drug,
        "start": period.get("start"),
        "end": period.get("end"),
        "doses": [
            {
                "from": d["timing"]["repeat"]["boundsPeriod"]["start"],
                "mg_per_day": d["doseAndRate"][0]["doseQuantity"]["value"],
            }
            for d in sorted(resource.get("dosage", []), key=lambda d: d.get("sequence", 0))
        ],
    }
    treatment.update(read_extension_fields(resource, TRIAL_EXTENSION))
    if resource.get("note"):
        treatment["notes"] = resource["note"][0]["text"]
    return treatment
