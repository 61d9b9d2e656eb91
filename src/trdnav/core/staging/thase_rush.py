"""Thase–Rush staging (1997): stages 0–V from failed adequate trials by drug class.

Source: instrument_notes B2.1 [verified: S12]. Classes are split by mechanism
[P-B1]; stages are cumulative and order-independent, and ECT or MAOI failures without the lower
stages do not promote [P-B2].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trdnav.core.staging.common import class_list
from trdnav.core.staging.knowledge import ThaseRushRules, load_staging_rules

POLICIES = ("P-B1", "P-B2")


@dataclass(frozen=True)
class ThaseRushInput:
    """Classes of the failed adequate antidepressant trials, one entry per failed trial."""

    failed_classes: tuple[str, ...]
    bilateral_ect_failed: bool


@dataclass(frozen=True)
class ThaseRushResult:
    stage: str
    distinct_classes: tuple[str, ...]
    bilateral_ect_failed: bool
    explanation: str
    policies: tuple[str, ...] = POLICIES

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "thase_rush",
            "stage": self.stage,
            "distinct_failed_classes": list(self.distinct_classes),
            "bilateral_ect_failed": self.bilateral_ect_failed,
            "explanation": self.explanation,
            "policies": list(self.policies),
        }


def stage_thase_rush(given: ThaseRushInput) -> ThaseRushResult:
    rules = load_staging_rules().thase_rush
    classes = tuple(dict.fromkeys(given.failed_classes))
    stage, why = _stage(set(classes), given.bilateral_ect_failed, rules)
    text = f"Stage {stage}: {why} Failed classes: {class_list(classes)}."
    if given.bilateral_ect_failed and stage != "V":
        text += " The failed bilateral ECT course counts only on top of stage IV (P-B2)."
    return ThaseRushResult(stage, classes, given.bilateral_ect_failed, text)


def _stage(classes: set[str], ect: bool, rules: ThaseRushRules) -> tuple[str, str]:
    if not classes:
        return "0", "no failed adequate antidepressant trial."
    if len(classes) < 2:
        return "I", "failed adequate trial(s) in one class only (same-class failures stay stage I)."
    if not _stage_iii(classes, rules):
        return (
            "II",
            "failed adequate trials in two different classes, without the failed TCA "
            "plus two other classes that stage III needs.",
        )
    if not _stage_iv(classes, rules):
        return (
            "III",
            "a failed TCA plus two other classes, without the failed MAOI plus two "
            "non-TCA, non-MAOI classes that stage IV needs.",
        )
    if not ect:
        return (
            "IV",
            "failed TCA and MAOI trials on top of two other classes; no failed "
            "bilateral ECT course, so not stage V.",
        )
    return "V", "stage IV plus a failed course of bilateral ECT."


def _stage_iii(classes: set[str], rules: ThaseRushRules) -> bool:
    others = classes - {rules.tca_class}
    return rules.tca_class in classes and len(others) >= rules.stage_iii_other_classes


def _stage_iv(classes: set[str], rules: ThaseRushRules) -> bool:
    others = classes - {rules.tca_class, rules.maoi_class}
    return rules.maoi_class in classes and len(others) >= rules.stage_iv_other_classes
