"""The shared safety rules: which answers need review, and which answer is the latest."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from trdnav.core.instruments import Priority, Safety
from trdnav.core.measurement.safety import (
    NEEDS_REVIEW,
    SafetyAnswer,
    latest_per_instrument,
    needs_review,
)


@pytest.mark.parametrize(
    ("safety", "expected"),
    [("positive", True), ("unknown", True), ("negative", False), (None, False)],
)
def test_positive_and_unknown_need_review_negative_and_none_do_not(
    safety: str | None, expected: bool
) -> None:
    assert needs_review(safety) is expected


def test_unknown_is_never_treated_as_negative() -> None:
    assert {Safety.POSITIVE, Safety.UNKNOWN} == NEEDS_REVIEW


def _answer(code: str, safety: Safety, day: int, hour: int = 9, pk: int = 1) -> SafetyAnswer:
    return SafetyAnswer(
        instrument=code,
        safety=safety,
        priority=Priority.HIGH if safety is Safety.POSITIVE else None,
        administered_on=date(2025, 2, day),
        recorded_at=datetime(2025, 2, 28, hour, tzinfo=UTC),
        id=pk,
    )


def test_a_later_negative_answer_to_the_same_instrument_clears_an_earlier_positive_one() -> None:
    answers = [_answer("phq9", Safety.NEGATIVE, 20, pk=2), _answer("phq9", Safety.POSITIVE, 1)]
    assert latest_per_instrument(answers)["phq9"].safety is Safety.NEGATIVE


def test_another_instrument_does_not_clear_a_positive_answer() -> None:
    answers = [_answer("phq9", Safety.POSITIVE, 1), _answer("cssrs_screen", Safety.NEGATIVE, 20)]
    latest = latest_per_instrument(answers)
    assert latest["phq9"].needs_review and latest["phq9"].high_priority
    assert not latest["cssrs_screen"].needs_review


def test_on_the_same_day_the_later_recorded_then_the_higher_id_wins() -> None:
    earlier = _answer("phq9", Safety.POSITIVE, 5, hour=9, pk=9)
    later = _answer("phq9", Safety.NEGATIVE, 5, hour=10, pk=1)
    assert latest_per_instrument([later, earlier])["phq9"] is later
    same_time = _answer("phq9", Safety.UNKNOWN, 5, hour=10, pk=2)
    assert latest_per_instrument([same_time, later])["phq9"] is same_time
