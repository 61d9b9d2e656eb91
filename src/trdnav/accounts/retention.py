"""Bounded retention of log-in failure records (docs/access-control.md, "Retention").

Failed and locked log-ins are counted in the throttling tables, which may be pruned; the audit
trail records only lock-outs, so anonymous clients cannot grow it without limit.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from trdnav.accounts.models import FailedLogin


def prune_login_records(*, days: int) -> int:
    """Delete failure records older than ``days``; return how many rows went."""
    cutoff = timezone.now() - timedelta(days=days)
    removed, _ = FailedLogin.objects.filter(at__lt=cutoff).delete()
    return removed
