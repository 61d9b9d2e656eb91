"""The job queue: enqueue, claim once, run to done / failed / cancelled, retry, recover a dead
worker's job, show progress; the worker's daily reminder job and clean-up."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from trdnav.core.errors import InvalidInput
from trdnav.jobs.models import Job, JobOutput, Status
from trdnav.jobs.registry import TASKS
from trdnav.jobs.runner import cancel, claim, claim_job, enqueue, requeue_stale, run, run_next
from trdnav.jobs.worker import Worker, enqueue_daily_reminders, prune_finished, start_in_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("boom", "cancelled_midway", "counts_to_ten"):
        monkeypatch.setitem(TASKS, name, f"tests.jobs.tasks.{name}")


def test_an_unknown_task_is_refused_naming_the_kind_and_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as caught:
        enqueue("no_such_task")
    assert caught.value.errors[0].field == "kind"
    assert "selftest" in caught.value.errors[0].message
    assert not Job.objects.exists()


def test_the_same_unique_key_enqueues_one_job() -> None:
    first = enqueue("selftest", unique_key="daily:2026-11-30")
    second = enqueue("selftest", unique_key="daily:2026-11-30")
    assert first.pk == second.pk and Job.objects.count() == 1


def test_a_job_is_claimed_once_and_runs_to_done_with_its_output() -> None:
    job = enqueue("selftest", {"sleep": 0})
    taken = claim("w1")
    assert taken is not None and taken.pk == job.pk
    assert (taken.status, taken.attempts, taken.claimed_by) == (Status.RUNNING, 1, "w1")
    assert claim("w2") is None  # nothing else is queued
    run(taken, worker="w1")
    job.refresh_from_db()
    assert job.status == Status.DONE and job.result == {"slept": 0.0}
    assert list(JobOutput.objects.filter(job=job).values_list("name", "body")) == [("ran", "w1")]
    assert (job.progress_done, job.progress_total, job.percent) == (1, 1, 100)


def test_jobs_run_oldest_first() -> None:
    first, second = enqueue("selftest", {"sleep": 0}), enqueue("selftest", {"sleep": 0})
    Job.objects.filter(pk=second.pk).update(created_at=timezone.now() - timedelta(hours=1))
    taken = claim("w")
    assert taken is not None and taken.pk == second.pk and first.pk != second.pk


def test_a_failing_job_is_retried_later_then_failed_and_its_partial_output_is_gone(
    test_tasks: None,
) -> None:
    job = enqueue("boom")
    Job.objects.filter(pk=job.pk).update(max_attempts=2)
    assert run_next("w")
    job.refresh_from_db()
    assert job.status == Status.QUEUED and job.run_after is not None
    assert job.error == "RuntimeError: the task broke"
    assert claim("w") is None, "a retry waits for its delay"
    Job.objects.filter(pk=job.pk).update(run_after=None)
    assert run_next("w")
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.FAILED, 2)
    assert job.finished_at is not None
    assert JobOutput.objects.filter(job=job).count() == 1  # the last attempt's only


def test_cancelling_a_queued_job_stops_it_before_it_runs() -> None:
    job = cancel(enqueue("selftest"))
    assert job.status == Status.CANCELLED
    assert run_next("w") is False


def test_a_running_job_stops_at_its_next_progress_report_and_keeps_no_output(
    test_tasks: None,
) -> None:
    job = enqueue("cancelled_midway")
    assert run_next("w")
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and job.result == {}
    assert not JobOutput.objects.filter(job=job).exists()


def test_cancelling_a_finished_job_deletes_its_outputs() -> None:
    job = enqueue("selftest", {"sleep": 0})
    run_next("w")
    job = cancel(job)
    assert job.status == Status.DONE and job.cancel_requested
    assert not JobOutput.objects.filter(job=job).exists()


def test_progress_goes_to_a_listener_every_time_and_to_the_row_at_the_end(
    test_tasks: None,
) -> None:
    seen: list[tuple[int, int, str]] = []
    job = claim_job(enqueue("counts_to_ten").pk, "cli")
    assert job is not None and claim_job(job.pk, "other") is None
    run(job, worker="cli", on_progress=lambda d, t, n: seen.append((d, t, n)))
    job.refresh_from_db()
    assert seen == [(d, 10, "steps") for d in range(1, 11)]
    assert (job.progress_done, job.progress_total, job.progress_note) == (10, 10, "steps")


def test_a_dead_workers_job_is_queued_again_then_failed_when_out_of_attempts() -> None:
    job = enqueue("selftest")
    claim("dead")
    later = timezone.now() + timedelta(hours=1)
    assert requeue_stale(now=later) == 1
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    Job.objects.filter(pk=job.pk).update(status=Status.RUNNING, attempts=3)
    assert requeue_stale(now=later) == 1
    job.refresh_from_db()
    assert job.status == Status.FAILED and "stopped" in job.error


def test_a_burst_worker_runs_everything_queued_and_stops() -> None:
    for _ in range(3):
        enqueue("selftest", {"sleep": 0})
    with override_settings(TRDNAV_REMINDERS_HOUR=None):
        assert Worker(name="w").run(burst=True) == 3
    assert set(Job.objects.values_list("status", flat=True)) == {Status.DONE}


@override_settings(TRDNAV_REMINDERS_HOUR=7, TIME_ZONE="UTC")
def test_the_daily_reminder_job_is_enqueued_once_a_day_after_its_hour() -> None:
    assert enqueue_daily_reminders(datetime(2026, 11, 30, 6, 59, tzinfo=UTC)) is None
    morning = enqueue_daily_reminders(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))
    again = enqueue_daily_reminders(datetime(2026, 11, 30, 18, 0, tzinfo=UTC))
    assert morning is not None and again is not None and morning.pk == again.pk
    assert morning.kind == "send_reminders" and morning.payload == {"as_of": "2026-11-30"}
    tomorrow = enqueue_daily_reminders(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    assert tomorrow is not None and tomorrow.pk != morning.pk


@override_settings(TRDNAV_REMINDERS_HOUR=None)
def test_no_reminder_job_when_reminders_are_off() -> None:
    assert enqueue_daily_reminders(timezone.now()) is None


@override_settings(TRDNAV_JOB_KEEP_HOURS=24)
def test_finished_jobs_and_their_outputs_are_deleted_after_the_keep_time() -> None:
    old, fresh, queued = (enqueue("selftest", {"sleep": 0}) for _ in range(3))
    for job in (old, fresh):
        run(claim_job(job.pk, "w"), worker="w")  # type: ignore[arg-type]
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    prune_finished(timezone.now())
    assert set(Job.objects.values_list("pk", flat=True)) == {fresh.pk, queued.pk}
    assert JobOutput.objects.filter(job_id=old.pk).count() == 0


def describe(job: Any) -> str:
    return str(job)


def test_a_job_reads_as_its_kind_and_status() -> None:
    job = enqueue("selftest")
    assert describe(job).startswith("selftest ") and describe(job).endswith("(queued)")
    assert job.percent is None


@pytest.mark.django_db(transaction=True)
def test_the_demo_worker_runs_jobs_in_a_thread_of_the_server_process() -> None:
    job = enqueue("selftest", {"sleep": 0})
    with override_settings(TRDNAV_REMINDERS_HOUR=None):
        worker = start_in_thread(poll_seconds=0.05)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.status == Status.DONE:
                    break
                time.sleep(0.05)
        finally:
            worker.stop.set()
    assert job.status == Status.DONE and job.claimed_by.endswith(":demo")
