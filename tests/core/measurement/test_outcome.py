from __future__ import annotations

from typing import Any

import pytest

from tests.golden import assert_matches, golden_cases
from trdnav.core.errors import InvalidInput, NotAvailable, UnknownCode
from trdnav.core.instruments import UnknownInstrument
from trdnav.core.measurement import classify_outcome, percent_reduction


@pytest.mark.parametrize(("code", "case"), golden_cases("measurement"))
def test_each_golden_outcome_is_classified_as_hand_checked(code: str, case: dict[str, Any]) -> None:
    outcome = classify_outcome(code, **case["input"])
    assert_matches(outcome.to_dict(), case["expected"])


def test_percent_reduction_is_exact_so_a_boundary_never_rounds_across() -> None:
    reduction = percent_reduction(3, 2)
    assert reduction is not None and reduction * 3 == 100
    assert percent_reduction(0, 5) is None


def test_a_total_outside_the_instrument_range_is_rejected_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        classify_outcome("phq9", 28, -1)
    assert [e.field for e in caught.value.errors] == ["baseline", "current"]
    assert "0–27" in caught.value.errors[0].message


def test_a_boolean_total_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        classify_outcome("phq9", True, 0)


def test_a_negative_number_of_days_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        classify_outcome("hamd17", 20, 10, days_since_baseline=-1)
    assert caught.value.errors[0].field == "days_since_baseline"


def test_an_unknown_remission_rule_lists_the_known_ones() -> None:
    with pytest.raises(UnknownCode, match="at_most_10, at_most_12, at_most_9"):
        classify_outcome("madrs", 30, 10, remission_rule="at_most_11")


def test_cgi_i_has_no_baseline_comparison_because_it_rates_change_itself() -> None:
    with pytest.raises(NotAvailable, match="responder flag is part of the score"):
        classify_outcome("cgi_i", 3, 2)


def test_an_unknown_instrument_is_refused() -> None:
    with pytest.raises(UnknownInstrument):
        classify_outcome("bdi2", 20, 10)
