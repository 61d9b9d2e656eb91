"""The portal's one contact with stored assessments (``trdnav.assessments``): which days an
instrument was completed, the patient's score history, and storing a patient's answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.queries import latest_safety_for
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient


@dataclass(frozen=True)
class ScorePoint:
    administered_on: date
    instrument: str
    total: int
    source: str


def completed_dates(*, patient: Patient, instrument: str) -> list[date]:
    """Days with a stored result for ``instrument``, whoever entered it."""
    rows = Assessment.objects.filter(patient=patient, instrument=instrument)
    return list(rows.values_list("administered_on", flat=True))


def score_points(*, patient: Patient, since: date | None = None) -> list[ScorePoint]:
    """Every valid total, oldest first (one query)."""
    rows = Assessment.objects.filter(patient=patient, valid=True, total__isnull=False)
    if since is not None:
        rows = rows.filter(administered_on__gte=since)
    fields = ("administered_on", "instrument", "total", "source")
    ordered = rows.order_by("administered_on", "pk").values_list(*fields)
    return [ScorePoint(*values) for values in ordered]


def latest_safety(*, patient: Patient, instruments: Iterable[str]) -> dict[str, str]:
    """Per instrument, what the safety item of its most recent result said (whoever entered
    it, complete or not; P-P9). Instruments without a safety item are left out."""
    latest = latest_safety_for([patient.pk], instruments).get(patient.pk, {})
    return {code: answer.safety.value for code, answer in latest.items()}


def store_patient_answers(
    *, patient: Patient, instrument: str, answers: dict[str, Any], administered_on: date,
    by: Actor, idempotency_key: str,
) -> Assessment:  # fmt: skip
    """``record_assessment(..., source="patient")``; InvalidInput on wrong answers."""
    return record_assessment(
        patient=patient, instrument=instrument, answers=answers,
        administered_on=administered_on, by=by, source=Source.PATIENT,
        idempotency_key=idempotency_key,
    )  # fmt: skip
