"""Golden tests of the cohort statistics: Wilson intervals against published values, Kaplan–Meier
against a small cohort computed by hand, and small-cell suppression."""

from __future__ import annotations

import pytest

from trdnav.core.analytics import (
    Tally,
    kaplan_meier,
    median_time,
    suppressed_cells,
    wilson_interval,
)
from trdnav.core.errors import InvalidInput

# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
# methods. Stat Med 1998;17:857-872, Table I, method 3 (Wilson score, no continuity
# correction), 95% limits to four decimals. The four examples (81/263, 15/148, 0/20, 1/29)
# are the paper's; 29/29 is the mirror of 0/29.
NEWCOMBE_1998_WILSON = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("successes", "total", "low", "high"), NEWCOMBE_1998_WILSON)
def test_the_wilson_interval_matches_newcombe_1998(
    successes: int, total: int, low: float, high: float
) -> None:
    interval = wilson_interval(successes, total)
    assert interval is not None
    assert round(interval.low, 4) == low
    assert round(interval.high, 4) == high


def test_a_proportion_of_all_has_an_upper_limit_of_exactly_one() -> None:
    interval = wilson_interval(29, 29)
    assert interval is not None and interval.high == 1.0 and round(interval.low, 4) == 0.8830


def test_no_interval_without_a_denominator_and_none_for_impossible_counts() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(InvalidInput):
        wilson_interval(3, 2)


# Six courses, by hand: responses on days 7, 7, 14, 28; one censored on day 7 (its last
# measure, the same day as two responses: still at risk that day) and one on day 21.
#   day 7:  6 at risk, 2 events → S = 4/6           = 0.6667
#   day 14: 3 at risk (6 − 2 − 1 censored), 1 event → S = 0.6667 × 2/3 = 0.4444
#   day 21: 2 at risk, 1 censored              → S unchanged
#   day 28: 1 at risk, 1 event                 → S = 0
HAND_COHORT = [Tally(7, 2, 0), Tally(7, 0, 1), Tally(14, 1, 0), Tally(21, 0, 1), Tally(28, 1, 0)]


def test_kaplan_meier_with_censoring_matches_the_hand_computed_cohort() -> None:
    steps = kaplan_meier(HAND_COHORT)
    assert [(s.time, s.at_risk, s.events, s.censored) for s in steps] == [
        (7, 6, 2, 1),
        (14, 3, 1, 0),
        (21, 2, 0, 1),
        (28, 1, 1, 0),
    ]
    assert [round(s.survival, 4) for s in steps] == [0.6667, 0.4444, 0.4444, 0.0]


def test_the_median_is_the_first_time_at_or_below_one_half() -> None:
    assert median_time(kaplan_meier(HAND_COHORT)) == 14
    exactly_half = kaplan_meier([Tally(3, 1, 0), Tally(5, 0, 1)])
    assert median_time(exactly_half) == 3


def test_no_median_when_fewer_than_half_have_the_event() -> None:
    assert median_time(kaplan_meier([Tally(7, 1, 0), Tally(14, 0, 3)])) is None


def test_a_negative_tally_is_refused() -> None:
    with pytest.raises(InvalidInput):
        kaplan_meier([Tally(-1, 1, 0)])


def test_cells_below_the_minimum_are_suppressed_with_a_complementary_cell() -> None:
    counts = {"ect": 40, "rtms": 3, "cbt": 12, "ketamine": 9}
    hidden = suppressed_cells(counts, 5)
    # rtms (3) alone could be recovered from the total; the smallest other cell goes too.
    assert hidden == {"rtms", "ketamine"}


def test_complementary_cells_are_added_until_the_hidden_sum_reaches_the_minimum() -> None:
    counts = {"a": 1, "b": 1, "c": 2, "d": 50}
    assert suppressed_cells(counts, 5) == {"a", "b", "c", "d"}
    assert suppressed_cells({"a": 1, "b": 2, "c": 3, "d": 50}, 5) == {"a", "b", "c"}


def test_nothing_is_suppressed_when_every_cell_reaches_the_minimum() -> None:
    assert suppressed_cells({"a": 5, "b": 7}, 5) == set()


def test_a_breakdown_whose_total_is_small_is_suppressed_whole() -> None:
    assert suppressed_cells({"a": 2, "b": 1, "c": 0}, 5) == {"a", "b"}


def test_the_minimum_must_be_at_least_one() -> None:
    with pytest.raises(InvalidInput):
        suppressed_cells({"a": 1}, 0)
