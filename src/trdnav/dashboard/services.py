"""What the dashboard lists, and in which order.

Each active patient gets the reasons they need attention (policies P-W1 to P-W3,
docs/clinical-policies.md), and rows are sorted by the most urgent reason:

1. a high-priority safety item (e.g. PHQ-9 item 9 ≥ 2, C-SSRS high risk),
2. any other positive safety item,
3. a safety item left unanswered (unknown is never treated as negative),
4. a worsening score,
5. measures overdue (or never recorded),

then by name. The whole list costs a fixed number of queries, however many patients there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from typing import Any

from django.conf import settings
from django.utils import timezone

from trdnav.assessments.queries import (
    SafetyFlag,
    last_measured_for,
    safety_flags_for,
    worsening_for,
)
from trdnav.core.instruments import get_instrument
from trdnav.patients.access import visible_patients
from trdnav.patients.models import Patient


class Urgency(IntEnum):
    """Lower sorts first."""

    SAFETY_HIGH = 1
    SAFETY_POSITIVE = 2
    SAFETY_UNKNOWN = 3
    WORSENING = 4
    OVERDUE = 5
    NONE = 9


@dataclass(frozen=True)
class Reason:
    urgency: Urgency
    text: str

    @property
    def is_safety(self) -> bool:
        return self.urgency <= Urgency.SAFETY_UNKNOWN

    @property
    def badge(self) -> str:
        """The badge style: red for safety, amber for worsening, plain for overdue."""
        if self.is_safety:
            return "danger"
        return "warn" if self.urgency == Urgency.WORSENING else ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class DashboardRow:
    patient: Patient
    reasons: tuple[Reason, ...] = field(default=())
    last_measured: date | None = None

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)

    @property
    def urgency(self) -> Urgency:
        return min((reason.urgency for reason in self.reasons), default=Urgency.NONE)


def _abbreviation(code: str) -> str:
    return get_instrument(code).abbreviation


def _safety_reason(flag: SafetyFlag) -> Reason:
    name, day = _abbreviation(flag.instrument), f"{flag.administered_on:%Y-%m-%d}"
    if flag.safety == "unknown":
        return Reason(Urgency.SAFETY_UNKNOWN, f"{name} safety item unanswered ({day})")
    if flag.high_priority:
        return Reason(Urgency.SAFETY_HIGH, f"{name} safety item positive, high priority ({day})")
    return Reason(Urgency.SAFETY_POSITIVE, f"{name} safety item positive ({day})")


def _overdue_reason(last: date | None, as_of: date) -> Reason | None:
    due_days: int = settings.TRDNAV_MEASURES_DUE_DAYS
    if last is None:
        return Reason(Urgency.OVERDUE, "no measures recorded")
    days = (as_of - last).days
    if days <= due_days:
        return None
    return Reason(Urgency.OVERDUE, f"measures overdue (last {last:%Y-%m-%d}, {days} days ago)")


def dashboard_rows(*, user: Any, as_of: date | None = None) -> list[DashboardRow]:
    """The user's active patients, most urgent first (then by name)."""
    as_of = as_of or timezone.localdate()
    patients = list(
        visible_patients(user).filter(active=True).order_by("family_name", "given_name", "pk")
    )
    ids = [patient.pk for patient in patients]
    flags, worse, last = safety_flags_for(ids), worsening_for(ids), last_measured_for(ids)
    rows = []
    for patient in patients:
        reasons = [_safety_reason(flag) for flag in flags.get(patient.pk, [])]
        reasons += [Reason(Urgency.WORSENING, w.explanation) for w in worse.get(patient.pk, [])]
        overdue = _overdue_reason(last.get(patient.pk), as_of)
        reasons += [overdue] if overdue is not None else []
        reasons.sort(key=lambda reason: reason.urgency)
        rows.append(DashboardRow(patient, tuple(reasons), last.get(patient.pk)))
    # A stable sort keeps the name order within each urgency.
    return sorted(rows, key=lambda row: row.urgency)
