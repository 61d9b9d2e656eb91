"""Worsening between two totals of one instrument (policies P-W2 and P-SR6/P-SR7,
docs/clinical-policies.md).

A clinic chooses the rule (``WorseningPolicy``):

* ``reliable_or_mid`` (the default, P-SR6): a *reliable* rise — at least the instrument's
  reliable-change threshold where the knowledge base gives one (evidence_notes §9d: PHQ-9 6
  points, GAD-7 4 points; the reliable-change idea is symmetric, |RCI| > 1.96, so the same
  magnitude serves for rises) — or a move into a higher severity band by a rise of at least
  the instrument's minimal important difference (PHQ-9 5 points, unverified). Where the
  research gives neither a reliable-change threshold nor a minimal important difference, the
  named fallback P-SR7 applies: a move up two or more bands, or into a higher band by a rise
  at least as large as the band left is wide. A one-point move across a band edge (MADRS 6 → 7)
  is never worsening under this rule.
* ``any_band`` (the earlier rule, P-W2): a reliable rise where a threshold is known, else any
  move into a higher band (flags one-point moves across an edge).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trdnav.core.instruments import get_instrument
from trdnav.core.instruments.definition import Band, Definition, Threshold

POLICY = "P-SR6"


class WorseningPolicy(StrEnum):
    """Which change counts as worsening; a clinic setting (P-SR6)."""

    RELIABLE_OR_MID = "reliable_or_mid"
    ANY_BAND = "any_band"


class WorseningRule(StrEnum):
    """Which test found the rise."""

    RELIABLE_CHANGE = "reliable_change"
    SEVERITY_BAND = "severity_band"
    IMPORTANT_BAND_CHANGE = "important_band_change"
    FALLBACK_BAND_CHANGE = "fallback_band_change"


@dataclass(frozen=True)
class Worsening:
    instrument: str
    previous: int
    current: int
    rule: WorseningRule
    explanation: str
    verified: bool = True

    @property
    def rise(self) -> int:
        return self.current - self.previous


def detect_worsening(
    code: str,
    previous: int,
    current: int,
    policy: WorseningPolicy = WorseningPolicy.RELIABLE_OR_MID,
) -> Worsening | None:
    """The worsening from ``previous`` to ``current`` under ``policy``, or None; raises
    UnknownInstrument."""
    definition = get_instrument(code).definition
    if current <= previous:
        return None
    reliable = _outcome_threshold(definition, "reliable_improvement_points")
    if reliable is not None and current - previous >= reliable.value:
        return _reliable(definition, previous, current, reliable)
    bands = _bands(definition, previous, current)
    if bands is None:
        return None
    if policy == WorseningPolicy.ANY_BAND:
        return None if reliable is not None else _band(definition, previous, current, bands)
    return _important_band_change(definition, previous, current, bands, has_reliable=reliable)


def _outcome_threshold(definition: Definition, name: str) -> Threshold | None:
    outcome = definition.outcome
    found: Threshold | None = getattr(outcome, name) if outcome is not None else None
    return found


def _bands(definition: Definition, previous: int, current: int) -> tuple[Band, Band] | None:
    """The bands before and after, when the rise moved into a higher band."""
    scheme = definition.default_scheme()
    if scheme is None:
        return None
    before, after = scheme.band_for(previous), scheme.band_for(current)
    if before is None or after is None or after.minimum <= before.minimum:
        return None
    return before, after


def _reliable(definition: Definition, previous: int, current: int, points: Threshold) -> Worsening:
    explanation = (
        f"{definition.abbreviation} rose {current - previous} points ({previous} → {current}); "
        f"a change of {points.value} or more is reliable"
    )
    return Worsening(
        definition.code, previous, current, WorseningRule.RELIABLE_CHANGE, explanation,
        verified=points.status == "verified",
    )  # fmt: skip


def _band(
    definition: Definition, previous: int, current: int, bands: tuple[Band, Band]
) -> Worsening:
    before, after = bands
    explanation = (
        f"{definition.abbreviation} moved from {before.label} to {after.label} "
        f"({previous} → {current})"
    )
    return Worsening(definition.code, previous, current, WorseningRule.SEVERITY_BAND, explanation)


def _important_band_change(
    definition: Definition,
    previous: int,
    current: int,
    bands: tuple[Band, Band],
    *,
    has_reliable: Threshold | None,
) -> Worsening | None:
    before, after = bands
    rise = current - previous
    mid = _outcome_threshold(definition, "minimal_important_points")
    moved = f"{definition.abbreviation} moved from {before.label} to {after.label}"
    if mid is not None:
        if rise < mid.value:
            return None
        why = f"{moved} ({previous} → {current}), at least the {mid.value}-point important change"
        return Worsening(
            definition.code, previous, current, WorseningRule.IMPORTANT_BAND_CHANGE, why,
            verified=mid.status == "verified",
        )  # fmt: skip
    if has_reliable is not None:
        return None  # a reliable-change threshold is known and was not reached
    return _fallback(definition, previous, current, bands, moved)


def _fallback(
    definition: Definition, previous: int, current: int, bands: tuple[Band, Band], moved: str
) -> Worsening | None:
    """P-SR7: no figure in the research, so a rise counts when it is a band's worth."""
    before, after = bands
    scheme = definition.default_scheme()
    bands_in_order = scheme.bands if scheme is not None else (before, after)
    steps = bands_in_order.index(after) - bands_in_order.index(before)
    width = before.maximum - before.minimum + 1
    if steps < 2 and current - previous < width:
        return None
    why = f"{moved} ({previous} → {current}); a change of a whole band or more"
    return Worsening(
        definition.code, previous, current, WorseningRule.FALLBACK_BAND_CHANGE, why,
        verified=False,
    )  # fmt: skip
