"""TRD status under each named definition (research B3), with what counted and why not.

Definitions live in ``trd_definitions.toml``. Each counts distinct failed antidepressants in the
current episode [P-B9, P-B18]; some require different classes, oral drugs, or their own
non-response rule; Sforzini 2022 may count failed neurostimulation, off by default [P-B14].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from trdnav.core.history.counting import FailedAntidepressant, FailedCourse
from trdnav.core.history.knowledge import NonResponseRule
from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import load_document

DEFINITIONS_FILE = "trd_definitions.toml"
NEUROSTIMULATION = "neurostimulation"


@dataclass(frozen=True)
class TrdDefinition:
    code: str
    label: str
    rule: str
    min_failed: int
    min_distinct_classes: int
    non_response: NonResponseRule | None  # None: the profile's own rule
    oral_only: bool
    count_neurostimulation: bool
    status: str
    source: str


@dataclass(frozen=True)
class Counted:
    """One failed treatment that counted: an antidepressant (with its class) or a course."""

    treatment: str
    category: str
    trial_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"treatment": self.treatment, "class": self.category, "trials": list(self.trial_ids)}


@dataclass(frozen=True)
class NotCounted:
    treatment_id: str
    why: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"trial": self.treatment_id, "why": list(self.why)}


@dataclass(frozen=True)
class TrdStatus:
    definition: TrdDefinition
    met: bool
    counted: tuple[Counted, ...]
    not_counted: tuple[NotCounted, ...]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        d = self.definition
        return {
            "met": self.met,
            "label": d.label,
            "rule": d.rule,
            "status": d.status,
            "source": d.source,
            "counted": [c.to_dict() for c in self.counted],
            "not_counted": [n.to_dict() for n in self.not_counted],
            "explanation": self.explanation,
        }


def _definition(code: str, raw: fields.Table) -> TrdDefinition:
    where = f"{DEFINITIONS_FILE} [definitions.{code}]"
    # "profile" defers to the adequacy profile's own rule.
    profile_rule = fields.text(raw, "non_response", where) == "profile"
    rule = None if profile_rule else fields.choice(raw, "non_response", where, NonResponseRule)
    return TrdDefinition(
        code=code,
        label=fields.text(raw, "label", where),
        rule=fields.text(raw, "rule", where),
        min_failed=fields.integer(raw, "min_failed", where),
        min_distinct_classes=fields.integer(raw, "min_distinct_classes", where),
        non_response=rule,
        oral_only=fields.flag(raw, "oral_only", where),
        count_neurostimulation=fields.flag(raw, "count_neurostimulation", where, default=False),
        status=fields.text(raw, "status", where),
        source=fields.text(raw, "source", where),
    )


@cache
def load_definitions() -> tuple[TrdDefinition, ...]:
    definitions = fields.table(load_document(DEFINITIONS_FILE), "definitions", DEFINITIONS_FILE)
    return tuple(
        _definition(code, fields.as_table(value, f"{DEFINITIONS_FILE} [definitions.{code}]"))
        for code, value in definitions.items()
    )


def evaluate(
    definition: TrdDefinition,
    failed: Sequence[FailedAntidepressant],
    courses: Sequence[FailedCourse],
    excluded: Sequence[NotCounted],
) -> TrdStatus:
    """Apply one definition to the failures found under its non-response rule."""
    drugs = [f for f in failed if f.oral or not definition.oral_only]
    not_oral = [NotCounted(t, ("not_oral",)) for f in failed if f not in drugs for t in f.trial_ids]
    counted = [Counted(f.drug, f.drug_class, f.trial_ids) for f in drugs]
    if definition.count_neurostimulation:
        counted += [Counted(str(c.kind), NEUROSTIMULATION, (c.trial_id,)) for c in courses]
    classes = {f.drug_class for f in drugs}
    met = len(counted) >= definition.min_failed and len(classes) >= definition.min_distinct_classes
    text = _explain(definition, met, len(counted), classes)
    return TrdStatus(definition, met, tuple(counted), (*not_oral, *excluded), text)


def _explain(definition: TrdDefinition, met: bool, count: int, classes: set[str]) -> str:
    verdict = "met" if met else "not met"
    needs = f"needs {definition.min_failed} failed"
    if definition.min_distinct_classes > 1:
        needs += f" in at least {definition.min_distinct_classes} different classes"
    found = f"{count} counted failure{'s' if count != 1 else ''}"
    if classes:
        found += f" in {len(classes)} class{'es' if len(classes) != 1 else ''}"
    return f"{definition.label}: {verdict} ({found}; {needs})."
