"""Massachusetts General Hospital staging (MGH-S, Fava 2003): a continuous resistance score.

Source: instrument_notes B2.3 [verified: S13]. Increments attach only to
counted (adequate, non-responding) trials, at most once per category per trial; failed ECT adds
its points once per episode [P-B3].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trdnav.core.staging.common import plural
from trdnav.core.staging.knowledge import MghsRules, load_staging_rules

POLICIES = ("P-B3",)


@dataclass(frozen=True)
class MghsTrial:
    adequate: bool
    responded: bool
    dose_optimised: bool = False
    duration_optimised: bool = False
    augmented_or_combined: bool = False


@dataclass(frozen=True)
class MghsInput:
    trials: tuple[MghsTrial, ...]
    ect_failed: bool


@dataclass(frozen=True)
class MghsResult:
    score: float
    trial_points: tuple[float, ...]
    ect_points: float
    register_threshold_met: bool
    explanation: str
    policies: tuple[str, ...] = POLICIES

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "mgh_s",
            "score": self.score,
            "trial_points": list(self.trial_points),
            "ect_points": self.ect_points,
            "register_trd_threshold_met": self.register_threshold_met,
            "explanation": self.explanation,
            "policies": list(self.policies),
        }


def score_mgh_s(given: MghsInput) -> MghsResult:
    rules = load_staging_rules().mgh_s
    points = tuple(_trial_points(t, rules) for t in given.trials)
    ect = rules.failed_ect if given.ect_failed else 0.0
    score = sum(points) + ect
    counted = sum(1 for p in points if p > 0)
    text = (
        f"Score {score:g}: {plural(counted, 'failed adequate trial')} "
        f"({' + '.join(f'{p:g}' for p in points if p > 0) or 'none'}) "
        f"and {'a failed ECT course (+' + f'{ect:g})' if ect else 'no failed ECT course'}. "
        f"Continuous score without bands; a register adaptation (not the original model) "
        f"used {rules.register_trd_threshold:g} or more as its TRD threshold."
    )
    return MghsResult(score, points, ect, score >= rules.register_trd_threshold, text)


def _trial_points(trial: MghsTrial, rules: MghsRules) -> float:
    if not trial.adequate or trial.responded:
        return 0.0
    extras = (
        rules.dose_optimisation * trial.dose_optimised
        + rules.duration_optimisation * trial.duration_optimised
        + rules.augmentation_or_combination * trial.augmented_or_combined
    )
    return rules.per_failed_trial + extras
