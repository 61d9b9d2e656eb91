"""The tasks a job can run, by name, as dotted paths (resolved when a job runs).

A task is a plain function ``task(payload, ctx) -> dict``: ``payload`` is the job's JSON
arguments, ``ctx`` a ``trdnav.jobs.context.JobContext`` giving ``ctx.progress(done, total,
note="")`` (raises ``JobCancelled`` once the job has been cancelled) and ``ctx.write(name, body,
count)`` for outputs; it returns the JSON result. Long work written as a function with a
progress callback runs unchanged: pass it ``ctx.progress``.

Names are paths rather than imports so that the queue does not import every app above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.module_loading import import_string

from trdnav.core.errors import UnknownCode

TASKS: dict[str, str] = {
    # Questionnaire reminders by e-mail; enqueued once a day by the worker (docs/deployment.md).
    "send_reminders": "trdnav.portal.tasks.send_due_reminders",
    # FHIR Bulk Data export of a clinic (docs/interop.md, "Bulk export").
    "fhir_export": "trdnav.interop.bulk.run_export_job",
    # Outcome analytics (docs/analytics.md): each course's stage, and a synthetic cohort.
    "refresh_analytics": "trdnav.analytics.tasks.refresh_analytics",
    "synth": "trdnav.analytics.tasks.synthesize_cohort",
    # Sleeps and records that it ran: the scale-out test's proof that a job runs exactly once.
    "selftest": "trdnav.jobs.selftest.record_run",
}

Task = Callable[[Mapping[str, Any], Any], dict[str, Any]]


def check_kind(kind: str) -> str:
    if kind not in TASKS:
        raise UnknownCode("kind", kind, list(TASKS))
    return kind


def task_for(kind: str) -> Task:
    task: Task = import_string(TASKS[check_kind(kind)])
    return task
