"""The portal's one contact with stored assessments (the assessments app, issue 5): which days
an instrument was completed, the patient's score history, and storing a patient's answers.

Until that app is installed nothing has been completed, and submitting a form raises
``NotAvailable`` (the page says the answers cannot be saved yet; nothing is stored).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from trdnav.audit.services import Actor
from trdnav.core.errors import NotAvailable
from trdnav.patients.models import Patient


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"trdnav.assessments.{name}")
    except ModuleNotFoundError:
        return None


def can_store() -> bool:
    return _module("services") is not None


@dataclass(frozen=True)
class ScorePoint:
    administered_on: date
    instrument: str
    total: int
    source: str


def _assessments(patient: Patient) -> Any:
    models = _module("models")
    if models is None:
        return None
    return models.Assessment.objects.filter(patient=patient)


def completed_dates(*, patient: Patient, instrument: str) -> list[date]:
    """Days with a stored result for ``instrument``, whoever entered it."""
    rows = _assessments(patient)
    if rows is None:
        return []
    return list(rows.filter(instrument=instrument).values_list("administered_on", flat=True))


def score_points(*, patient: Patient, since: date | None = None) -> list[ScorePoint]:
    """Every valid total, oldest first (one query)."""
    rows = _assessments(patient)
    if rows is None:
        return []
    rows = rows.filter(valid=True, total__isnull=False)
    if since is not None:
        rows = rows.filter(administered_on__gte=since)
    fields = ("administered_on", "instrument", "total", "source")
    return [
        ScorePoint(*values)
        for values in rows.order_by("administered_on", "pk").values_list(*fields)
    ]


def store_patient_answers(
    *, patient: Patient, instrument: str, answers: dict[str, Any], administered_on: date,
    by: Actor, idempotency_key: str,
) -> Any:  # fmt: skip
    """``record_assessment(..., source="patient")``; InvalidInput on wrong answers."""
    services = _module("services")
    if services is None:
        raise NotAvailable("questionnaires cannot be saved yet on this installation")
    return services.record_assessment(
        patient=patient, instrument=instrument, answers=answers,
        administered_on=administered_on, by=by, source="patient",
        idempotency_key=idempotency_key,
    )  # fmt: skip
