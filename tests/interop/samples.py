"""One of every resource the interop package produces, from the shared personas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tests.personas import PERSONAS
from trdnav.core.history import assess_history, parse_history
from trdnav.core.instruments.registry import INSTRUMENT_CODES
from trdnav.interop.base import Resource
from trdnav.interop.bundle import StoredScore, history_resources, patient_bundle, score_resources
from trdnav.interop.patient import PatientRecord
from trdnav.interop.procedure import SessionRecord, build_procedure
from trdnav.interop.questionnaire import build_questionnaire
from trdnav.interop.sdc import score_response

AS_OF = date(2026, 11, 1)
WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PATIENT = PatientRecord(
    "7", "north", "N-1", "Alex", "Example", date(1980, 5, 17), "female", "woman", "a@x.org", True
)


def _score(key: str, instrument: str, answers: dict[str, Any], total: int | None) -> StoredScore:
    return StoredScore(key, instrument, answers, AS_OF, total, None, None, None, "kb-1", WHEN)


def sample_bundle() -> Resource:
    history = PERSONAS["ed"].history
    assessment = assess_history(parse_history(history), as_of=AS_OF).to_dict()
    resources = history_resources(history, patient_id="7", assessment=assessment, recorded=WHEN)
    resources += score_resources(_score("1", "phq9", {"items": [1] * 9}, 9), patient_id="7")
    cssrs = {"q1": True, "q2": True, "q3": True, "q4": False, "q5": False, "q6": False}
    resources += score_resources(_score("2", "cssrs_screen", cssrs, None), patient_id="7")
    return patient_bundle(PATIENT, resources, timestamp=WHEN)


def all_samples() -> list[Resource]:
    bundle = sample_bundle()
    response = bundle["entry"][-3]["resource"]
    outcome = score_response({**response, "questionnaire": "unknown"}, recorded=WHEN)
    assert isinstance(outcome, dict)
    return [
        bundle,
        *(entry["resource"] for entry in bundle["entry"]),
        *(build_questionnaire(code) for code in INSTRUMENT_CODES),
        outcome,
        build_procedure(
            SessionRecord(
                course_key="3",
                number=2,
                protocol_id="esketamine_induction",
                protocol_name="Esketamine induction",
                modality="esketamine",
                performed_at=WHEN,
                signed=True,
                patient_id="7",
                values={"dose_mg": 56, "sedation_observed": False},
            )
        ),
    ]
