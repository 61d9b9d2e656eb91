"""Due and overdue questionnaires: a pure function of the schedule, completions and as_of."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trdnav.core.scheduling import Cadence, DueState, due_status, next_occurrence_after

START = date(2025, 3, 3)  # a Monday
WEEKLY = Cadence(every_days=7, start=START)


def test_it_is_not_started_before_the_first_due_date() -> None:
    result = due_status(WEEKLY, [], as_of=START - timedelta(days=1), grace_days=2)
    assert result.state == DueState.NOT_STARTED
    assert result.next_due_on == START


def test_it_is_due_on_the_due_date_and_overdue_after_the_grace_days() -> None:
    assert due_status(WEEKLY, [], as_of=START, grace_days=2).state == DueState.DUE
    assert due_status(WEEKLY, [], as_of=START + timedelta(days=2), grace_days=2).state == "due"
    late = due_status(WEEKLY, [], as_of=START + timedelta(days=3), grace_days=2)
    assert late.state == DueState.OVERDUE
    assert late.due_on == START


def test_a_completion_on_the_due_date_makes_it_done_until_the_next_one() -> None:
    result = due_status(WEEKLY, [START], as_of=START + timedelta(days=6), grace_days=2)
    assert result.state == DueState.DONE
    assert result.next_due_on == START + timedelta(days=7)
    assert result.last_completed_on == START


def test_a_completion_a_day_early_counts_for_the_occurrence() -> None:
    result = due_status(WEEKLY, [START - timedelta(days=1)], as_of=START, grace_days=2)
    assert result.state == DueState.DONE


def test_a_completion_before_the_window_does_not_count() -> None:
    early = START - timedelta(days=4)  # the window opens 3 days (7 // 2) before
    assert due_status(WEEKLY, [early], as_of=START, grace_days=2).state == DueState.DUE


def test_missed_occurrences_do_not_pile_up_only_the_latest_is_asked_for() -> None:
    as_of = START + timedelta(days=31)  # occurrence on day 28, three days late
    result = due_status(WEEKLY, [], as_of=as_of, grace_days=2)
    assert result.due_on == START + timedelta(days=28)
    assert result.state == DueState.OVERDUE


def test_completions_after_as_of_are_ignored() -> None:
    result = due_status(WEEKLY, [START + timedelta(days=1)], as_of=START, grace_days=2)
    assert result.state == DueState.DUE
    assert result.last_completed_on is None


def test_a_completed_last_occurrence_ends_the_schedule() -> None:
    cadence = Cadence(every_days=28, start=START, end=START + timedelta(days=28))
    result = due_status(cadence, [START + timedelta(days=28)], as_of=date(2025, 4, 5), grace_days=2)
    assert result.state == DueState.ENDED
    assert result.next_due_on is None


def test_a_missed_last_occurrence_lapses_a_full_interval_after_it_was_due() -> None:
    cadence = Cadence(every_days=7, start=START, end=START + timedelta(days=7))
    overdue = due_status(cadence, [START], as_of=START + timedelta(days=13), grace_days=2)
    assert overdue.state == DueState.OVERDUE
    ended = due_status(cadence, [START], as_of=START + timedelta(days=14), grace_days=2)
    assert ended.state == DueState.ENDED


def test_it_refuses_an_interval_below_one_day_or_an_end_before_the_start() -> None:
    with pytest.raises(ValueError, match="every_days"):
        Cadence(every_days=0, start=START)
    with pytest.raises(ValueError, match="end"):
        Cadence(every_days=7, start=START, end=START - timedelta(days=1))


@given(
    every=st.integers(min_value=1, max_value=60),
    offset=st.integers(min_value=0, max_value=400),
)
def test_the_current_occurrence_is_never_after_as_of_and_the_next_is_after_it(
    every: int, offset: int
) -> None:
    cadence = Cadence(every_days=every, start=START)
    as_of = START + timedelta(days=offset)
    result = due_status(cadence, [], as_of=as_of, grace_days=2)
    assert result.due_on is not None
    assert result.due_on <= as_of < result.due_on + timedelta(days=every)
    assert result.next_due_on == result.due_on + timedelta(days=every)
    assert result.needs_doing
    assert next_occurrence_after(cadence, as_of) == result.next_due_on


@given(every=st.integers(min_value=1, max_value=60), offset=st.integers(0, 400))
def test_completing_on_as_of_always_satisfies_the_current_occurrence(
    every: int, offset: int
) -> None:
    cadence = Cadence(every_days=every, start=START)
    as_of = START + timedelta(days=offset)
    assert not due_status(cadence, [as_of], as_of=as_of, grace_days=0).needs_doing


@pytest.mark.parametrize("every_days", [5, 7, 14, 28])
def test_a_completion_exactly_half_an_interval_early_counts_and_one_day_earlier_does_not(
    every_days: int,
) -> None:
    cadence = Cadence(every_days=every_days, start=START)
    due_on = START + timedelta(days=every_days)  # the second occurrence
    half = every_days // 2  # the window opens ⌊n/2⌋ days before the due date
    on_the_edge = due_on - timedelta(days=half)
    assert due_status(cadence, [on_the_edge], as_of=due_on, grace_days=2).state == DueState.DONE
    too_early = on_the_edge - timedelta(days=1)
    assert due_status(cadence, [too_early], as_of=due_on, grace_days=2).state == DueState.DUE
