"""The synthetic cohort: deterministic for a seed, calibrated to the knowledge base's figures."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace

import pytest

from trdnav.core.analytics.cohort import SPAN_DAYS, SynthPatient, generate
from trdnav.core.analytics.expected import DERIVED, _expected, expected_for, expected_outcomes
from trdnav.core.errors import KnowledgeBaseError


def _digest(patients: list[SynthPatient]) -> str:
    return hashlib.sha256(repr(patients).encode()).hexdigest()


def test_the_same_seed_gives_the_same_cohort_whatever_the_batches() -> None:
    whole = list(generate(7, 0, 60, clinicians=3))
    batched = list(generate(7, 0, 25, clinicians=3)) + list(generate(7, 25, 35, clinicians=3))
    assert _digest(whole) == _digest(batched)
    assert _digest(whole) != _digest(list(generate(8, 0, 60, clinicians=3)))


def test_response_and_remission_rates_follow_the_knowledge_base_within_tolerance() -> None:
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for patient in generate(2026, 0, 2000, clinicians=8):
        for course in patient.courses:
            if course.therapy == "switch_antidepressant":
                continue  # its figures differ by stage; checked below
            counts = tallies[course.therapy]
            counts[0] += 1
            counts[1] += course.outcome in ("response", "remission")
            counts[2] += course.outcome == "remission"
    for therapy, (n, responders, remitters) in tallies.items():
        response, remission = expected_for(therapy).rates_at("II")
        assert n > 150
        assert abs(responders / n - response) < 0.08, therapy
        assert abs(remitters / n - remission) < 0.08, therapy


def test_every_trajectory_meets_the_outcome_it_was_built_for() -> None:
    for patient in generate(3, 0, 300, clinicians=2):
        for course in patient.courses:
            baseline = course.measures[0].total
            after = [m.total for m in course.measures[1:]]
            responded = any(2 * t <= baseline for t in after)
            remitted = any(t < 5 for t in after)
            assert responded == (course.outcome != "none")
            assert remitted == (course.outcome == "remission")


def test_a_missing_figure_is_derived_and_stage_figures_are_kept() -> None:
    switch = expected_for("switch_antidepressant")
    assert switch.response.source == DERIVED
    assert switch.rates_at("I")[1] > switch.rates_at("III")[1]
    assert expected_for("cbt").remission.source == DERIVED
    assert all(e.rates_at("II")[1] <= e.rates_at("II")[0] for e in expected_outcomes())


def test_an_unknown_therapy_and_an_entry_without_figures_are_refused() -> None:
    with pytest.raises(KeyError):
        expected_for("no_such_therapy")
    with pytest.raises(KnowledgeBaseError):
        _expected({"therapy": "x", "protocol": "y", "weeks": 4}, 0.7)


def test_follow_up_is_deterministic_and_leaves_the_courses_of_the_seed_unchanged() -> None:
    plain = list(generate(7, 0, 80, clinicians=3))
    followed = list(generate(7, 0, 80, clinicians=3, follow_up_weeks=30))
    batched = list(generate(7, 0, 30, clinicians=3, follow_up_weeks=30)) + list(
        generate(7, 30, 50, clinicians=3, follow_up_weeks=30)
    )
    assert _digest(followed) == _digest(batched)
    # Without the follow-up, the same patients and courses as the seed without it.
    stripped = [
        replace(p, courses=tuple(replace(c, follow_up=()) for c in p.courses)) for p in followed
    ]
    assert _digest(stripped) == _digest(plain)
    assert all(not c.follow_up for p in plain for c in p.courses)


def test_follow_up_measures_are_weekly_after_the_course_and_before_the_next_one() -> None:
    for patient in generate(3, 0, 300, clinicians=3, follow_up_weeks=40):
        courses = patient.courses
        for n, course in enumerate(courses):
            days = [m.day for m in course.follow_up]
            assert len(days) <= 40
            assert days == [course.last_day + 7 * w for w in range(1, len(days) + 1)]
            next_start = courses[n + 1].start_day if n + 1 < len(courses) else SPAN_DAYS + 1
            assert all(course.start_day + day < next_start for day in days)
            assert all(0 <= m.total <= 27 for m in course.follow_up)
            # Item 9 is positive whenever the other eight items cannot reach the total.
            assert all(m.safety_positive for m in course.follow_up if m.total > 24)


def test_follow_up_grows_the_assessments_towards_measurement_based_care() -> None:
    def per_patient(weeks: int) -> float:
        people = list(generate(1, 0, 500, clinicians=2, follow_up_weeks=weeks))
        return sum(len(c.measures) + len(c.follow_up) for p in people for c in p.courses) / 500

    none, some, more = per_patient(0), per_patient(20), per_patient(46)
    assert 7 < none < 11
    assert none < some < more
    assert 45 < more < 56  # about fifty a patient: 100,000 patients give about 5 million
    with pytest.raises(ValueError, match="follow_up_weeks"):
        list(generate(1, 0, 1, clinicians=2, follow_up_weeks=-1))
