"""Golden vectors for trial adequacy (research B1, including the ATRQ worked example ta-017)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.subset_golden import assert_subset, subset_cases
from trdnav.core.history import assess_history, judge_single_trial, parse_history


@pytest.mark.parametrize("case", subset_cases("adequacy", "single-trials.json"))
def test_a_single_trial_is_judged_as_the_golden_vector_says(case: dict[str, Any]) -> None:
    assert_subset(case["expect"], judge_single_trial(case["input"]).to_dict())


@pytest.mark.parametrize("case", subset_cases("adequacy", "histories.json"))
def test_trials_in_a_history_are_judged_as_the_golden_vector_says(case: dict[str, Any]) -> None:
    history = parse_history(case["history"])
    result = assess_history(
        history, as_of=date.fromisoformat(case["as_of"]), profile=case.get("profile")
    )
    assert_subset(case["expect"], result.to_dict())
