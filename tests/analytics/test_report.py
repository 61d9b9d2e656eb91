"""The outcome report against a small cohort computed by hand (tests/analytics/cohort.py).

ECT, four courses: H-1 baseline 20 → 12, 10 (response day 14: 2·10 ≤ 20), 4 (remission day 21);
H-2 20 → 15, 14 (stopped; no response; censored day 14; a positive safety item);
H-3 18 → 9 (response day 7: exactly 50%); H-4 22, never re-measured (treated, not measured).
Rates over the three measured: response 2/3, remission 1/3, early improvement (≥20% by day 14)
3/3; completion 2 of 4 ended. KM response: day 7 3 at risk 1 event S=2/3; day 14 2 at risk,
1 event and 1 censored, S=1/3 → median 14. KM remission: censored days 7 and 14, event day 21
(1 at risk) → S=0, median 21. rTMS: one course, 16 → 15.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.analytics.cohort import add_course, hand_cohort
from trdnav.accounts.models import Clinic, User
from trdnav.analytics.services import outcome_report

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def test_rates_medians_and_counts_match_the_hand_computed_cohort(
    clinic: Clinic, clinician: User
) -> None:
    hand_cohort(clinic, clinician)
    report = outcome_report(clinic=clinic, now=NOW, minimum=1)
    ect = next(c for c in report.breakdown("therapy") if c.key == "ect")
    assert (ect.patients, ect.courses) == (4, 4)
    assert ect.response is not None and (ect.response.count, ect.response.total) == (2, 3)
    assert ect.remission is not None and (ect.remission.count, ect.remission.total) == (1, 3)
    assert ect.early_improvement is not None and ect.early_improvement.count == 3
    assert ect.completion is not None and (ect.completion.count, ect.completion.total) == (2, 4)
    assert ect.median_days_to_response == 14
    assert ect.median_days_to_remission == 21
    assert [(s.time, s.at_risk, s.events, s.censored) for s in ect.response_curve] == [
        (7, 3, 1, 0),
        (14, 2, 1, 1),
    ]
    assert [round(s.survival, 4) for s in ect.response_curve] == [0.6667, 0.3333]
    assert [round(s.survival, 4) for s in ect.remission_curve] == [1.0, 1.0, 0.0]
    assert (ect.safety_events, ect.overrides) == (1, 1)
    assert ect.rems_on_time is not None
    assert (ect.rems_on_time.count, ect.rems_on_time.total) == (1, 2)


def test_every_breakdown_and_the_total_are_present(clinic: Clinic, clinician: User) -> None:
    hand_cohort(clinic, clinician)
    report = outcome_report(clinic=clinic, now=NOW, minimum=1)
    assert {c.key for c in report.breakdown("stage")} == {"II", "III"}
    assert [c.key for c in report.breakdown("period")] == ["2026-Q1"]
    assert [c.key for c in report.breakdown("clinician")] == [str(clinician.pk)]
    assert report.overall.patients == 5
    assert report.overall.response is not None and report.overall.response.total == 4


def test_weekly_mean_change_is_the_mean_over_the_courses_measured_that_week(
    clinic: Clinic, clinician: User
) -> None:
    hand_cohort(clinic, clinician)
    report = outcome_report(clinic=clinic, now=NOW, minimum=1)
    ect = {p.week: p.mean_change for p in report.weekly["ect"]}
    # week 1: (12−20, 15−20, 9−18) → −22/3; week 2: (10−20, 14−20) → −8; week 3: −16.
    assert ect == {1: round(-22 / 3, 2), 2: -8.0, 3: -16.0}


def test_a_small_cell_is_suppressed_with_a_complementary_cell_and_the_total_kept(
    clinic: Clinic, clinician: User
) -> None:
    hand_cohort(clinic, clinician)
    report = outcome_report(clinic=clinic, now=NOW, minimum=2)
    therapies = {c.key: c for c in report.breakdown("therapy")}
    # rTMS counts one patient: hidden; ECT hidden too, or 5 − 4 would give rTMS's count away.
    assert therapies["rtms"].suppressed and therapies["rtms"].patients is None
    assert therapies["ect"].suppressed
    assert report.overall.patients == 5
    # Stage III counts one patient; stage II (4) goes with it.
    assert all(c.suppressed for c in report.breakdown("stage"))


def test_other_clinics_and_courses_outside_the_period_are_not_counted(
    clinic: Clinic, other_clinic: Clinic, clinician: User
) -> None:
    hand_cohort(clinic, clinician)
    add_course(
        other_clinic, "S-9", therapy="ect", scores=[20, 5], status="completed", stage="I", by=None
    )
    report = outcome_report(clinic=clinic, now=NOW, minimum=1, since=date(2026, 2, 1))
    assert report.overall.patients == 0
    assert outcome_report(clinic=other_clinic, now=NOW, minimum=1).overall.patients == 1


def test_the_report_reads_the_database_in_two_queries_whatever_the_cohort_size(
    clinic: Clinic, clinician: User
) -> None:
    hand_cohort(clinic, clinician)
    with CaptureQueriesContext(connection) as small:
        outcome_report(clinic=clinic, now=NOW, minimum=1)
    for n in range(6, 16):
        add_course(
            clinic,
            f"H-{n}",
            therapy="cbt",
            scores=[20, 10],
            status="completed",
            stage="I",
            by=clinician,
        )
    with CaptureQueriesContext(connection) as large:
        outcome_report(clinic=clinic, now=NOW, minimum=1)
    assert len(small.captured_queries) == len(large.captured_queries) == 2
