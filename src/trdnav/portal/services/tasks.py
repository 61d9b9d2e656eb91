"""What the care team must look at: open safety items first (the one safety state,
``trdnav.safety.state``: clinic-entered and portal answers and self-harm reports alike), then
unacknowledged side-effect and concern reports, then threads with unread messages from
patients. Shown on the dashboard and in the portal inbox; a fixed number of queries, whatever
the number of patients."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trdnav.accounts.permissions import Capability, has_capability, membership_of
from trdnav.portal.models import ConcernReport, Thread
from trdnav.safety.state import ClinicItem, open_items_in_clinic


@dataclass(frozen=True)
class Tasks:
    safety: list[ClinicItem] = field(default_factory=list)
    reports: list[ConcernReport] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)
    can_review: bool = False

    @property
    def count(self) -> int:
        return len(self.safety) + len(self.reports) + len(self.threads)


def open_tasks(
    *,
    user: Any,
    capability: Capability = Capability.PORTAL_INBOX,
    safety: list[ClinicItem] | None = None,
) -> Tasks:
    """The open tasks of the user's clinic; empty for a role without ``capability``.
    ``safety``: the open safety items when the page has computed them already (the
    dashboard, from the same state), else they are read here."""
    membership = membership_of(user)
    if membership is None or not has_capability(user, capability):
        return Tasks()
    clinic = membership.clinic_id
    reports = ConcernReport.objects.filter(patient__clinic_id=clinic, acknowledged_at__isnull=True)
    threads = Thread.objects.filter(
        patient__clinic_id=clinic, messages__from_patient=True, messages__read_at__isnull=True
    ).distinct()
    return Tasks(
        safety=open_items_in_clinic(clinic) if safety is None else safety,
        reports=list(reports.select_related("patient")),
        threads=list(threads.select_related("patient")),
        can_review=has_capability(user, Capability.REVIEW_SAFETY),
    )
