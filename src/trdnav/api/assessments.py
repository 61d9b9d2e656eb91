"""``/api/v1/patients/{id}/assessments``: record a completed instrument, list the stored ones."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from trdnav.accounts.permissions import Capability, require_capability
from trdnav.api.patients import ERRORS, MAX_PAGE
from trdnav.api.types import IsoDate
from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import IDEMPOTENCY_KEY_LENGTH, record_assessment
from trdnav.audit.services import actor_from_request
from trdnav.core.limits import MAX_CODE_LENGTH, MAX_OFFSET
from trdnav.patients.access import get_patient_for

router = Router(tags=["assessments"])
# No instrument has more than a few dozen answer keys; this only bounds hostile bodies.
MAX_ANSWER_KEYS = 100


class AssessmentIn(Schema):
    """``answers`` is the instrument's answers object: ``{"items": [...]}`` for item lists,
    ``{"score": n}`` for single ratings, ``{"q1": true, ...}`` for the C-SSRS screen (see
    ``trdnav instruments show CODE``). Send an ``idempotency_key`` to make retries safe."""

    model_config = ConfigDict(extra="forbid")

    instrument: str = Field(min_length=1, max_length=40)
    answers: dict[str, Any] = Field(max_length=MAX_ANSWER_KEYS)
    administered_on: IsoDate
    idempotency_key: str | None = Field(None, min_length=1, max_length=IDEMPOTENCY_KEY_LENGTH)


class AssessmentOut(Schema):
    id: int
    patient_id: int
    instrument: str
    administered_on: date
    recorded_at: datetime
    source: str
    valid: bool
    total: int | None
    severity: str
    safety: str | None
    safety_priority: str
    knowledge_version: str
    answers: dict[str, Any]
    result: dict[str, Any]


class AssessmentListOut(Schema):
    count: int
    items: list[AssessmentOut]


@router.post("/patients/{patient_id}/assessments", response={201: AssessmentOut, **ERRORS})
def create(request: HttpRequest, patient_id: int, payload: AssessmentIn) -> Status[Assessment]:
    """Score the answers and store the result. Wrong answers: 422 with ``answers.items[8]``-style
    field paths, and nothing stored. A repeated ``idempotency_key`` returns the stored record."""
    require_capability(request.user, Capability.RECORD_ASSESSMENTS)
    actor = actor_from_request(request, via="api")
    patient = get_patient_for(by=actor, pk=patient_id)
    assessment = record_assessment(
        patient=patient,
        instrument=payload.instrument,
        answers=payload.answers,
        administered_on=payload.administered_on,
        by=actor,
        source=Source.CLINICIAN,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, assessment)


@router.get("/patients/{patient_id}/assessments", response={200: AssessmentListOut, **ERRORS})
def list_assessments(
    request: HttpRequest,
    patient_id: int,
    instrument: str = Query("", max_length=MAX_CODE_LENGTH),  # type: ignore[type-arg]
    limit: int = Query(50, ge=1, le=MAX_PAGE),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=MAX_OFFSET),  # type: ignore[type-arg]
) -> dict[str, object]:
    """The patient's assessments, newest first; ``instrument`` filters by code."""
    actor = actor_from_request(request, via="api")
    patient = get_patient_for(by=actor, pk=patient_id, object_type="assessments")
    rows: QuerySet[Assessment] = patient.assessments.all()
    if instrument:
        rows = rows.filter(instrument=instrument)
    return {"count": rows.count(), "items": list(rows[offset : offset + limit])}
