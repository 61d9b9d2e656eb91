"""PHQ-9: total, severity band, item 9 safety flag and the optional diagnostic algorithm.

Spec: instrument_notes Part A1; policies P-A1 (no prorating) and P-A2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from trdnav.core.instruments.answers import Values
from trdnav.core.instruments.definition import Definition
from trdnav.core.instruments.engine import score_form
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult
from trdnav.core.knowledge import fields

CODE = "phq9"


@dataclass(frozen=True)
class DiagnosticRule:
    """Spitzer 1999 as implemented in CamCOPS (S1). Item 9 counts from a lower value."""

    core_items: tuple[int, ...]
    core_min: int
    symptom_items: tuple[int, ...]
    symptom_min: int
    item9_min: int
    major_min_symptoms: int
    other_min_symptoms: int
    other_max_symptoms: int


def score(answers: Mapping[str, Any]) -> ScoreResult:
    return score_form(load_definition(CODE), answers, details=_details)


@cache
def diagnostic_rule() -> DiagnosticRule:
    where = "instruments/phq9.toml [algorithm.diagnostic]"
    spec = fields.table(load_definition(CODE).algorithm, "diagnostic", where)
    return DiagnosticRule(
        core_items=fields.integers(spec, "core_items", where),
        core_min=fields.integer(spec, "core_min", where),
        symptom_items=fields.integers(spec, "symptom_items", where),
        symptom_min=fields.integer(spec, "symptom_min", where),
        item9_min=fields.integer(spec, "item9_min", where),
        major_min_symptoms=fields.integer(spec, "major_min_symptoms", where),
        other_min_symptoms=fields.integer(spec, "other_min_symptoms", where),
        other_max_symptoms=fields.integer(spec, "other_max_symptoms", where),
    )


def _details(definition: Definition, values: Values | None, total: int | None) -> dict[str, object]:
    if values is None or total is None:
        return {"diagnostic_algorithm": None}
    return {"diagnostic_algorithm": diagnose(values, diagnostic_rule())}


def diagnose(values: Values, rule: DiagnosticRule) -> dict[str, object]:
    """Core and symptom counts and the syndrome they indicate (a complete form only)."""
    item = {number: values[number - 1] or 0 for number in range(1, len(values) + 1)}
    core = sum(item[n] >= rule.core_min for n in rule.core_items)
    others = sum(item[n] >= rule.symptom_min for n in rule.symptom_items)
    symptoms = core + others + (item[9] >= rule.item9_min)
    result = "none"
    if core >= 1 and symptoms >= rule.major_min_symptoms:
        result = "major_depressive_syndrome"
    elif core >= 1 and rule.other_min_symptoms <= symptoms <= rule.other_max_symptoms:
        result = "other_depressive_syndrome"
    return {"core_count": core, "symptom_count": symptoms, "result": result}
