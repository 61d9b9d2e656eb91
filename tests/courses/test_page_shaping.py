"""The pages' pure helpers: which chart options can be planned, the form's groups, sparklines."""

from __future__ import annotations

from trdnav.courses.chart import plannable
from trdnav.courses.fields import group_of
from trdnav.courses.present import outcome_words, sparkline


def test_contraindicated_options_and_therapies_without_a_protocol_are_not_plannable() -> None:
    options = [
        {"id": "esketamine", "status": "caution"},
        {"id": "ect", "status": "contraindicated"},
        {"id": "psilocybin", "status": "suitable"},
        {"id": "rtms", "status": "suitable"},
    ]
    assert plannable(options) == {"esketamine", "rtms"}


def test_fields_are_grouped_by_the_words_of_their_names() -> None:
    assert group_of("bp_pre_systolic") == "before"
    assert group_of("seizure_screen_done") == "before"
    assert group_of("bp_post40_systolic") == "after"
    assert group_of("bp_during_diastolic") == "during"
    assert group_of("reorientation_minutes") == "after"
    assert group_of("dose_mg") == "session"
    assert group_of("pressure_note") == "session"  # "pre" only as a whole word


def test_a_sparkline_skips_gaps_and_needs_two_values() -> None:
    assert sparkline([120.0]) == ""
    points = sparkline([120.0, None, 140.0])
    assert len(points.split()) == 2


def test_outcomes_are_named_in_words() -> None:
    assert outcome_words({"outcome": "partial_response"}) == "Partial response"
    assert outcome_words(None) == ""
