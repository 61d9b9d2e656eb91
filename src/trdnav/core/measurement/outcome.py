"""Outcome between a baseline and a current total (instrument_notes A12).

% reduction = 100 × (baseline − current) / baseline; exactly 50% is a response ("at least 50
percent lower", S20). Comparisons use exact fractions so that a boundary never falls on the wrong
side through rounding. Baseline 0 leaves the percentage undefined, and every rule built on it, but
remission is still evaluated (P-A10).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from trdnav.core.errors import FieldError, InvalidInput, NotAvailable, UnknownCode
from trdnav.core.instruments import get_instrument
from trdnav.core.instruments.definition import (
    Definition,
    OutcomeRules,
    RemissionRule,
    Threshold,
)
from trdnav.core.measurement.rules import early_improvement_rule


@dataclass(frozen=True)
class Outcome:
    instrument: str
    baseline: int
    current: int
    pct_reduction: float | None
    response: bool | None
    partial_response: bool | None
    non_response: bool | None
    remission: bool | None
    remission_rule: RemissionRule | None
    early_improvement: bool | None
    reliable_improvement: bool | None
    policies: tuple[str, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        rule = self.remission_rule
        return {
            "instrument": self.instrument,
            "baseline": self.baseline,
            "current": self.current,
            "change": self.baseline - self.current,
            "pct_reduction": self.pct_reduction,
            "response": self.response,
            "partial_response": self.partial_response,
            "non_response": self.non_response,
            "remission": self.remission,
            "remission_rule": None
            if rule is None
            else {"name": rule.name, "threshold": rule.describe(), "status": rule.status.value},
            "early_improvement": self.early_improvement,
            "reliable_improvement": self.reliable_improvement,
            "policies": list(self.policies),
            "notes": list(self.notes),
        }


def percent_reduction(baseline: int, current: int) -> Fraction | None:
    """Exact % reduction from baseline; None when the baseline is 0 (P-A10)."""
    if baseline == 0:
        return None
    return Fraction(100 * (baseline - current), baseline)


def classify_outcome(
    code: str,
    baseline: int,
    current: int,
    *,
    days_since_baseline: int | None = None,
    remission_rule: str | None = None,
) -> Outcome:
    """Response, partial response, remission, early and reliable improvement for one instrument.

    Raises ``UnknownInstrument`` for an unknown code, ``InvalidInput`` for totals outside the
    instrument's range, and ``NotAvailable`` for an instrument without outcome definitions.
    """
    definition = get_instrument(code).definition
    rules = _outcome_rules(definition)
    _check_inputs(definition, baseline, current, days_since_baseline)
    pct = percent_reduction(baseline, current)
    remission = _remission_rule(rules, remission_rule)
    # Early improvement predicts response, so it is only evaluated where response is defined.
    early = _early_improvement(code, pct if rules.response_min_pct else None, days_since_baseline)
    return Outcome(
        instrument=code,
        baseline=baseline,
        current=current,
        pct_reduction=None if pct is None else round(float(pct), 1),
        response=_at_least(pct, rules.response_min_pct),
        partial_response=_partial(pct, rules),
        non_response=_below(pct, rules.partial_min_pct),
        remission=None if remission is None else remission.met_by(current),
        remission_rule=remission,
        early_improvement=early[0],
        reliable_improvement=_reliable(rules, baseline, current),
        policies=("P-A10",) if pct is None else (),
        notes=_notes(pct, early[1]),
    )


def _outcome_rules(definition: Definition) -> OutcomeRules:
    if definition.outcome is None:
        raise NotAvailable(
            f"{definition.code} has no outcome definitions in the research (A12); "
            "for CGI-I and PGI-I the responder flag is part of the score itself"
        )
    return definition.outcome


def _check_inputs(definition: Definition, baseline: int, current: int, days: int | None) -> None:
    low, high = definition.total_range or (0, 0)
    errors = [
        FieldError(name, f"must be an integer total {low}–{high} for {definition.abbreviation}")
        for name, value in (("baseline", baseline), ("current", current))
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high
    ]
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        errors.append(FieldError("days_since_baseline", "must be a whole number of days ≥ 0"))
    if errors:
        raise InvalidInput(errors)


def _remission_rule(rules: OutcomeRules, name: str | None) -> RemissionRule | None:
    if name is None:
        return next((rule for rule in rules.remission if rule.default), None)
    found = next((rule for rule in rules.remission if rule.name == name), None)
    if found is None:
        raise UnknownCode("remission_rule", name, [rule.name for rule in rules.remission])
    return found


def _at_least(pct: Fraction | None, threshold: Threshold | None) -> bool | None:
    return None if pct is None or threshold is None else pct >= threshold.value


def _below(pct: Fraction | None, threshold: Threshold | None) -> bool | None:
    reached = _at_least(pct, threshold)
    return None if reached is None else not reached


def _partial(pct: Fraction | None, rules: OutcomeRules) -> bool | None:
    """25–49%: at least the partial threshold and below the response threshold."""
    partial = _at_least(pct, rules.partial_min_pct)
    response = _at_least(pct, rules.response_min_pct)
    return None if partial is None or response is None else partial and not response


def _reliable(rules: OutcomeRules, baseline: int, current: int) -> bool | None:
    points = rules.reliable_improvement_points
    return None if points is None else baseline - current >= points.value


def _early_improvement(
    code: str, pct: Fraction | None, days: int | None
) -> tuple[bool | None, str | None]:
    """Evaluated for a rating within the first 14 days; later ratings leave it undefined."""
    rule = early_improvement_rule()
    if pct is None or days is None or days > rule.within_days:
        return None, None
    note = None
    if code not in rule.validated_on:
        note = "early improvement was defined on the HAM-D17; applied here by analogy"
    return pct >= rule.min_pct, note


def _notes(pct: Fraction | None, early_note: str | None) -> tuple[str, ...]:
    notes = []
    if pct is None:
        notes.append("baseline 0: percent reduction undefined; remission still evaluated (P-A10)")
    if early_note:
        notes.append(early_note)
    return tuple(notes)
