"""Golden vectors for the staging models (research B2) and for staging whole histories."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.subset_golden import assert_subset, subset_cases
from trdnav.core.history import assess_history, parse_history
from trdnav.core.staging import score_model


@pytest.mark.parametrize("case", subset_cases("staging", "models.json"))
def test_a_model_scores_its_parameters_as_the_golden_vector_says(case: dict[str, Any]) -> None:
    assert_subset(case["expect"], score_model(case["model"], case["params"]))


@pytest.mark.parametrize("case", subset_cases("staging", "histories.json"))
def test_a_history_is_staged_as_the_golden_vector_says(case: dict[str, Any]) -> None:
    history = parse_history(case["history"])
    result = assess_history(
        history, as_of=date.fromisoformat(case["as_of"]), profile=case.get("profile")
    )
    assert_subset(case["expect"], result.to_dict())
