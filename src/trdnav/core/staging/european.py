"""European Staging Method (Souery 1999): non-responder, TRD1–TRD5, chronic resistant depression.

Source: instrument_notes B2.2 [verified: S13]. The week bands overlap, so the
stage follows the number of failed trials (TRDk = k+1 trials, inferred in B2.2) and the weeks are
reported beside it; failures all in one class never make TRD [P-B4].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trdnav.core.staging.common import class_list, plural
from trdnav.core.staging.knowledge import EuropeanRules, load_staging_rules

POLICIES = ("P-B4",)


@dataclass(frozen=True)
class EuropeanInput:
    failed_classes: tuple[str, ...]
    resistant_weeks: float | None
    augmentation_tried: bool


@dataclass(frozen=True)
class EuropeanResult:
    stage: str
    failed_trials: int
    distinct_classes: tuple[str, ...]
    resistant_weeks: float | None
    week_bands: tuple[str, ...]
    explanation: str
    policies: tuple[str, ...] = POLICIES

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "european",
            "stage": self.stage,
            "failed_trials": self.failed_trials,
            "distinct_failed_classes": list(self.distinct_classes),
            "resistant_weeks": self.resistant_weeks,
            "stages_matching_weeks": list(self.week_bands),
            "explanation": self.explanation,
            "policies": list(self.policies),
        }


def stage_european(given: EuropeanInput) -> EuropeanResult:
    rules = load_staging_rules().european
    classes = tuple(dict.fromkeys(given.failed_classes))
    count = len(given.failed_classes)
    stage, why = _stage(count, len(classes), given, rules)
    weeks = given.resistant_weeks
    bands = _bands(weeks, rules)
    text = f"{stage}: {why} Failed classes: {class_list(classes)}."
    if weeks is not None:
        ranges = (
            f"within the week range of {', '.join(bands)}" if bands else "in no stage's week range"
        )
        text += f" Resistant for {weeks:g} weeks ({ranges}; stage follows the trial count)."
    return EuropeanResult(stage, count, classes, weeks, bands, text)


def _stage(
    count: int, n_classes: int, given: EuropeanInput, rules: EuropeanRules
) -> tuple[str, str]:
    if count == 0:
        return "not_resistant", "no failed adequate antidepressant trial."
    if n_classes < rules.min_distinct_classes_for_trd:
        return (
            "non_responder",
            f"{plural(count, 'failed adequate trial')}, all in one class "
            "(failures in one class never make TRD).",
        )
    grade = f"TRD{min(count - 1, rules.max_trd_stage)}"
    if _chronic(given, rules):
        return (
            "CRD",
            f"chronic resistant depression: {grade} by trial count, augmentation "
            f"tried and resistance for at least {rules.chronic_min_weeks:g} weeks.",
        )
    return grade, f"{plural(count, 'failed adequate trial')} across {n_classes} classes."


def _chronic(given: EuropeanInput, rules: EuropeanRules) -> bool:
    weeks = given.resistant_weeks
    return given.augmentation_tried and weeks is not None and weeks >= rules.chronic_min_weeks


def _bands(weeks: float | None, rules: EuropeanRules) -> tuple[str, ...]:
    if weeks is None:
        return ()
    return tuple(b.name for b in rules.week_bands if b.low <= weeks <= b.high)
