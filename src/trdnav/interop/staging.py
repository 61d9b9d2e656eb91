"""TRD status (one Observation per definition) and each staging model (one per model), with the
basis the history engine gave: the rule, its status and source, the counted and uncounted trials,
the explanation and the policies, from ``HistoryAssessment.to_dict()``.

No standard code exists for either (the research found no SNOMED CT TRD concept and ICD-10-CM
has no TRD code), so both use this application's observation codes. ``effectiveDateTime`` is
the assessment date, ``note`` the plain-language explanation, ``derivedFrom`` the episode's
Condition and, for TRD status, the MedicationStatements of the trials that were counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.interop.base import (
    BASIS_EXTENSION,
    CANONICAL,
    OBSERVATION_CATEGORY,
    OBSERVATION_CODES,
    Resource,
    code_in,
    coding,
    concept,
    data_absent,
    fhir_id,
    reference,
)
from trdnav.interop.condition import episode_resource_id
from trdnav.interop.medication import treatment_resource_id

TRD_CODE = "trd-status"
DEFINITIONS = f"{CANONICAL}/CodeSystem/trd-definition"
STAGING_MODELS = f"{CANONICAL}/CodeSystem/staging-model"
_VALUE_KEYS = ("stage", "score", "total")


def stage_system(model: str) -> str:
    return f"{CANONICAL}/CodeSystem/stage-{model.replace('_', '-')}"


@dataclass(frozen=True)
class TrdRecord:
    definition: str
    met: bool
    label: str
    rule: str
    status: str
    source: str
    counted: tuple[str, ...]  # trial ids
    not_counted: tuple[tuple[str, tuple[str, ...]], ...]  # (trial id, why)
    explanation: str


@dataclass(frozen=True)
class StageRecord:
    model: str
    value: str | int | float | None
    band: str | None
    explanation: str
    policies: tuple[str, ...]
    error: str | None


@dataclass(frozen=True)
class AssessmentContext:
    patient_id: str
    episode_id: str | None
    as_of: date
    profile: str


def trd_records(assessment: Mapping[str, Any]) -> list[TrdRecord]:
    return [
        TrdRecord(
            definition=name,
            met=bool(spec["met"]),
            label=str(spec["label"]),
            rule=str(spec["rule"]),
            status=str(spec["status"]),
            source=str(spec["source"]),
            counted=tuple(t for entry in spec.get("counted", []) for t in entry["trials"]),
            not_counted=tuple(
                (str(entry["trial"]), tuple(entry["why"])) for entry in spec.get("not_counted", [])
            ),
            explanation=str(spec["explanation"]),
        )
        for name, spec in assessment["trd"].items()
    ]


def stage_records(assessment: Mapping[str, Any]) -> list[StageRecord]:
    out = []
    for name, spec in assessment["staging"].items():
        key = next((k for k in _VALUE_KEYS if k in spec), None)
        out.append(
            StageRecord(
                model=name,
                value=spec[key] if key else None,
                band=spec.get("band"),
                explanation=str(spec.get("explanation", "")),
                policies=tuple(spec.get("policies", [])),
                error=spec.get("error"),
            )
        )
    return out


def _base(context: AssessmentContext, code: dict[str, Any], suffix: str) -> Resource:
    resource: Resource = {
        "resourceType": "Observation",
        "id": fhir_id(context.patient_id, suffix, context.as_of.isoformat()),
        "status": "final",
        "category": [concept(coding(OBSERVATION_CATEGORY, "survey", "Survey"))],
        "code": code,
        "subject": reference("Patient", context.patient_id),
        "effectiveDateTime": context.as_of.isoformat(),
        "method": {"text": f"adequacy profile: {context.profile}"},
    }
    if context.episode_id is not None:
        episode = episode_resource_id(context.patient_id, context.episode_id)
        resource["derivedFrom"] = [reference("Condition", episode)]
    return resource


def _strings(name: str, values: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"url": name, "valueString": value} for value in values]


def build_trd_observation(record: TrdRecord, context: AssessmentContext) -> Resource:
    code = concept(
        coding(OBSERVATION_CODES, TRD_CODE, "TRD status"),
        coding(DEFINITIONS, record.definition, record.label),
        text=f"TRD status: {record.label}",
    )
    resource = _base(context, code, f"trd-{record.definition}")
    resource["valueBoolean"] = record.met
    resource["note"] = [{"text": record.explanation}]
    resource["derivedFrom"] = [
        *resource.get("derivedFrom", []),
        *(
            reference("MedicationStatement", treatment_resource_id(context.patient_id, t))
            for t in record.counted
        ),
    ]
    subs = [
        {"url": "rule", "valueString": record.rule},
        {"url": "status", "valueCode": record.status},
        {"url": "source", "valueString": record.source},
        *_strings("counted", record.counted),
        *(
            {
                "url": "not-counted",
                "extension": [{"url": "trial", "valueString": trial}, *_strings("why", why)],
            }
            for trial, why in record.not_counted
        ),
    ]
    resource["extension"] = [{"url": BASIS_EXTENSION, "extension": subs}]
    return resource


def build_stage_observation(record: StageRecord, context: AssessmentContext) -> Resource:
    code = concept(
        coding(OBSERVATION_CODES, f"trd-stage-{record.model.replace('_', '-')}"),
        coding(STAGING_MODELS, record.model),
        text=f"TRD stage: {record.model}",
    )
    resource = _base(context, code, f"stage-{record.model}")
    value = record.value
    if isinstance(value, str):
        resource["valueCodeableConcept"] = concept(coding(stage_system(record.model), value))
    elif isinstance(value, bool) or value is None:
        resource["dataAbsentReason"] = data_absent("not-applicable")
    elif isinstance(value, int):
        resource["valueInteger"] = value
    else:
        resource["valueQuantity"] = {"value": value}
    if record.band:
        resource["interpretation"] = [concept(coding(stage_system(record.model), record.band))]
    notes = [record.explanation, *([record.error] if record.error else [])]
    resource["note"] = [{"text": text} for text in notes]
    resource["extension"] = [
        {"url": BASIS_EXTENSION, "extension": _strings("policy", record.policies)}
    ]
    return resource


def _basis(resource: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return next(
        (
            e.get("extension", [])
            for e in resource.get("extension", [])
            if e["url"] == BASIS_EXTENSION
        ),
        [],
    )


def read_trd_observation(resource: Mapping[str, Any]) -> TrdRecord:
    basis = _basis(resource)

    def one(name: str) -> str:
        return str(
            next(e.get("valueString", e.get("valueCode")) for e in basis if e["url"] == name)
        )

    coded = next(c for c in resource["code"]["coding"] if c["system"] == DEFINITIONS)
    return TrdRecord(
        definition=str(coded["code"]),
        met=bool(resource["valueBoolean"]),
        label=str(coded.get("display", "")),
        rule=one("rule"),
        status=one("status"),
        source=one("source"),
        counted=tuple(e["valueString"] for e in basis if e["url"] == "counted"),
        not_counted=tuple(
            (
                next(s["valueString"] for s in e["extension"] if s["url"] == "trial"),
                tuple(s["valueString"] for s in e["extension"] if s["url"] == "why"),
            )
            for e in basis
            if e["url"] == "not-counted"
        ),
        explanation=str(resource["note"][0]["text"]),
    )


def read_stage_observation(resource: Mapping[str, Any]) -> StageRecord:
    model = code_in(resource.get("code"), STAGING_MODELS) or ""
    value: str | int | float | None = None
    if "valueCodeableConcept" in resource:
        value = code_in(resource["valueCodeableConcept"], stage_system(model))
    elif "valueInteger" in resource:
        value = int(resource["valueInteger"])
    elif "valueQuantity" in resource:
        value = float(resource["valueQuantity"]["value"])
    interpretation = resource.get("interpretation")
    notes = [n["text"] for n in resource.get("note", [])]
    return StageRecord(
        model=model,
        value=value,
        band=code_in(interpretation[0], stage_system(model)) if interpretation else None,
        explanation=notes[0] if notes else "",
        policies=tuple(e["valueString"] for e in _basis(resource) if e["url"] == "policy"),
        error=notes[1] if len(notes) > 1 else None,
    )
