"""Judging one drug trial against an adequacy profile (research B1.1-B1.3; P-B8 to P-B11).

A trial is adequate when it reached the profile's minimum daily dose, stayed at or above it for
the profile's minimum weeks (monotherapy/combination, or augmentation [P-B9a]) and was taken
with at least the adherence threshold [P-B8]. It *failed* when adequate and non-responding.
Every verdict names the rules that failed and the profile used.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trdnav.core.history import dosing
from trdnav.core.history.knowledge import (
    AdequacyProfile,
    Basis,
    DoseCell,
    load_agents,
    load_drugs,
)
from trdnav.core.history.model import Outcome, Response, TreatmentKind
from trdnav.core.history.outcome import judged_outcome


class AdequacyRule(StrEnum):
    """Adequacy rules a trial can fail (B1.3 steps 2-4)."""

    DOSE_BELOW_MINIMUM = "dose_below_minimum"
    DURATION_TOO_SHORT = "duration_too_short"
    ADHERENCE_INSUFFICIENT = "adherence_insufficient"


class Note(StrEnum):
    """Caveats attached to a verdict."""

    ADHERENCE_NOT_RECORDED = "adherence_not_recorded"  # assumed adequate [P-B15]
    DOSE_NOT_ASSESSED = "dose_not_assessed"  # agent without a minimum on file [P-B13]
    MIN_DOSE_UNVERIFIED = "min_dose_unverified"  # the dose-table cell is not verified
    MIN_DOSE_SUPPLIED = "min_dose_supplied"  # the minimum came with the trial
    OUTCOME_NOT_RECORDED = "outcome_not_recorded"
    STOPPED_FOR_INTOLERANCE = "stopped_for_intolerance"


@dataclass(frozen=True)
class TrialFacts:
    """What adequacy needs to know about one drug trial, however it was entered."""

    id: str
    kind: TreatmentKind
    drug: str
    segments: tuple[dosing.DoseSegment, ...]
    adherence_pct: float | None
    response: Response
    min_dose_mg: float | None = None


@dataclass(frozen=True)
class TrialVerdict:
    treatment_id: str
    profile: str
    adequate: bool
    reasons: tuple[AdequacyRule, ...]
    outcome: str
    failed: bool
    days_at_or_above_min_dose: float
    min_dose: DoseCell | None
    min_weeks: int
    adherence_min_pct: float
    notes: tuple[Note, ...]

    @property
    def weeks_at_or_above_min_dose(self) -> float:
        return round(self.days_at_or_above_min_dose / dosing.DAYS_PER_WEEK, 1)

    @property
    def non_response(self) -> bool:
        return self.outcome == Outcome.NON_RESPONSE

    def same_judgement(self, other: TrialVerdict) -> bool:
        return (self.adequate, self.reasons, self.outcome, self.failed) == (
            other.adequate,
            other.reasons,
            other.outcome,
            other.failed,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "adequate": self.adequate,
            "reasons": [str(r) for r in self.reasons],
            "outcome": self.outcome,
            "failed": self.failed,
            "weeks_at_or_above_min_dose": self.weeks_at_or_above_min_dose,
            "min_dose": None if self.min_dose is None else self.min_dose.to_dict(),
            "min_weeks": self.min_weeks,
            "adherence_min_pct": self.adherence_min_pct,
            "notes": [str(n) for n in self.notes],
        }


def minimum_dose(facts: TrialFacts, profile: AdequacyProfile) -> DoseCell | None:
    """The minimum daily dose under this profile; a dose supplied with the trial wins."""
    if facts.min_dose_mg is not None:
        return DoseCell(facts.min_dose_mg, Basis.SUPPLIED, "supplied with the trial")
    if facts.kind is TreatmentKind.AUGMENTATION:
        agent = load_agents().get(facts.drug)
        return agent.min_dose if agent else None
    drug = load_drugs().get(facts.drug)
    return drug.minimum[profile.dose_column] if drug else None


def judge_trial(facts: TrialFacts, profile: AdequacyProfile) -> TrialVerdict:
    minimum = minimum_dose(facts, profile)
    min_weeks = _min_weeks(facts.kind, profile)
    days = _days_at_minimum(facts.segments, minimum)
    reasons = _failed_rules(facts, profile, minimum, days, min_weeks)
    outcome = judged_outcome(facts.response, profile)
    failed = not reasons and outcome == Outcome.NON_RESPONSE
    notes = _notes(facts, minimum, outcome)
    return TrialVerdict(
        facts.id,
        profile.name,
        not reasons,
        reasons,
        outcome,
        failed,
        days,
        minimum,
        min_weeks,
        profile.adherence_min_pct,
        notes,
    )


def _min_weeks(kind: TreatmentKind, profile: AdequacyProfile) -> int:
    if kind is TreatmentKind.AUGMENTATION:
        return profile.min_weeks_augmentation
    return profile.min_weeks_monotherapy


def _days_at_minimum(segments: tuple[dosing.DoseSegment, ...], minimum: DoseCell | None) -> float:
    if minimum is None:
        return dosing.total_days(segments)
    return dosing.days_at_or_above(segments, minimum.mg_per_day)


def _failed_rules(
    facts: TrialFacts,
    profile: AdequacyProfile,
    minimum: DoseCell | None,
    days: float,
    min_weeks: int,
) -> tuple[AdequacyRule, ...]:
    reasons: list[AdequacyRule] = []
    reached = minimum is None or dosing.highest_dose(facts.segments) >= minimum.mg_per_day
    if not reached:
        reasons.append(AdequacyRule.DOSE_BELOW_MINIMUM)
    # A dose never reached says nothing about duration; judge the time on the drug instead.
    counted = days if reached else dosing.total_days(facts.segments)
    if counted < min_weeks * dosing.DAYS_PER_WEEK:
        reasons.append(AdequacyRule.DURATION_TOO_SHORT)
    adherence = facts.adherence_pct
    if adherence is not None and adherence < profile.adherence_min_pct:
        reasons.append(AdequacyRule.ADHERENCE_INSUFFICIENT)
    return tuple(reasons)


def _notes(facts: TrialFacts, minimum: DoseCell | None, outcome: str) -> tuple[Note, ...]:
    checks = (
        (facts.adherence_pct is None, Note.ADHERENCE_NOT_RECORDED),
        (minimum is None, Note.DOSE_NOT_ASSESSED),
        (
            minimum is not None and minimum.basis in (Basis.INFERRED, Basis.FROM_MEMORY),
            Note.MIN_DOSE_UNVERIFIED,
        ),
        (minimum is not None and minimum.basis is Basis.SUPPLIED, Note.MIN_DOSE_SUPPLIED),
        (outcome == "unknown", Note.OUTCOME_NOT_RECORDED),
        (facts.response.stopped_for_intolerance, Note.STOPPED_FOR_INTOLERANCE),
    )
    return tuple(note for condition, note in checks if condition)
