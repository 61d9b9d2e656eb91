"""Enqueue, claim and run jobs (docs/adr/0004-job-runner.md).

Claiming is one short transaction: the oldest queued job is selected ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL, so two workers never take the same job and never wait on each other;
on SQLite every write transaction holds the database's single write lock (IMMEDIATE mode,
``trdnav.site.config``), which serialises claims just as well. The task then runs outside any
transaction, reporting progress in its own short writes, so the job's progress is visible while
it runs and a crash leaves it ``running`` with a stale heartbeat, which ``requeue_stale`` puts
back in the queue (until ``max_attempts``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from trdnav.jobs.context import JobCancelled, JobContext, Listener
from trdnav.jobs.models import FINISHED, Job, Status
from trdnav.jobs.registry import check_kind, task_for

log = logging.getLogger(__name__)

# A running job whose heartbeat is older than this was left by a worker that died.
STALE_AFTER = timedelta(minutes=10)
RETRY_DELAY = timedelta(seconds=30)


def enqueue(
    kind: str,
    payload: Mapping[str, Any] | None = None,
    *,
    clinic: Any = None,
    by: Any = None,
    unique_key: str | None = None,
) -> Job:
    """A new queued job; with ``unique_key``, the existing job of that key if there is one."""
    fields = {
        "kind": check_kind(kind),
        "payload": dict(payload or {}),
        "clinic": clinic,
        "requested_by": by,
    }
    if unique_key is None:
        return Job.objects.create(**fields)
    found = Job.objects.filter(unique_key=unique_key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Job.objects.create(unique_key=unique_key, **fields)
    except IntegrityError:  # another worker enqueued it a moment ago
        return Job.objects.get(unique_key=unique_key)


def _ready(now: datetime) -> Any:
    return Job.objects.filter(status=Status.QUEUED).filter(
        Q(run_after__isnull=True) | Q(run_after__lte=now)
    )


def _queue(now: datetime) -> Any:
    ready = _ready(now)
    if connection.features.has_select_for_update_skip_locked:
        ready = ready.select_for_update(skip_locked=True)
    return ready.order_by("created_at")


def claim(worker: str, *, now: datetime | None = None) -> Job | None:
    """Take the oldest ready job for ``worker``; None when there is none."""
    now = now or timezone.now()
    # Look before locking: on SQLite the claim's transaction takes the one write lock, which an
    # idle worker polling every second should not take from the web requests.
    if not _ready(now).exists():
        return None
    with transaction.atomic():
        job: Job | None = _queue(now).first()
        if job is None:
            return None
        job.status = Status.RUNNING
        job.attempts += 1
        job.claimed_by = worker[:120]
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["status", "attempts", "claimed_by", "started_at", "heartbeat_at"])
        return job


def claim_job(job_id: Any, worker: str) -> Job | None:
    """Take this queued job (``trdnav jobs run``), or None if a worker got it first."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, attempts=F("attempts") + 1, claimed_by=worker[:120],
        started_at=now, heartbeat_at=now,
    )  # fmt: skip
    return Job.objects.get(pk=job_id) if taken else None


def requeue_stale(*, now: datetime | None = None, stale_after: timedelta = STALE_AFTER) -> int:
    """Put jobs of dead workers back in the queue, or fail them when out of attempts."""
    now = now or timezone.now()
    stale = Job.objects.filter(status=Status.RUNNING, heartbeat_at__lt=now - stale_after)
    count = 0
    for job in stale:
        out_of_attempts = job.attempts >= job.max_attempts
        count += Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            status=Status.FAILED if out_of_attempts else Status.QUEUED,
            error="the worker running it stopped" if out_of_attempts else job.error,
            finished_at=now if out_of_attempts else None,
        )
    return count


def _finish(job: Job, status: Status, **fields: Any) -> None:
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def _failed(job: Job, exc: Exception) -> None:
    # The type and message of the exception; messages of this code base name fields, not data.
    error = f"{type(exc).__name__}: {exc}"[:500]
    if job.attempts < job.max_attempts:
        Job.objects.filter(pk=job.pk).update(
            status=Status.QUEUED, error=error, run_after=timezone.now() + RETRY_DELAY
        )
    else:
        _finish(job, Status.FAILED, error=error)


def run(job: Job, *, worker: str = "", on_progress: Listener | None = None) -> None:
    """Run a claimed job to its end: done, failed (perhaps queued again) or cancelled."""
    job.outputs.all().delete()  # a retry starts from nothing
    try:
        result = task_for(job.kind)(
            job.payload, JobContext(job, worker=worker, listener=on_progress)
        )
    except JobCancelled:
        job.outputs.all().delete()
        _finish(job, Status.CANCELLED)
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _failed(job, exc)
    else:
        _finish(job, Status.DONE, result=result or {})


def run_next(worker: str) -> bool:
    """Claim and run one job; False when the queue was empty."""
    job = claim(worker)
    if job is None:
        return False
    run(job, worker=worker)
    return True


def cancel(job: Job) -> Job:
    """A queued job is cancelled at once; a running one at its next progress report; a
    finished one keeps its status (its outputs are deleted: nobody will fetch them now)."""
    Job.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.CANCELLED, finished_at=timezone.now()
    )
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    job.refresh_from_db()
    if job.status in FINISHED:
        job.outputs.all().delete()
    return job
