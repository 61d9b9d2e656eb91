"""What is known about the patient at decision time, and whether a rule's condition holds."""

from __future__ import annotations

from dataclasses import dataclass

from trdnav.core.knowledge.therapies import Condition
from trdnav.core.knowledge.therapies.policy import Vocabulary
from trdnav.core.recommend.history_summary import HistorySummary
from trdnav.core.recommend.patient import PatientProfile


@dataclass(frozen=True)
class DerivedFact:
    """A fact code the engine added, and why (e.g. ``maoi_current`` from the medication list)."""

    code: str
    why: str


@dataclass(frozen=True)
class Context:
    facts: frozenset[str]
    preferences: frozenset[str]
    medication_classes: frozenset[str]
    age: int | None
    failed_trials: int | None
    derived: tuple[DerivedFact, ...]
    unrecognised_medications: tuple[str, ...]


def _derived(
    patient: PatientProfile, classes: frozenset[str], history: HistorySummary
) -> list[DerivedFact]:
    found = []
    if "maoi" in classes and "maoi_current" not in patient.facts:
        found.append(DerivedFact("maoi_current", "a current medication is an MAOI"))
    if history.psychotic_features and "psychotic_features" not in patient.facts:
        found.append(
            DerivedFact(
                "psychotic_features", "the current episode in the history has psychotic features"
            )
        )
    return found


def build_context(
    patient: PatientProfile, vocabulary: Vocabulary, history: HistorySummary
) -> Context:
    per_drug = {m: vocabulary.classes_of(m) for m in patient.medications}
    classes = frozenset(c for found in per_drug.values() for c in found)
    derived = _derived(patient, classes, history)
    return Context(
        facts=patient.facts | {d.code for d in derived},
        preferences=patient.preferences,
        medication_classes=classes,
        age=patient.age,
        failed_trials=history.failed_antidepressants,
        derived=tuple(derived),
        unrecognised_medications=tuple(m for m, found in per_drug.items() if not found),
    )


def _number_holds(value: int | None, at_least: int | None, below: int | None) -> bool:
    # An unknown value (no age, no history) never satisfies a numeric condition.
    if at_least is None and below is None:
        return True
    if value is None:
        return False
    return (at_least is None or value >= at_least) and (below is None or value < below)


def _any(wanted: tuple[str, ...], present: frozenset[str]) -> bool:
    return not wanted or any(code in present for code in wanted)


def holds(when: Condition, ctx: Context) -> bool:
    """True when every key of ``when`` holds for this patient."""
    if when.always:
        return True
    return (
        _any(when.facts_any, ctx.facts)
        and _any(when.medication_classes_any, ctx.medication_classes)
        and _any(when.preferences_any, ctx.preferences)
        and _number_holds(ctx.age, when.age_at_least, when.age_below)
        and _number_holds(ctx.failed_trials, when.failed_trials_at_least, when.failed_trials_below)
    )
