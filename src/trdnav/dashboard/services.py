"""What the dashboard lists, and in which order.

Attention ordering (positive or unknown suicidality items first, then worsening scores, then
overdue measures) arrives with assessments; until then, rows are active patients by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trdnav.patients.access import visible_patients
from trdnav.patients.models import Patient


@dataclass(frozen=True)
class DashboardRow:
    patient: Patient
    reasons: tuple[str, ...] = field(default=())

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)


def dashboard_rows(*, user: Any) -> list[DashboardRow]:
    patients = visible_patients(user).filter(active=True).order_by("family_name", "given_name")
    return [DashboardRow(patient=patient) for patient in patients]
