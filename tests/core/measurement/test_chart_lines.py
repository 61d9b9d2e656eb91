"""The chart's response and remission lines (P-W4), computed in the core from the knowledge base."""

from __future__ import annotations

from dataclasses import replace

from trdnav.core.instruments import get_instrument
from trdnav.core.instruments.definition import OutcomeRules
from trdnav.core.measurement.chart_lines import chart_lines, response_line_value


def _phq9_outcome() -> OutcomeRules:
    outcome = get_instrument("phq9").definition.outcome
    assert outcome is not None and outcome.response_min_pct is not None
    return outcome


def test_the_response_line_is_the_response_percentage_below_a_non_zero_baseline() -> None:
    outcome = _phq9_outcome()
    pct = outcome.response_min_pct.value if outcome.response_min_pct else 0
    baseline = 18
    lines = {line.kind: line for line in chart_lines(outcome, baseline)}
    # Hand-checked: 18 less pct% of 18 (9.0 for the knowledge base's 50%).
    assert lines["response"].value == baseline - baseline * pct / 100
    assert lines["response"].label == f"response: {pct}% below baseline 18"


def test_the_response_line_is_measured_from_the_baseline_not_from_zero() -> None:
    # With 50% the line is the same from either side; an unequal percentage tells them apart.
    assert response_line_value(20, 25) == 15.0  # 25% below 20, not 25% of 20 (5.0)
    assert response_line_value(15, 50) == 7.5
    assert response_line_value(27, 40) == 16.2  # 27 × 0.6, rounded to one decimal
    assert response_line_value(0, 50) == 0


def test_an_instrument_with_another_response_percentage_gets_its_own_line() -> None:
    outcome = _phq9_outcome()
    assert outcome.response_min_pct is not None
    other = replace(outcome, response_min_pct=replace(outcome.response_min_pct, value=25))
    lines = {line.kind: line for line in chart_lines(other, 20)}
    assert lines["response"].value == 15.0
    assert lines["response"].label == "response: 25% below baseline 20"


def test_the_remission_line_is_the_default_remission_cut_off() -> None:
    outcome = _phq9_outcome()
    rule = next(rule for rule in outcome.remission if rule.default)
    lines = {line.kind: line for line in chart_lines(outcome, 18)}
    assert lines["remission"].value == rule.value
    assert lines["remission"].label == f"remission: {rule.describe()}"
    assert lines["remission"].status == rule.status.value


def test_an_instrument_without_outcome_rules_has_no_lines() -> None:
    assert chart_lines(None, 12) == ()
