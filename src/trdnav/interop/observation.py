"""A scored form as an Observation, and back.

One Observation per scored form: ``category`` survey; ``code`` the verified LOINC total code
where the knowledge base has one, else this application's own code (``<instrument>-total``);
``value`` the total (``dataAbsentReason`` when the form is incomplete); ``interpretation`` the
severity band of the default scheme (or the C-SSRS triage tier); ``derivedFrom`` the
QuestionnaireResponse; one ``component`` per item answer (the raw value, LOINC-coded where
verified) and one for the safety item's verdict, so an incomplete form still carries it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.instruments.definition import Definition, InputKind, Item
from trdnav.core.instruments.registry import get_instrument
from trdnav.core.instruments.result import ScoreResult
from trdnav.interop.base import (
    ITEM_CODES,
    LOINC,
    OBSERVATION_CATEGORY,
    OBSERVATION_CODES,
    SAFETY_CODES,
    Resource,
    band_system,
    code_in,
    coding,
    concept,
    data_absent,
    reference,
    reference_id,
)
from trdnav.interop.questionnaire import loinc_role
from trdnav.interop.response import answer_values

SAFETY_COMPONENT = "safety-item"
PRIORITY_COMPONENT = "safety-priority"
TRIAGE_SYSTEM = f"{OBSERVATION_CODES}-cssrs-risk"


@dataclass(frozen=True)
class ScoreRecord:
    """What a score Observation says, in the core's terms (the round trip compares these)."""

    instrument: str
    total: int | None
    severity: str | None
    safety: str | None
    safety_priority: str | None
    answers: dict[str, Any]
    patient_id: str | None
    effective: date | None
    response_id: str | None

    @classmethod
    def from_result(
        cls,
        result: ScoreResult,
        answers: Mapping[str, Any],
        *,
        patient_id: str | None,
        effective: date | None,
        response_id: str | None,
    ) -> ScoreRecord:
        definition = get_instrument(result.instrument).definition
        return cls(
            instrument=result.instrument,
            total=result.total,
            severity=_interpretation_code(result),
            safety=None if result.safety is None else result.safety.value,
            safety_priority=None
            if result.safety_priority is None
            else result.safety_priority.value,
            answers=answer_values(definition, answers),
            patient_id=patient_id,
            effective=effective,
            response_id=response_id,
        )


def _interpretation_code(result: ScoreResult) -> str | None:
    if result.instrument == "cssrs_screen":
        risk = result.details.get("risk")
        return None if risk is None else str(risk)
    return result.severity


def _code(definition: Definition) -> dict[str, Any]:
    total = loinc_role(definition, "total")
    own = coding(OBSERVATION_CODES, f"{definition.code}-total", f"{definition.abbreviation} total")
    if definition.input_kind is InputKind.CSSRS:
        risk = loinc_role(definition, "derived suicide risk level")
        own = coding(OBSERVATION_CODES, f"{definition.code}-risk", "C-SSRS screen triage")
        codings = [coding(LOINC, risk), own] if risk else [own]
        return concept(*codings, text=definition.abbreviation)
    return concept(*([coding(LOINC, total)] if total else []), own, text=definition.abbreviation)


def _interpretation(definition: Definition, code: str) -> dict[str, Any]:
    if definition.input_kind is InputKind.CSSRS:
        return concept(coding(TRIAGE_SYSTEM, code), text=f"{code} risk")
    scheme = definition.default_scheme()
    band = next((b for b in scheme.bands if b.code == code), None) if scheme else None
    system = band_system(definition.code, scheme.name if scheme else "rating")
    return concept(coding(system, code, band.label if band else None))


def _risk_value(definition: Definition, tier: str) -> dict[str, Any]:
    """The triage tier as the value of the risk-level Observation; the LOINC answer code is
    added only where the knowledge base holds a verified one (today: low)."""
    answer = loinc_role(definition, f"risk level answer: {tier}")
    codings = [coding(TRIAGE_SYSTEM, tier), *([coding(LOINC, answer)] if answer else [])]
    return concept(*codings, text=f"{tier} risk")


def _item_component(definition: Definition, item: Item, value: Any) -> dict[str, Any]:
    codings = [coding(LOINC, item.loinc)] if item.loinc else []
    codings.append(coding(ITEM_CODES, f"{definition.code}.{item.key}", item.label))
    component: dict[str, Any] = {"code": concept(*codings)}
    if value is None:
        component["dataAbsentReason"] = data_absent("asked-unknown")
    elif isinstance(value, bool):
        component["valueBoolean"] = value
    else:
        component["valueInteger"] = int(value)
    return component


def _safety_components(record: ScoreRecord) -> list[dict[str, Any]]:
    out = []
    if record.safety is not None:
        out.append(
            {
                "code": concept(coding(OBSERVATION_CODES, SAFETY_COMPONENT, "safety item")),
                "valueCodeableConcept": concept(coding(SAFETY_CODES, record.safety)),
            }
        )
    if record.safety_priority is not None:
        out.append(
            {
                "code": concept(coding(OBSERVATION_CODES, PRIORITY_COMPONENT, "safety priority")),
                "valueCodeableConcept": concept(coding(SAFETY_CODES, record.safety_priority)),
            }
        )
    return out


def build_score_observation(record: ScoreRecord, *, observation_id: str) -> Resource:
    definition = get_instrument(record.instrument).definition
    items = (*definition.items, *definition.extra_items)
    observation: Resource = {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": [concept(coding(OBSERVATION_CATEGORY, "survey", "Survey"))],
        "code": _code(definition),
    }
    if record.patient_id is not None:
        observation["subject"] = reference("Patient", record.patient_id)
    if record.effective is not None:
        observation["effectiveDateTime"] = record.effective.isoformat()
    if record.total is not None:
        observation["valueInteger"] = record.total
    elif definition.input_kind is InputKind.CSSRS and record.severity is not None:
        observation["valueCodeableConcept"] = _risk_value(definition, record.severity)
    else:
        observation["dataAbsentReason"] = data_absent("unknown")
    if record.severity is not None:
        observation["interpretation"] = [_interpretation(definition, record.severity)]
    if record.response_id is not None:
        observation["derivedFrom"] = [reference("QuestionnaireResponse", record.response_id)]
    observation["component"] = [
        *(_item_component(definition, i, record.answers.get(i.key)) for i in items),
        *_safety_components(record),
    ]
    return observation


def read_score_observation(observation: Mapping[str, Any]) -> ScoreRecord:
    code = code_in(observation.get("code"), OBSERVATION_CODES) or ""
    instrument = code.rsplit("-", 1)[0]
    definition = get_instrument(instrument).definition
    answers: dict[str, Any] = {}
    safety = priority = None
    for component in observation.get("component", []):
        item_code = code_in(component.get("code"), ITEM_CODES)
        own = code_in(component.get("code"), OBSERVATION_CODES)
        if item_code is not None:
            key = item_code.split(".", 1)[1]
            answers[key] = component.get("valueInteger", component.get("valueBoolean"))
        elif own == SAFETY_COMPONENT:
            safety = code_in(component.get("valueCodeableConcept"), SAFETY_CODES)
        elif own == PRIORITY_COMPONENT:
            priority = code_in(component.get("valueCodeableConcept"), SAFETY_CODES)
    interpretation = observation.get("interpretation") or [{}]
    band = (interpretation[0].get("coding") or [{}])[0].get("code")
    effective = observation.get("effectiveDateTime")
    derived = observation.get("derivedFrom") or [None]
    return ScoreRecord(
        instrument=definition.code,
        total=observation.get("valueInteger"),
        severity=band,
        safety=safety,
        safety_priority=priority,
        answers=answers,
        patient_id=reference_id(observation.get("subject"), "Patient"),
        effective=date.fromisoformat(effective[:10]) if isinstance(effective, str) else None,
        response_id=reference_id(derived[0], "QuestionnaireResponse"),
    )
