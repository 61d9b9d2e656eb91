"""Which treatments failed in the current episode, and what each failure counts as.

The unit of TRD counting is a distinct antidepressant [P-B18]: a failed augmentation counts as a
failure of the antidepressant it augments (never as a second antidepressant, P-B9), and a failed
combination counts for the antidepressant that was added. The options engine reads the typed
``FailedTreatments`` to say "already tried and failed".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from trdnav.core.history.adequacy import TrialVerdict
from trdnav.core.history.knowledge import load_agents, load_drugs
from trdnav.core.history.model import (
    Course,
    DrugTrial,
    Role,
    TreatmentHistory,
    TreatmentKind,
)


@dataclass(frozen=True)
class FailedAntidepressant:
    """An antidepressant that failed adequately; ``trial_ids`` are the trials that showed it."""

    drug: str
    drug_class: str
    oral: bool
    trial_ids: tuple[str, ...]
    augmented_or_combined: bool
    dose_optimised: bool
    duration_optimised: bool

    def to_dict(self) -> dict[str, Any]:
        return {"drug": self.drug, "class": self.drug_class, "trials": list(self.trial_ids)}


@dataclass(frozen=True)
class FailedAugmentation:
    agent: str
    group: str
    augments_drug: str
    trial_id: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "group": self.group,
            "augments": self.augments_drug,
            "trial": self.trial_id,
        }


@dataclass(frozen=True)
class FailedCourse:
    """A failed ECT, TMS, ketamine, esketamine or psychotherapy course."""

    kind: TreatmentKind
    trial_id: str
    detail: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "detail": self.detail, "trial": self.trial_id}


@dataclass(frozen=True)
class FailedTreatments:
    """Everything that failed adequately in the current episode, under one profile."""

    antidepressants: tuple[FailedAntidepressant, ...]
    augmentations: tuple[FailedAugmentation, ...]
    courses: tuple[FailedCourse, ...]

    def drugs(self) -> frozenset[str]:
        return frozenset(a.drug for a in self.antidepressants)

    def classes(self) -> frozenset[str]:
        return frozenset(a.drug_class for a in self.antidepressants)

    def agents(self) -> frozenset[str]:
        return frozenset(a.agent for a in self.augmentations)

    def course_kinds(self) -> frozenset[TreatmentKind]:
        return frozenset(c.kind for c in self.courses)

    def has_failed(self, kind: TreatmentKind) -> bool:
        if kind is TreatmentKind.ANTIDEPRESSANT:
            return bool(self.antidepressants)
        if kind is TreatmentKind.AUGMENTATION:
            return bool(self.augmentations)
        return kind in self.course_kinds()

    def to_dict(self) -> dict[str, Any]:
        return {
            "antidepressants": [a.to_dict() for a in self.antidepressants],
            "augmentations": [a.to_dict() for a in self.augmentations],
            "courses": [c.to_dict() for c in self.courses],
        }


def canonical_drug(name: str) -> str:
    info = load_drugs().get(name)
    return info.code if info else name


def drug_class_of(trial: DrugTrial) -> str:
    info = load_drugs().get(trial.drug)
    return trial.drug_class or (info.drug_class if info else "unknown")


def is_oral(trial: DrugTrial) -> bool:
    # A drug supplied with its own minimum dose is taken to be oral [P-B24].
    info = load_drugs().get(trial.drug)
    return info.oral if info else True


def antidepressant_behind(trial: DrugTrial, history: TreatmentHistory) -> DrugTrial:
    """The antidepressant trial a failure counts for: itself, or the one it augments."""
    if trial.kind is TreatmentKind.AUGMENTATION and trial.partner:
        base = history.treatment(trial.partner)
        if isinstance(base, DrugTrial):
            return base
    return trial


def current_trials(history: TreatmentHistory) -> tuple[DrugTrial, ...]:
    current = history.current_episode_id
    trials = (t for t in history.drug_trials() if t.episode == current)
    return tuple(sorted(trials, key=lambda t: t.start))


def failed_antidepressants(
    history: TreatmentHistory, verdicts: Mapping[str, TrialVerdict]
) -> tuple[FailedAntidepressant, ...]:
    groups: dict[str, list[DrugTrial]] = {}
    for trial in current_trials(history):
        if verdicts[trial.id].failed:
            base = antidepressant_behind(trial, history)
            groups.setdefault(canonical_drug(base.drug), []).append(trial)
    return tuple(_unit(drug, shown, history) for drug, shown in groups.items())


def _unit(drug: str, shown: list[DrugTrial], history: TreatmentHistory) -> FailedAntidepressant:
    own = [
        t
        for t in current_trials(history)
        if t.kind is TreatmentKind.ANTIDEPRESSANT and canonical_drug(t.drug) == drug
    ]
    base = antidepressant_behind(shown[0], history)
    return FailedAntidepressant(
        drug=drug,
        drug_class=drug_class_of(base),
        oral=is_oral(base),
        trial_ids=tuple(t.id for t in shown),
        augmented_or_combined=any(_augmented_or_combined(t, history) for t in own),
        dose_optimised=any(t.dose_optimised for t in own),
        duration_optimised=any(t.duration_optimised for t in own),
    )


def _augmented_or_combined(trial: DrugTrial, history: TreatmentHistory) -> bool:
    # P-B19: adding an agent to it, or combining it with another antidepressant, either way.
    partnered = any(t.partner == trial.id for t in history.drug_trials())
    return partnered or trial.role is Role.COMBINATION


def failed_augmentations(
    history: TreatmentHistory, verdicts: Mapping[str, TrialVerdict]
) -> tuple[FailedAugmentation, ...]:
    agents = load_agents()
    return tuple(
        FailedAugmentation(
            agent=agents[t.drug].code,
            group=agents[t.drug].group,
            augments_drug=canonical_drug(antidepressant_behind(t, history).drug),
            trial_id=t.id,
        )
        for t in current_trials(history)
        if t.kind is TreatmentKind.AUGMENTATION and verdicts[t.id].failed
    )


def failed_courses(courses: Iterable[tuple[Course, bool]]) -> tuple[FailedCourse, ...]:
    """Courses given as (course, failed) pairs for the current episode."""
    return tuple(FailedCourse(c.kind, c.id, _detail(c)) for c, failed in courses if failed)


def _detail(course: Course) -> str | None:
    value = course.laterality or course.protocol or course.modality
    return None if value is None else str(value)
