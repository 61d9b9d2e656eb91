"""Maudsley Staging Method (MSM; Fekadu 2009, standardised 2018): points 3–15 and a band.

Source: instrument_notes B2.4 [verified: S11]. Days convert to the duration
categories as ≤365 / 366–730 / >730 [P-B5]; the MSM is not defined with no failed antidepressant
[P-B6]; scale scores map to severity categories through a configurable table [P-B12].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trdnav.core.staging.common import plural
from trdnav.core.staging.knowledge import (
    MaudsleyRules,
    band_for,
    load_staging_rules,
    points_for,
)
from trdnav.core.vocabulary import Severity

POLICIES = ("P-B5", "P-B6", "P-B12")


@dataclass(frozen=True)
class MaudsleyInput:
    """Either ``duration_days`` (from a history) or ``duration_months`` (direct scoring)."""

    severity: Severity
    failed_antidepressants: int
    augmentation_used: bool
    ect_used: bool
    duration_days: int | None = None
    duration_months: float | None = None


@dataclass(frozen=True)
class MaudsleyResult:
    total: int | None
    band: str | None
    points: dict[str, int]
    duration_category: str
    explanation: str
    error: str | None = None
    policies: tuple[str, ...] = POLICIES

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "maudsley",
            "total": self.total,
            "band": self.band,
            **{f"{name}_points": value for name, value in self.points.items()},
            "duration_category": self.duration_category,
            "explanation": self.explanation,
            "error": self.error,
            "policies": list(self.policies),
        }


def stage_maudsley(given: MaudsleyInput) -> MaudsleyResult:
    rules = load_staging_rules().maudsley
    duration = _duration(given, rules)
    if given.failed_antidepressants == 0:
        message = "not applicable: no failed antidepressant in this episode (P-B6)"
        return MaudsleyResult(None, None, {}, duration.category, _not_applicable(rules), message)
    points = {
        "duration": duration.points,
        "severity": rules.severity[str(given.severity)],
        "treatment": points_for(given.failed_antidepressants, rules.failed_antidepressants).points,
        "augmentation": rules.augmentation_used if given.augmentation_used else 0,
        "ect": rules.ect_used if given.ect_used else 0,
    }
    total = sum(points.values())
    band = band_for(total, rules.bands)
    text = _explain(given, points, duration.category, total, band, rules)
    return MaudsleyResult(total, band, points, duration.category, text)


def maudsley_not_available(reason: str) -> MaudsleyResult:
    """A Maudsley result that names why no stage could be given."""
    return MaudsleyResult(None, None, {}, "", f"No Maudsley stage: {reason}.", reason)


def _duration(given: MaudsleyInput, rules: MaudsleyRules) -> Any:
    if given.duration_days is not None:
        return points_for(given.duration_days, rules.duration_days)
    return points_for(given.duration_months or 0.0, rules.duration_months)


def _not_applicable(rules: MaudsleyRules) -> str:
    minimum = min(band.low for band in rules.bands)
    return (
        "The Maudsley Staging Method needs at least one failed antidepressant (its minimum "
        f"of {minimum:g} points assumes one point on each dimension), so no stage is given."
    )


def _bands(rules: MaudsleyRules) -> str:
    """The bands as the knowledge base gives them, e.g. "mild 3–6, moderate 7–10"."""
    return ", ".join(f"{band.name} {band.low:g}–{band.high:g}" for band in rules.bands)


def _explain(
    given: MaudsleyInput,
    points: dict[str, int],
    category: str,
    total: int,
    band: str | None,
    rules: MaudsleyRules,
) -> str:
    length = (
        f"{given.duration_days} days"
        if given.duration_days is not None
        else f"{given.duration_months:g} months"
    )
    failed = plural(given.failed_antidepressants, "failed antidepressant")
    augmentation = "used" if given.augmentation_used else "not used"
    return (
        f"Total {total} ({band}): episode {length} ({category.replace('_', '-')}, "
        f"{points['duration']}), severity {given.severity.replace('_', ' ')} "
        f"({points['severity']}), {failed} ({points['treatment']}), "
        f"augmentation {augmentation} ({points['augmentation']}), "
        f"ECT {'used' if given.ect_used else 'not used'} ({points['ect']}). "
        f"Bands: {_bands(rules)}."
    )
