"""An ended course as a treatment-history entry (policies P-L3 to P-L5): the entry parses as
part of a history, and the history engine judges it as the policies say."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from trdnav.core.history import assess_history, parse_history
from trdnav.core.history.from_course import EndedCourse, history_entry

START, END = date(2026, 10, 5), date(2026, 11, 20)


def _course(**changes: Any) -> EndedCourse:
    given: dict[str, Any] = {
        "kind": "ect",
        "details": {"laterality": "bitemporal"},
        "start": START,
        "end": END,
        "sessions": 12,
        "measured": "none",
        "improvement_pct": 12.5,
    }
    return EndedCourse(**{**given, **changes})


def _judged(entry: dict[str, Any]) -> dict[str, Any]:
    history = {
        "episodes": [{"id": "e1", "start": "2025-01-01", "end": None, "severity": "moderate"}],
        "treatments": [entry],
    }
    result = assess_history(parse_history(history), as_of=END).to_dict()
    course: dict[str, Any] = result["courses"][0]
    return course


def test_a_non_response_is_written_with_its_figure_and_counts_as_a_failed_course() -> None:
    entry = history_entry(_course(note="from course 4"), entry_id="ect-2", episode="e1")
    assert entry == {
        "id": "ect-2",
        "episode": "e1",
        "kind": "ect",
        "laterality": "bitemporal",
        "start": "2026-10-05",
        "end": "2026-11-20",
        "sessions": 12,
        "improvement_pct": 12.5,
        "outcome": "non_response",
        "notes": "from course 4",
    }
    assert _judged(entry)["failed"] is True


def test_a_course_ended_too_early_has_no_outcome_and_is_not_a_failure() -> None:
    entry = history_entry(
        _course(measured="too_early", improvement_pct=3.0), entry_id="c", episode="e1"
    )
    assert "improvement_pct" not in entry and "outcome" not in entry
    assert _judged(entry)["failed"] is False


def test_stopped_for_side_effects_before_the_outcome_point_is_intolerance_not_failure() -> None:
    course = _course(
        measured="too_early", stopped_for_intolerance=True, kind="esketamine", details={}
    )
    entry = history_entry(course, entry_id="c", episode="e1")
    assert entry["outcome"] == "intolerance" and entry["stopped_for_intolerance"] is True
    assert _judged(entry)["failed"] is False


def test_stopped_for_side_effects_after_the_outcome_point_is_judged_on_its_figure() -> None:
    entry = history_entry(_course(stopped_for_intolerance=True), entry_id="c", episode="e1")
    assert entry["improvement_pct"] == 12.5 and "outcome" not in entry
    assert _judged(entry)["failed"] is True


def test_a_verdict_that_disagrees_with_the_figure_is_left_to_the_figure() -> None:
    # Remission by the instrument's cut-off with 40% improvement: the history bands the figure.
    entry = history_entry(
        _course(measured="remission", improvement_pct=40.0), entry_id="c", episode="e1"
    )
    assert entry["improvement_pct"] == 40.0 and "outcome" not in entry
    assert _judged(entry)["outcome"] == "partial_response"


def test_a_response_keeps_its_outcome() -> None:
    entry = history_entry(
        _course(measured="response", improvement_pct=61.04), entry_id="c", episode="e1"
    )
    assert entry["improvement_pct"] == 61.0 and entry["outcome"] == "response"


def test_it_refuses_a_kind_the_history_does_not_record_as_a_course() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        _course(kind="antidepressant")
    with pytest.raises(ValueError, match="unknown course outcome"):
        _course(measured="maybe")
