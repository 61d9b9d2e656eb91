"""Time at dose from the dose timeline (B1.3 step 2) and outcome bands (B1.3 step 5)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trdnav.core.history import DosePeriod, DrugTrial, Response, TreatmentKind
from trdnav.core.history.dosing import days_at_or_above, segments_of, total_days
from trdnav.core.history.knowledge import load_profiles
from trdnav.core.history.outcome import band

START = date(2024, 1, 1)


def trial(doses: list[tuple[int, float]], length: int | None) -> DrugTrial:
    periods = tuple(DosePeriod(START + timedelta(days=day), mg) for day, mg in doses)
    end = None if length is None else START + timedelta(days=length)
    return DrugTrial(
        "t",
        "e",
        TreatmentKind.ANTIDEPRESSANT,
        "sertraline",
        None,
        None,
        START,
        end,
        periods,
        100,
        Response(0, None),
    )


def test_each_dose_lasts_until_the_next_one_and_the_last_until_the_end() -> None:
    segments = segments_of(trial([(0, 25), (14, 50), (28, 100)], 70), as_of=date(2025, 1, 1))
    assert [(s.mg_per_day, s.days) for s in segments] == [(25, 14), (50, 14), (100, 42)]


def test_an_ongoing_trial_runs_to_the_assessment_date() -> None:
    segments = segments_of(trial([(0, 50)], None), as_of=START + timedelta(days=30))
    assert total_days(segments) == 30


def test_time_at_or_above_the_minimum_is_summed_across_interruptions() -> None:
    segments = segments_of(trial([(0, 100), (21, 25), (35, 100)], 56), as_of=date(2025, 1, 1))
    assert days_at_or_above(segments, 50) == 42


dose_plans = st.lists(
    st.tuples(st.integers(1, 60), st.sampled_from([0, 10, 25, 50, 75, 100, 150, 200])),
    min_size=1,
    max_size=6,
)


def plan_to_doses(plan: list[tuple[int, float]]) -> list[tuple[int, float]]:
    day, doses = 0, []
    for gap, mg in plan:
        doses.append((day, mg))
        day += gap
    return doses


@given(dose_plans, st.integers(0, 400), st.floats(0, 300), st.floats(0, 300))
def test_a_higher_minimum_never_gives_more_time_at_dose(
    plan: list[tuple[int, float]], extra: int, low: float, high: float
) -> None:
    doses = plan_to_doses(plan)
    segments = segments_of(trial(doses, doses[-1][0] + 1 + extra), as_of=date(2030, 1, 1))
    low, high = sorted((low, high))
    assert days_at_or_above(segments, high) <= days_at_or_above(segments, low)
    assert days_at_or_above(segments, low) <= total_days(segments)


@given(st.floats(-100, 100, allow_nan=False))
def test_the_profiles_differ_only_at_exactly_the_threshold(pct: float) -> None:
    profiles = load_profiles()
    usual = band(pct, profiles["usual_minimum"])
    conservative = band(pct, profiles["conservative_atrq"])
    assert (usual == conservative) == (pct != 25)
