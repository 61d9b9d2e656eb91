"""A patient's resources as one Bundle (pure: the caller reads the records and the clock)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from trdnav.core.instruments.registry import get_instrument
from trdnav.interop.base import Resource, fhir_id
from trdnav.interop.condition import build_condition
from trdnav.interop.medication import KINDS, build_medication_statement
from trdnav.interop.observation import ScoreRecord, build_score_observation
from trdnav.interop.patient import PatientRecord, build_patient
from trdnav.interop.provenance import ProvenanceRecord, build_provenance, references
from trdnav.interop.response import answer_values, build_response
from trdnav.interop.staging import (
    AssessmentContext,
    build_stage_observation,
    build_trd_observation,
    stage_records,
    trd_records,
)


@dataclass(frozen=True)
class StoredScore:
    """One stored assessment: the answers as submitted and what was computed then."""

    key: str
    instrument: str
    answers: Mapping[str, Any]
    administered_on: date
    total: int | None
    severity: str | None  # the band, or the C-SSRS triage tier
    safety: str | None
    safety_priority: str | None
    knowledge_version: str
    recorded_at: datetime


def score_resources(score: StoredScore, *, patient_id: str) -> list[Resource]:
    """QuestionnaireResponse, score Observation and the Provenance of the score."""
    response_id = fhir_id(patient_id, "response", score.key)
    response = build_response(
        score.instrument,
        score.answers,
        response_id=response_id,
        patient_id=patient_id,
        authored=score.administered_on,
    )
    record = ScoreRecord(
        instrument=score.instrument,
        total=score.total,
        severity=score.severity,
        safety=score.safety,
        safety_priority=score.safety_priority,
        answers=_answer_values(score),
        patient_id=patient_id,
        effective=score.administered_on,
        response_id=response_id,
    )
    observation = build_score_observation(record, observation_id=fhir_id(response_id, "score"))
    provenance = build_provenance(
        ProvenanceRecord(
            targets=references([observation]),
            sources=references([response]),
            recorded=score.recorded_at,
            knowledge_version=score.knowledge_version,
        ),
        provenance_id=fhir_id(response_id, "provenance"),
    )
    return [response, observation, provenance]


def _answer_values(score: StoredScore) -> dict[str, Any]:
    return answer_values(get_instrument(score.instrument).definition, score.answers)


def history_resources(
    document: Mapping[str, Any] | None,
    *,
    patient_id: str,
    assessment: Mapping[str, Any] | None,
    recorded: datetime,
) -> list[Resource]:
    """Conditions, MedicationStatements, TRD-status and stage Observations and their
    Provenance. ``assessment`` is ``HistoryAssessment.to_dict()`` (None: no history)."""
    if not document:
        return []
    conditions = [build_condition(e, patient_id=patient_id) for e in document["episodes"]]
    statements = [
        build_medication_statement(t, patient_id=patient_id)
        for t in document.get("treatments", [])
        if t.get("kind") in KINDS
    ]
    if assessment is None:
        return [*conditions, *statements]
    context = AssessmentContext(
        patient_id=patient_id,
        episode_id=assessment.get("current_episode"),
        as_of=date.fromisoformat(str(assessment["as_of"])),
        profile=str(assessment["profile"]),
    )
    computed = [build_trd_observation(r, context) for r in trd_records(assessment)]
    computed += [build_stage_observation(r, context) for r in stage_records(assessment)]
    provenance = build_provenance(
        ProvenanceRecord(
            targets=references(computed),
            sources=references([*conditions, *statements]),
            recorded=recorded,
            knowledge_version=str(assessment["knowledge_version"]),
        ),
        provenance_id=fhir_id(patient_id, "history-provenance", context.as_of.isoformat()),
    )
    return [*conditions, *statements, *computed, provenance]


def patient_bundle(
    patient: PatientRecord, resources: Sequence[Resource], *, timestamp: datetime
) -> Resource:
    """A ``collection`` Bundle: the Patient first, then everything else."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timestamp.isoformat(),
        "entry": [{"resource": r} for r in [build_patient(patient), *resources]],
    }
