"""The dashboard's triage order (P-W1 to P-W3): a pure function with an explicit as_of."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trdnav.core.triage import (
    Reason,
    Urgency,
    by_urgency,
    days_overdue,
    is_overdue,
    most_urgent,
    safety_urgency,
    triage_order,
)

AS_OF = date(2025, 3, 1)


@pytest.mark.parametrize(
    ("safety", "high", "expected"),
    [
        ("positive", True, Urgency.SAFETY_HIGH),
        ("positive", False, Urgency.SAFETY_POSITIVE),
        ("unknown", False, Urgency.SAFETY_UNKNOWN),
        ("negative", False, None),
    ],
)
def test_a_safety_answer_is_ranked_high_priority_then_positive_then_unknown(
    safety: str, high: bool, expected: Urgency | None
) -> None:
    assert safety_urgency(safety, high_priority=high) == expected


def test_measures_are_overdue_only_after_more_than_the_due_days() -> None:
    assert days_overdue(AS_OF - timedelta(days=28), as_of=AS_OF, due_days=28) is None
    assert days_overdue(AS_OF - timedelta(days=29), as_of=AS_OF, due_days=28) == 29
    assert not is_overdue(AS_OF - timedelta(days=28), as_of=AS_OF, due_days=28)
    assert is_overdue(AS_OF - timedelta(days=29), as_of=AS_OF, due_days=28)


def test_never_measured_is_overdue() -> None:
    assert is_overdue(None, as_of=AS_OF, due_days=28)


def test_the_same_record_is_overdue_later_only_as_of_moves() -> None:
    last = date(2025, 1, 1)
    assert not is_overdue(last, as_of=date(2025, 1, 29), due_days=28)
    assert is_overdue(last, as_of=date(2025, 1, 30), due_days=28)


def test_safety_outranks_worsening_which_outranks_overdue() -> None:
    overdue = Reason(Urgency.OVERDUE, "overdue")
    worse = Reason(Urgency.WORSENING, "worse")
    unknown = Reason(Urgency.SAFETY_UNKNOWN, "unknown")
    assert by_urgency([overdue, unknown, worse]) == (unknown, worse, overdue)
    assert most_urgent([overdue, worse]) == Urgency.WORSENING
    assert most_urgent([]) == Urgency.NONE
    assert [r.badge for r in (unknown, worse, overdue)] == ["danger", "warn", ""]


def test_the_order_is_stable_within_an_urgency() -> None:
    rows = [("Adams", Urgency.OVERDUE), ("Baker", Urgency.SAFETY_HIGH), ("Clark", Urgency.OVERDUE)]
    ordered = triage_order(rows, lambda row: row[1])
    assert [name for name, _ in ordered] == ["Baker", "Adams", "Clark"]
