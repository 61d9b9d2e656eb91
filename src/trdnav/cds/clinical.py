"""From the EHR's FHIR resources back to the core's structures, with ``trdnav.interop``'s
readers.

The readers understand resources in this application's own profile (docs/interop.md): the
Conditions, MedicationStatements and score Observations that TRD Navigator exports, which carry
its episode and treatment identifiers and its observation codes. Resources of the EHR's own
that lack them (a problem-list entry coded in SNOMED, a prescription without the treatment
identifier) cannot be placed in the treatment history without guessing, so they are skipped
and counted; the status card says how many (policy P-CDS2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from trdnav.core.errors import InvalidInput
from trdnav.interop.base import (
    CANONICAL,
    EPISODE_ID,
    OBSERVATION_CODES,
    TREATMENT_ID,
    code_in,
    identifier_value,
)
from trdnav.interop.condition import read_condition
from trdnav.interop.medication import KINDS, read_medication_statement
from trdnav.interop.observation import ScoreRecord, read_score_observation

TREATMENT_KINDS = f"{CANONICAL}/CodeSystem/treatment-kind"
T = TypeVar("T")


@dataclass(frozen=True)
class ClinicalInput:
    date_of_birth: date | None
    history: dict[str, Any] | None  # None: no episode in the EHR's data
    scores: tuple[ScoreRecord, ...]
    skipped: dict[str, int]  # resources of each search that are not in this profile


def _birth_date(patient: Mapping[str, Any]) -> date | None:
    raw = patient.get("birthDate")
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
    except ValueError:
        return None


def _is_episode(resource: Mapping[str, Any]) -> bool:
    return identifier_value(resource, EPISODE_ID) is not None


def _is_treatment(resource: Mapping[str, Any]) -> bool:
    kind = code_in(resource.get("category"), TREATMENT_KINDS)
    return identifier_value(resource, TREATMENT_ID) is not None and kind in KINDS


def _is_score(resource: Mapping[str, Any]) -> bool:
    code = code_in(resource.get("code"), OBSERVATION_CODES) or ""
    return code.endswith(("-total", "-risk")) and resource.get("status") in ("final", "amended")


def _read(reader: Callable[[Mapping[str, Any]], T], resource: Mapping[str, Any]) -> T | None:
    """The reader's result, or None when the resource only looks like ours (an unknown
    instrument code, a dosage without its quantity, a malformed date): skipped and counted."""
    try:
        return reader(resource)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError, InvalidInput):
        return None


def _all(
    reader: Callable[[Mapping[str, Any]], T],
    resources: list[Mapping[str, Any]],
    ours: Callable[[Mapping[str, Any]], bool],
) -> list[T]:
    read = (_read(reader, r) for r in resources if ours(r))
    return [r for r in read if r is not None]


def clinical_input(
    patient: Mapping[str, Any], resources: Mapping[str, list[Mapping[str, Any]]]
) -> ClinicalInput:
    conditions = resources.get("conditions", [])
    medications = resources.get("medications", [])
    observations = resources.get("scores", [])
    episodes = _all(read_condition, conditions, _is_episode)
    treatments = _all(read_medication_statement, medications, _is_treatment)
    scores = _all(read_score_observation, observations, _is_score)
    history = {"episodes": episodes, "treatments": treatments} if episodes else None
    return ClinicalInput(
        date_of_birth=_birth_date(patient),
        history=history,
        scores=tuple(scores),
        skipped={
            "conditions": len(conditions) - len(episodes),
            "medications": len(medications) - len(treatments),
            "scores": len(observations) - len(scores),
        },
    )


def latest_by_instrument(scores: tuple[ScoreRecord, ...]) -> list[ScoreRecord]:
    """The most recent score of each instrument (undated ones count as oldest)."""
    latest: dict[str, ScoreRecord] = {}
    for score in scores:
        held = latest.get(score.instrument)
        if held is None or (score.effective or date.min) >= (held.effective or date.min):
            latest[score.instrument] = score
    return [latest[k] for k in sorted(latest)]
