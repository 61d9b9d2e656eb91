"""Safety-review fixtures: answers that raise a safety item from each source."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient

CALM = [0, 1, 0, 1, 0, 1, 0, 0, 0]
DAY = date(2026, 11, 2)


def clinic_phq9(
    patient: Patient, items: Sequence[int | None], day: date = DAY, code: str = "phq9"
) -> Assessment:
    return record_assessment(
        patient=patient, instrument=code, answers={"items": list(items)}, administered_on=day,
        by=Actor(user=None), source="clinician",
    )  # fmt: skip


def now_field(moment: datetime | None = None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def review_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "actions": ["phone_call", "risk_assessment"],
        "note": "Called; C-SSRS screen negative for intent.",
        "done_at": now_field(),
        "mark_high_risk": "no",
    }
    data.update(changes)
    return data


@pytest.fixture
def as_clinician(clinician: User) -> Client:
    client = Client()
    client.force_login(clinician)
    return client


@pytest.fixture
def positive(patient: Patient) -> Assessment:
    return clinic_phq9(patient, [*CALM[:8], 2])
