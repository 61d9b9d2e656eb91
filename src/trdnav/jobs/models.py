"""A job is one run of a named task (``trdnav.jobs.registry``), stored so that any worker on
any machine can claim it, and any app server can show its progress.

Outputs (export files, reports) are rows of ``JobOutput`` rather than files on one machine's
disk: the app server that answers the download may not be the one whose worker wrote them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)


class Job(models.Model):
    # A random id: status and download URLs are handed out and must not be guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # What went wrong, for the operator: the exception's type and message, never patient data.
    error = models.CharField(max_length=500, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_note = models.CharField(max_length=120, blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    # Enqueueing the same key twice gives the same job (a daily reminder run, say).
    unique_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    clinic = models.ForeignKey(
        "accounts.Clinic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_by = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    run_after = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at",)
        indexes = (models.Index(fields=("status", "created_at"), name="jobs_job_queue"),)

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))


class JobOutput(models.Model):
    """One piece of a job's output, e.g. one NDJSON file (or one part of a long one)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="outputs")
    name = models.CharField(max_length=120)
    part = models.PositiveIntegerField(default=1)
    count = models.PositiveIntegerField(default=0)  # lines / resources in ``body``
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "part")
        constraints = (
            models.UniqueConstraint(fields=("job", "name", "part"), name="jobs_output_once"),
        )

    def __str__(self) -> str:
        return f"{self.name} part {self.part}"
