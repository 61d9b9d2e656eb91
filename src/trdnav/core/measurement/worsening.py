"""Worsening between two totals of one instrument (policy P-W2, docs/clinical-policies.md).

Where the knowledge base gives a reliable-change threshold (evidence_notes §9d:
PHQ-9 6 points, GAD-7 4 points), a rise of at least that many points is worsening: the
reliable-change idea is symmetric (|RCI| > 1.96), so the same magnitude is used for rises as for
drops. Other instruments have no such threshold in the research; for them, moving into a
higher band of the instrument's default severity scheme is worsening.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trdnav.core.instruments import get_instrument
from trdnav.core.instruments.definition import Definition

POLICY = "P-W2"


class WorseningRule(StrEnum):
    """Which test found the rise (P-W2)."""

    RELIABLE_CHANGE = "reliable_change"
    SEVERITY_BAND = "severity_band"


@dataclass(frozen=True)
class Worsening:
    instrument: str
    previous: int
    current: int
    rule: WorseningRule
    explanation: str

    @property
    def rise(self) -> int:
        return self.current - self.previous


def detect_worsening(code: str, previous: int, current: int) -> Worsening | None:
    """The worsening from ``previous`` to ``current``, or None; raises UnknownInstrument."""
    definition = get_instrument(code).definition
    if current <= previous:
        return None
    threshold = _reliable_points(definition)
    if threshold is not None:
        return _by_reliable_change(definition, previous, current, threshold)
    return _by_band(definition, previous, current)


def _reliable_points(definition: Definition) -> int | None:
    outcome = definition.outcome
    if outcome is None or outcome.reliable_improvement_points is None:
        return None
    return outcome.reliable_improvement_points.value


def _by_reliable_change(
    definition: Definition, previous: int, current: int, points: int
) -> Worsening | None:
    if current - previous < points:
        return None
    explanation = (
        f"{definition.abbreviation} rose {current - previous} points ({previous} → {current}); "
        f"a change of {points} or more is reliable"
    )
    return Worsening(definition.code, previous, current, WorseningRule.RELIABLE_CHANGE, explanation)


def _by_band(definition: Definition, previous: int, current: int) -> Worsening | None:
    scheme = definition.default_scheme()
    if scheme is None:
        return None
    before, after = scheme.band_for(previous), scheme.band_for(current)
    if before is None or after is None or after.minimum <= before.minimum:
        return None
    explanation = (
        f"{definition.abbreviation} moved from {before.label} to {after.label} "
        f"({previous} → {current})"
    )
    return Worsening(definition.code, previous, current, WorseningRule.SEVERITY_BAND, explanation)
