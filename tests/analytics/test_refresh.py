"""The course's TRD stage at its start, refreshed from the history snapshots."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from tests.analytics.cohort import START, add_course
from trdnav.accounts.models import Clinic, User
from trdnav.analytics.models import CourseContext
from trdnav.analytics.refresh import refresh_course_stages
from trdnav.cli import app
from trdnav.history.models import HistorySnapshot

pytestmark = pytest.mark.django_db


def _snapshot(course_patient_id: int, as_of: date, stage: str) -> None:
    HistorySnapshot.objects.create(
        patient_id=course_patient_id,
        profile="default",
        as_of=as_of,
        knowledge_version="test",
        result={"staging": {"thase_rush": {"stage": stage}}},
        trigger=HistorySnapshot.Trigger.HISTORY_CHANGED,
    )


def test_the_stage_is_the_last_snapshot_on_or_before_the_course_start(
    clinic: Clinic, clinician: User
) -> None:
    course = add_course(clinic, "R-1", therapy="ect", scores=[20, 10], status="completed",
                        stage="", by=clinician)  # fmt: skip
    bare = add_course(clinic, "R-2", therapy="ect", scores=[20, 10], status="completed",
                      stage="II", by=clinician)  # fmt: skip
    _snapshot(course.patient_id, date(2025, 6, 1), "I")
    _snapshot(course.patient_id, START, "III")
    _snapshot(course.patient_id, date(2026, 6, 1), "IV")  # after the start: not used
    seen: list[tuple[int, int]] = []
    assert refresh_course_stages(clinic=clinic, progress=lambda d, t: seen.append((d, t))) == 2
    assert CourseContext.objects.get(course=course).trd_stage == "III"
    assert CourseContext.objects.get(course=bare).trd_stage == ""  # no snapshot: unknown
    assert seen == [(2, 2)]


def test_the_command_refreshes_and_names_an_unknown_clinic(clinic: Clinic) -> None:
    result = CliRunner().invoke(app, ["refresh-analytics", "--clinic", clinic.slug])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(app, ["refresh-analytics", "--clinic", "nowhere"])
    assert result.exit_code == 2 and "clinic" in result.stdout
