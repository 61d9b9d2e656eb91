"""The analytics' long work runs in the job queue: the same functions as the commands, with
the job's progress, and bad payloads refused naming the field."""

from __future__ import annotations

import pytest

from tests.analytics.cohort import add_course
from trdnav.accounts.models import Clinic, User
from trdnav.analytics.models import CourseContext
from trdnav.jobs.models import Job, Status
from trdnav.jobs.runner import enqueue, run_next
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db


def _run(kind: str, payload: dict[str, object]) -> Job:
    job = enqueue(kind, payload)
    assert run_next("w")
    job.refresh_from_db()
    return job


def test_the_synth_job_writes_the_cohort_and_reports_progress() -> None:
    job = _run("synth", {"patients": 12, "seed": 3, "clinic": "syn-job", "end": "2026-11-01"})
    assert job.status == Status.DONE, job.error
    assert job.result["patients"] == 12 and job.result["clinic"] == "syn-job"
    assert Patient.objects.filter(clinic__slug="syn-job").count() == 12
    assert job.progress_done == job.progress_total == 12


def test_the_synth_job_takes_a_follow_up() -> None:
    plain = _run("synth", {"patients": 10, "seed": 3, "clinic": "syn-a", "end": "2026-11-01"})
    followed = _run(
        "synth",
        {"patients": 10, "seed": 3, "clinic": "syn-b", "end": "2026-11-01", "follow_up_weeks": 8},
    )
    assert followed.status == Status.DONE, followed.error
    assert followed.result["courses"] == plain.result["courses"]
    assert followed.result["assessments"] > plain.result["assessments"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"seed": 1}, "patients"),
        ({"patients": "12", "seed": 1}, "patients"),
        ({"patients": 3, "seed": True}, "seed"),
        ({"patients": 3, "seed": 1, "end": "yesterday"}, "end"),
        ({"patients": 3, "seed": 1, "follow_up_weeks": "4"}, "follow_up_weeks"),
        ({"patients": 3, "seed": 1, "follow_up_weeks": -4}, "follow_up_weeks"),
    ],
)
def test_a_bad_synth_payload_is_refused_naming_the_field_and_writes_nothing(
    payload: dict[str, object], field: str
) -> None:
    job = _run("synth", payload)
    assert job.status in (Status.QUEUED, Status.FAILED)  # retried later, then failed
    assert field in job.error
    assert not Patient.objects.exists()


def test_the_refresh_job_fills_each_course_stage(clinic: Clinic, clinician: User) -> None:
    add_course(clinic, "R-1", therapy="ect", scores=[20, 10], status="completed", stage="",
               by=clinician)  # fmt: skip
    job = _run("refresh_analytics", {"clinic": clinic.slug})
    assert job.status == Status.DONE, job.error
    assert job.result == {"clinic": clinic.slug, "courses_refreshed": 1}
    assert CourseContext.objects.count() == 1


def test_the_refresh_job_refuses_an_unknown_clinic() -> None:
    job = _run("refresh_analytics", {"clinic": "nowhere"})
    assert "clinic" in job.error and job.status in (Status.QUEUED, Status.FAILED)
    assert not CourseContext.objects.exists()
