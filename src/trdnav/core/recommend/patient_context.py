"""``build_context``: the patient's profile, history and medication list as the rules see them."""

from __future__ import annotations

from datetime import date

from trdnav.core.knowledge.therapies import TherapyKnowledge
from trdnav.core.knowledge.therapies.policy import AgeGroup
from trdnav.core.medications import MedicationReview, load_medication_table, review_medications
from trdnav.core.recommend.context import Context, DerivedFact
from trdnav.core.recommend.history_summary import HistorySummary
from trdnav.core.recommend.patient import PatientProfile


def _derived(
    patient: PatientProfile, classes: frozenset[str], history: HistorySummary
) -> list[DerivedFact]:
    found = []
    if "maoi" in classes and "maoi_current" not in patient.facts:
        why = "the medication list has an MAOI (taken now, or stopped within its washout)"
        found.append(DerivedFact("maoi_current", why))
    if history.psychotic_features and "psychotic_features" not in patient.facts:
        found.append(
            DerivedFact(
                "psychotic_features", "the current episode in the history has psychotic features"
            )
        )
    return found


def _derived_absent(
    patient: PatientProfile, classes: frozenset[str], unrecognised: tuple[str, ...]
) -> frozenset[str]:
    """A complete, fully recognised medication list without an MAOI: ``maoi_current`` absent."""
    complete = patient.medications_recorded and not unrecognised
    if complete and "maoi" not in classes and "maoi_current" not in patient.facts:
        return frozenset({"maoi_current"})
    return frozenset()


def age_group(age: int | None, groups: tuple[AgeGroup, ...]) -> str | None:
    if age is None:
        return None
    return next(
        (g.code for g in groups if g.at_least <= age and (g.below is None or age < g.below)), None
    )


def _dates(patient: PatientProfile) -> dict[str, tuple[date | None, ...]]:
    found: dict[str, tuple[date | None, ...]] = {}
    for entry in patient.fact_entries:
        found[entry.code] = (*found.get(entry.code, ()), entry.on)
    return found


def _trimester(patient: PatientProfile) -> int | None:
    given = [e.trimester for e in patient.fact_entries if e.code == "pregnancy" and e.trimester]
    return max(given) if given else None


def medication_review(patient: PatientProfile, as_of: date) -> MedicationReview | None:
    """The recorded list read against the drug table on ``as_of`` (None = not recorded): the
    drugs that count, including a stopped drug inside its washout, and names not recognised."""
    if not patient.medications_recorded:
        return None
    table = load_medication_table()
    return review_medications(patient.medication_entries, table, as_of=as_of)


def build_context(
    patient: PatientProfile, knowledge: TherapyKnowledge, history: HistorySummary, as_of: date
) -> Context:
    vocabulary = knowledge.vocabulary
    review = medication_review(patient, as_of)
    # Class ids and drug ids that count now (``medication_classes_any`` matches either).
    classes = review.codes if review else frozenset()
    unrecognised = review.unrecognised if review else ()
    derived = _derived(patient, classes, history)
    age = patient.age_on(as_of)
    return Context(
        facts=patient.facts | {d.code for d in derived},
        preferences=patient.preferences,
        medication_classes=classes,
        age=age,
        failed_trials=history.failed_antidepressants,
        derived=tuple(derived),
        unrecognised_medications=unrecognised,
        absent=patient.absent_facts | _derived_absent(patient, classes, unrecognised),
        as_of=as_of,
        dates=_dates(patient),
        trimester=_trimester(patient),
        medications_recorded=patient.medications_recorded,
        medication_entries=patient.medication_entries,
        groups={code: g.members for code, g in vocabulary.groups.items()},
        age_group=age_group(age, knowledge.age_groups),
        review=review,
    )
