"""Measurement-based care: response, partial response, remission, early and reliable improvement.

Spec: instrument_notes A12 (thresholds in each instrument's knowledge file),
evidence_notes §9c (early improvement) and §9d (reliable improvement).
"""

from trdnav.core.measurement.outcome import Outcome, classify_outcome, percent_reduction
from trdnav.core.measurement.rules import EarlyImprovementRule, early_improvement_rule
from trdnav.core.measurement.worsening import (
    Worsening,
    WorseningPolicy,
    WorseningRule,
    detect_worsening,
)

__all__ = [
    "EarlyImprovementRule",
    "Outcome",
    "Worsening",
    "WorseningPolicy",
    "WorseningRule",
    "classify_outcome",
    "detect_worsening",
    "early_improvement_rule",
    "percent_reduction",
]
