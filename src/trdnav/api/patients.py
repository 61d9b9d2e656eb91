"""``/api/v1/patients``: list, read, create and change patient records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from trdnav.accounts.permissions import Capability, require_capability
from trdnav.api.types import IsoDate, StrictBool
from trdnav.audit.models import Action
from trdnav.audit.services import actor_from_request, record_event
from trdnav.core.limits import MAX_OFFSET, MAX_QUERY_LENGTH
from trdnav.patients.access import get_patient_for, visible_patients
from trdnav.patients.models import Patient
from trdnav.patients.services import create_patient, update_patient

router = Router(tags=["patients"])

Sex = Literal["female", "male", "other", "unknown", ""]
MAX_PAGE = 200
# The default of fields that may be left out but never sent as null (only sent fields are read).
UNSENT: Any = None


class PatientIn(Schema):
    model_config = ConfigDict(extra="forbid")

    record_number: str = Field(min_length=1, max_length=40)
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    date_of_birth: IsoDate
    sex: Sex = ""
    gender_identity: str = Field("", max_length=60)
    email: str = Field("", max_length=254)
    active: StrictBool = True


class PatientPatchIn(Schema):
    """Only the fields sent are changed; none of them can be null (send "" to clear a text)."""

    model_config = ConfigDict(extra="forbid")

    record_number: str = Field(UNSENT, min_length=1, max_length=40)
    given_name: str = Field(UNSENT, min_length=1, max_length=100)
    family_name: str = Field(UNSENT, min_length=1, max_length=100)
    date_of_birth: IsoDate = Field(UNSENT)
    sex: Sex = Field(UNSENT)
    gender_identity: str = Field(UNSENT, max_length=60)
    email: str = Field(UNSENT, max_length=254)
    active: StrictBool = Field(UNSENT)


class PatientOut(Schema):
    id: int
    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    gender_identity: str
    email: str
    active: bool
    created_at: datetime
    updated_at: datetime


class PatientListOut(Schema):
    count: int
    items: list[PatientOut]


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = Field(default_factory=list)


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/patients", response={200: PatientListOut, **ERRORS})
def list_patients(
    request: HttpRequest,
    q: str = Query("", max_length=MAX_QUERY_LENGTH),  # type: ignore[type-arg]
    limit: int = Query(50, ge=1, le=MAX_PAGE),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=MAX_OFFSET),  # type: ignore[type-arg]
) -> dict[str, object]:
    """The clinic's patients by name; ``q`` searches names and record numbers."""
    require_capability(request.user, Capability.VIEW_PATIENTS)
    patients = visible_patients(request.user)
    if q:
        patients = patients.filter(
            Q(family_name__icontains=q) | Q(given_name__icontains=q) | Q(record_number__icontains=q)
        )
    actor = actor_from_request(request, via="api")
    items = list(patients[offset : offset + limit])
    record_event(
        by=actor,
        action=Action.VIEW,
        object_type="patient_search" if q else "patient_list",
        summary=f"offset {offset}, {len(items)} shown",
        shown=[p.pk for p in items],
    )
    return {"count": patients.count(), "items": items}


@router.post("/patients", response={201: PatientOut, **ERRORS})
def create(request: HttpRequest, payload: PatientIn) -> Status[Patient]:
    membership = require_capability(request.user, Capability.EDIT_PATIENTS)
    actor = actor_from_request(request, via="api")
    return Status(
        201, create_patient(clinic=membership.clinic, data=payload.model_dump(), by=actor)
    )


@router.get("/patients/{patient_id}", response={200: PatientOut, **ERRORS})
def read(request: HttpRequest, patient_id: int) -> Patient:
    return get_patient_for(by=actor_from_request(request, via="api"), pk=patient_id)


@router.patch("/patients/{patient_id}", response={200: PatientOut, **ERRORS})
def change(request: HttpRequest, patient_id: int, payload: PatientPatchIn) -> Patient:
    require_capability(request.user, Capability.EDIT_PATIENTS)
    actor = actor_from_request(request, via="api")
    patient = get_patient_for(by=actor, pk=patient_id)
    return update_patient(patient=patient, data=payload.model_dump(exclude_unset=True), by=actor)
