"""A course's measure dates become the fewest schedules whose occurrences are exactly them."""

from __future__ import annotations

from datetime import date, timedelta

from trdnav.core.scheduling import Cadence, cadences_for, occurrence_on_or_before

START = date(2026, 11, 2)


def _days(*offsets: int) -> list[date]:
    return [START + timedelta(days=o) for o in offsets]


def test_weekly_measures_become_one_schedule() -> None:
    assert cadences_for(_days(0, 7, 14, 21)) == (
        Cadence(every_days=7, start=START, end=START + timedelta(days=21)),
    )


def test_an_end_of_course_measure_off_the_weekly_step_gets_its_own_single_occurrence() -> None:
    weekly, end = cadences_for(_days(21, 0, 7, 14, 25))
    assert weekly == Cadence(every_days=7, start=START, end=START + timedelta(days=21))
    assert end == Cadence(every_days=4, start=START + timedelta(days=25), end=START + timedelta(25))


def test_a_lone_date_gets_the_default_interval_and_duplicates_count_once() -> None:
    assert cadences_for([START, START], every_days_alone=10) == (
        Cadence(every_days=10, start=START, end=START),
    )
    assert cadences_for([]) == ()


def test_every_occurrence_of_the_runs_is_one_of_the_dates() -> None:
    days = _days(0, 3, 10, 17, 24, 26)
    found = set()
    for cadence in cadences_for(days):
        day = cadence.start
        while day <= (cadence.end or day):
            assert occurrence_on_or_before(cadence, day) == day
            found.add(day)
            day += timedelta(days=cadence.every_days)
    assert found == set(days)
