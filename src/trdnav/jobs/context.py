"""What a running task sees of its job: progress reporting (which is also where a cancel
request is noticed) and somewhere to write outputs."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from django.utils import timezone

from trdnav.jobs.models import Job, JobOutput

# Progress is written at most this often (seconds): a loop over 100,000 patients would
# otherwise write 100,000 rows of progress.
PROGRESS_EVERY = 0.5


# Someone else who wants every progress report (the command line's progress bar).
Listener = Callable[[int, int, str], None]


class JobCancelled(Exception):
    """The job was cancelled while it ran; the runner marks it cancelled."""


class JobContext:
    def __init__(self, job: Job, *, worker: str = "", listener: Listener | None = None) -> None:
        self.job_id = job.pk
        self.worker = worker
        self._listener = listener
        self.clinic_id: int | None = job.clinic_id
        self.requested_by_id: int | None = job.requested_by_id
        self._last_write = 0.0
        self._parts: Counter[str] = Counter()

    def progress(self, done: int, total: int, note: str = "") -> None:
        """Record how far the task is; raise ``JobCancelled`` if the job was cancelled."""
        if self._listener is not None:
            self._listener(done, total, note)
        now = time.monotonic()
        if now - self._last_write < PROGRESS_EVERY and done < total:
            return
        self._last_write = now
        Job.objects.filter(pk=self.job_id).update(
            progress_done=max(0, done),
            progress_total=max(0, total),
            progress_note=note[:120],
            heartbeat_at=timezone.now(),
        )
        if Job.objects.filter(pk=self.job_id, cancel_requested=True).exists():
            raise JobCancelled

    def write(self, name: str, body: str, count: int) -> JobOutput:
        """Store one output piece; pieces of the same name are numbered 1, 2, …"""
        self._parts[name] += 1
        return JobOutput.objects.create(
            job_id=self.job_id, name=name, part=self._parts[name], body=body, count=count
        )
