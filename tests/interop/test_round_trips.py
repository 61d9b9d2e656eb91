"""core → FHIR → core gives the same record, for every resource the mapping produces; each
produced resource is valid R4 (the official JSON schema)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.interop.schema import schema_errors
from tests.personas import PERSONAS
from trdnav.core.history import assess_history, parse_history
from trdnav.core.instruments.registry import INSTRUMENT_CODES, get_instrument, score_instrument
from trdnav.interop.condition import build_condition, read_condition
from trdnav.interop.medication import KINDS, build_medication_statement, read_medication_statement
from trdnav.interop.observation import ScoreRecord, build_score_observation, read_score_observation
from trdnav.interop.patient import PatientRecord, build_patient, read_patient
from trdnav.interop.provenance import ProvenanceRecord, build_provenance, read_provenance
from trdnav.interop.response import build_response, read_response
from trdnav.interop.staging import (
    AssessmentContext,
    build_stage_observation,
    build_trd_observation,
    read_stage_observation,
    read_trd_observation,
    stage_records,
    trd_records,
)

HISTORIES = {name: p.history for name, p in PERSONAS.items() if getattr(p, "history", None)}
AS_OF = date(2026, 11, 1)

# One complete and one incomplete answer set per instrument, in the core's input format.
ANSWERS: dict[str, list[dict[str, Any]]] = {
    "phq9": [{"items": [0, 1, 2, 3, 0, 1, 2, 3, 2], "difficulty": 1}, {"items": [1] * 8 + [None]}],
    "phq2": [{"items": [3, 2]}, {"items": [None, 1]}],
    "gad7": [{"items": [0, 1, 2, 3, 3, 2, 1]}, {"items": [1, None, 1, 1, 1, 1, 1]}],
    "qids_sr16": [
        {"items": [1, 2, 3, 0, 2, 1, None, 3, None, 2, 1, 0, 3, 2, 1, 0]},
        {"items": [1] * 15 + [None]},
    ],
    "qids_c16": [{"items": [2] * 16}, {"items": [None] * 16}],
    "madrs": [{"items": [6, 5, 4, 3, 2, 1, 0, 6, 5, 1]}, {"items": [1] * 9 + [None]}],
    "hamd17": [
        {"items": [4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 3, 2]},
        {"items": [1] * 16 + [None]},
    ],
    "cgi_s": [{"score": 4}, {"score": 0}],
    "cgi_i": [{"score": 2}, {"score": None}],
    "pgi_i": [{"score": 7}, {"score": 1}],
    "cadss": [{"items": [i % 5 for i in range(23)]}, {"items": [0] * 22 + [None]}],
    "cssrs_screen": [
        {
            "q1": True,
            "q2": True,
            "q3": False,
            "q4": True,
            "q5": False,
            "q6": True,
            "q6_past_3_months": False,
            "version": "screen",
        },
        {
            "q1": False,
            "q2": False,
            "q3": None,
            "q4": None,
            "q5": None,
            "q6": None,
            "q6_past_3_months": None,
            "version": "since_last_contact",
        },
    ],
}


def test_every_instrument_has_round_trip_cases() -> None:
    assert set(ANSWERS) == set(INSTRUMENT_CODES)


def _cases() -> list[tuple[str, dict[str, Any]]]:
    return [(code, answers) for code, sets in ANSWERS.items() for answers in sets]


def _normalised(code: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Unanswered extras are absent (a response cannot tell 'absent' from 'null')."""
    definition = get_instrument(code).definition
    extras = {i.key for i in definition.extra_items}
    return {k: v for k, v in answers.items() if k not in extras or v is not None}


@pytest.mark.parametrize(("code", "answers"), _cases())
def test_a_questionnaire_response_round_trips_to_the_same_answers(
    code: str, answers: dict[str, Any]
) -> None:
    response = build_response(code, answers, response_id="r-1", patient_id="7", authored=AS_OF)
    assert schema_errors(response) == []
    read = read_response(response)
    assert not isinstance(read, list), read
    assert read.answers == _normalised(code, answers)
    assert (read.instrument, read.patient_id, read.authored) == (code, "7", AS_OF)


@pytest.mark.parametrize(("code", "answers"), _cases())
def test_a_score_observation_round_trips_to_the_same_score(
    code: str, answers: dict[str, Any]
) -> None:
    record = ScoreRecord.from_result(
        score_instrument(code, answers), answers, patient_id="7", effective=AS_OF, response_id="r-1"
    )
    observation = build_score_observation(record, observation_id="o-1")
    assert schema_errors(observation) == []
    assert read_score_observation(observation) == record


def test_the_phq9_observation_carries_loinc_total_band_safety_and_its_response() -> None:
    answers = {"items": [2, 2, 2, 2, 2, 2, 2, 2, 2]}
    record = ScoreRecord.from_result(
        score_instrument("phq9", answers), answers, patient_id="7", effective=AS_OF, response_id="r"
    )
    observation = build_score_observation(record, observation_id="o")
    assert observation["code"]["coding"][0] == {"system": "http://loinc.org", "code": "44261-6"}
    assert observation["valueInteger"] == 18
    assert observation["interpretation"][0]["coding"][0]["code"] == "moderately_severe"
    assert observation["derivedFrom"] == [{"reference": "QuestionnaireResponse/r"}]
    safety = [c for c in observation["component"] if "valueCodeableConcept" in c]
    assert [c["valueCodeableConcept"]["coding"][0]["code"] for c in safety] == ["positive", "high"]
    item9 = observation["component"][8]
    assert item9["code"]["coding"][0]["code"] == "44260-8" and item9["valueInteger"] == 2


def test_a_patient_round_trips() -> None:
    record = PatientRecord(
        id="7",
        clinic="north",
        record_number="N-001",
        given_name="Alex",
        family_name="Example",
        date_of_birth=date(1980, 5, 17),
        sex="female",
        gender_identity="woman",
        email="alex@example.org",
        active=True,
    )
    patient = build_patient(record)
    assert schema_errors(patient) == []
    assert read_patient(patient) == record
    bare = PatientRecord("8", "north", "N-2", "B", "C", date(1990, 1, 1), "", "", "", False)
    assert "gender" not in build_patient(bare)
    assert read_patient(build_patient(bare)) == bare


@pytest.mark.parametrize("persona", sorted(HISTORIES))
def test_every_episode_round_trips_as_a_condition(persona: str) -> None:
    for episode in HISTORIES[persona]["episodes"]:
        condition = build_condition(episode, patient_id="7")
        assert schema_errors(condition) == []
        assert "coding" not in condition["code"]  # no unverified ICD-10-CM code
        assert read_condition(condition) == {"end": None, **episode}


@pytest.mark.parametrize("persona", sorted(HISTORIES))
def test_every_trial_and_augmentation_round_trips_as_a_medication_statement(persona: str) -> None:
    trials = [t for t in HISTORIES[persona]["treatments"] if t["kind"] in KINDS]
    assert trials
    for trial in trials:
        statement = build_medication_statement(trial, patient_id="7")
        assert schema_errors(statement) == []
        assert read_medication_statement(statement) == {"end": None, **trial}


def test_a_combination_with_every_optional_field_round_trips() -> None:
    trial = {
        "id": "t5+x",
        "episode": "e_1",
        "kind": "antidepressant",
        "drug": "agomelatine",
        "role": "combination",
        "with": "t4",
        "start": "2023-05-01",
        "end": None,
        "doses": [
            {"from": "2023-05-01", "mg_per_day": 25},
            {"from": "2023-06-01", "mg_per_day": 50},
        ],
        "adherence_pct": 90,
        "improvement_pct": -10.5,
        "outcome": "non_response",
        "min_dose_mg": 25,
        "drug_class": "multimodal",
        "dose_optimised": True,
        "duration_optimised": False,
        "stopped_for_intolerance": False,
        "notes": "night dose",
    }
    statement = build_medication_statement(trial, patient_id="7")
    assert schema_errors(statement) == []
    assert statement["status"] == "active"
    assert statement["partOf"] == [{"reference": "MedicationStatement/7-treatment-t4"}]
    assert read_medication_statement(statement) == trial


def _assessment(persona: str) -> dict[str, Any]:
    return assess_history(parse_history(HISTORIES[persona]), as_of=AS_OF).to_dict()


@pytest.mark.parametrize("persona", sorted(HISTORIES))
def test_trd_status_and_every_stage_round_trip_with_their_basis(persona: str) -> None:
    assessment = _assessment(persona)
    context = AssessmentContext("7", assessment.get("current_episode"), AS_OF, "usual")
    for trd in trd_records(assessment):
        observation = build_trd_observation(trd, context)
        assert schema_errors(observation) == []
        assert read_trd_observation(observation) == trd
    stages = stage_records(assessment)
    assert {s.model for s in stages} == set(assessment["staging"])
    for stage in stages:
        observation = build_stage_observation(stage, context)
        assert schema_errors(observation) == []
        assert read_stage_observation(observation) == stage


def test_a_provenance_round_trips_with_the_knowledge_version() -> None:
    record = ProvenanceRecord(
        targets=("Observation/a", "Observation/b"),
        sources=("QuestionnaireResponse/r",),
        recorded=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
        knowledge_version="kb-123",
    )
    provenance = build_provenance(record, provenance_id="p")
    assert schema_errors(provenance) == []
    assert read_provenance(provenance) == record
