from __future__ import annotations

import random
from datetime import date

import pytest

from trdnav.core.history import assess_history, parse_history
from trdnav.demo.clinical import clinical_plans
from trdnav.demo.histories import Course, generated_history, shift_dates
from trdnav.demo.trajectories import levels, spread

DATES = (date(2025, 3, 1), date(2026, 11, 27), date(2031, 2, 28))


@pytest.mark.parametrize("as_of", DATES)
def test_every_demo_history_parses_and_can_be_assessed_on_the_demo_date(as_of: date) -> None:
    plans = clinical_plans(as_of=as_of)
    assert len(plans) == 30
    for record, plan in plans.items():
        history = parse_history(plan.history)
        assessment = assess_history(history, as_of=as_of)
        assert assessment.as_of == as_of, record


@pytest.mark.parametrize("course", list(Course))
def test_many_seeds_give_valid_histories_for_every_course(course: Course) -> None:
    for seed in range(60):
        raw = generated_history(random.Random(seed), DATES[1], course)
        assess_history(parse_history(raw), as_of=DATES[1])


def test_the_same_seed_and_date_give_the_same_records() -> None:
    assert clinical_plans(as_of=DATES[0]) == clinical_plans(as_of=DATES[0])
    assert clinical_plans(as_of=DATES[0], seed=1) != clinical_plans(as_of=DATES[0])


def test_the_demo_has_resistant_and_responding_patients() -> None:
    trd = [
        assess_history(parse_history(plan.history), as_of=DATES[1]).is_trd
        for plan in clinical_plans(as_of=DATES[1]).values()
    ]
    assert 5 <= sum(trd) <= 25


def test_scores_fall_when_the_current_trial_works_and_stay_high_when_it_does_not() -> None:
    rng = random.Random(7)
    responds = generated_history(rng, DATES[1], Course.RESPONDS)
    resistant = generated_history(rng, DATES[1], Course.RESISTANT)
    good = [level for _, level in levels(random.Random(1), responds, DATES[1])]
    bad = [level for _, level in levels(random.Random(1), resistant, DATES[1])]
    assert good[-1] < good[0] - 0.25
    assert bad[-1] > 0.45


def test_item_answers_add_up_to_the_level_and_skip_the_safety_item() -> None:
    items = spread(random.Random(3), 20, 9, 3, skip=(8,))
    assert sum(items) == 20
    assert items[8] == 0
    assert max(items) <= 3
    assert sum(spread(random.Random(3), 99, 9, 3, skip=(8,))) == 24


def test_shifting_moves_every_date_and_nothing_else() -> None:
    doc = {"start": "2024-02-28", "id": "2024-x", "doses": [{"from": "2024-03-01", "mg": 5}]}
    assert shift_dates(doc, 2) == {
        "start": "2024-03-01",
        "id": "2024-x",
        "doses": [{"from": "2024-03-03", "mg": 5}],
    }
