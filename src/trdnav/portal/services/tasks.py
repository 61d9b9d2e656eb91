"""What the care team must look at: safety notices first, then unacknowledged side-effect and
concern reports, then threads with unread messages from patients. Shown on the dashboard and
in the portal inbox; one query per kind, whatever the number of patients."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trdnav.accounts.permissions import Capability, has_capability, membership_of
from trdnav.portal.models import ConcernReport, SafetyNotice, Thread


@dataclass(frozen=True)
class Tasks:
    safety: list[SafetyNotice] = field(default_factory=list)
    reports: list[ConcernReport] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.safety) + len(self.reports) + len(self.threads)


def open_tasks(*, user: Any, capability: Capability = Capability.PORTAL_INBOX) -> Tasks:
    """The open tasks of the user's clinic; empty for a role without ``capability``."""
    membership = membership_of(user)
    if membership is None or not has_capability(user, capability):
        return Tasks()
    clinic = membership.clinic_id
    safety = SafetyNotice.objects.filter(patient__clinic_id=clinic, acknowledged_at__isnull=True)
    reports = ConcernReport.objects.filter(patient__clinic_id=clinic, acknowledged_at__isnull=True)
    threads = Thread.objects.filter(
        patient__clinic_id=clinic, messages__from_patient=True, messages__read_at__isnull=True
    ).distinct()
    return Tasks(
        safety=list(safety.select_related("patient")),
        reports=list(reports.select_related("patient")),
        threads=list(threads.select_related("patient")),
    )
