"""Bounded retention of log-in records (docs/access-control.md, "Retention").

Failed and locked log-ins are counted in django-axes' tables, which ``trdnav prune-logins``
prunes; the audit trail records a failed log-in once per failure (at most the throttling limit
per username and per address in each lock window) and a lock once when it starts, so anonymous
clients cannot grow the append-only trail without bound.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def prune_login_records(*, days: int) -> int:
    """Delete log-in attempt records older than ``days``; return how many rows went."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = timezone.now() - timedelta(days=days)
    removed = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        count, _ = model.objects.filter(attempt_time__lt=cutoff).delete()
        removed += count
    return removed
