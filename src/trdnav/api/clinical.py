"""``/api/v1/patients/{id}/clinical-profile`` (facts, preferences, medications, treatment
history) and ``/api/v1/patients/{id}/options`` (the next-step options engine's result)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from trdnav.accounts.permissions import Capability, require_capability
from trdnav.api.patients import ERRORS
from trdnav.api.types import IsoDate
from trdnav.audit.services import Actor, actor_from_request
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import options_for, profile_of, update_clinical_profile
from trdnav.core.limits import MAX_CODE_LENGTH, MAX_LIST_ITEMS
from trdnav.patients.access import get_patient_for
from trdnav.patients.models import Patient

router = Router(tags=["clinical"])
Code = Annotated[str, Field(min_length=1, max_length=MAX_CODE_LENGTH)]


def get_patient(actor: Actor, patient_id: int, object_type: str) -> Patient:
    return get_patient_for(by=actor, pk=patient_id, object_type=object_type)


class ClinicalProfileIn(Schema):
    """Only the parts sent are changed. ``history`` follows docs/history-schema.md; send
    ``null`` to remove it."""

    model_config = ConfigDict(extra="forbid")

    # Lists cannot be null (send [] to clear one); unsent ones are left as they are.
    facts: list[Code] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    preferences: list[Code] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    medications: list[Code] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    history: dict[str, Any] | None = Field(None)


class ClinicalProfileOut(Schema):
    patient_id: int
    facts: list[str]
    preferences: list[str]
    medications: list[str]
    history: dict[str, Any] | None
    knowledge_version: str


def _out(profile: ClinicalProfile) -> dict[str, Any]:
    return {
        "patient_id": profile.patient_id,
        "facts": profile.facts,
        "preferences": profile.preferences,
        "medications": profile.medications,
        "history": profile.history,
        "knowledge_version": profile.knowledge_version,
    }


@router.get("/patients/{patient_id}/clinical-profile", response={200: ClinicalProfileOut, **ERRORS})
def read_profile(request: HttpRequest, patient_id: int) -> dict[str, Any]:
    require_capability(request.user, Capability.VIEW_PATIENTS)
    actor = actor_from_request(request, via="api")
    patient = get_patient(actor, patient_id, "clinical_profile")
    return _out(profile_of(patient))


@router.patch(
    "/patients/{patient_id}/clinical-profile", response={200: ClinicalProfileOut, **ERRORS}
)
def change_profile(
    request: HttpRequest, patient_id: int, payload: ClinicalProfileIn
) -> dict[str, Any]:
    """Refused input: 422 with paths such as ``facts[0]`` or ``history.treatments[2].start``."""
    require_capability(request.user, Capability.EDIT_HISTORY)
    actor = actor_from_request(request, via="api")
    patient = get_patient(actor, patient_id, "clinical_profile")
    data = payload.model_dump(exclude_unset=True)
    profile = update_clinical_profile(
        patient=patient, data=data, by=actor, as_of=timezone.localdate()
    )
    return _out(profile)


@router.get("/patients/{patient_id}/options", response={200: dict[str, Any], **ERRORS})
def options(request: HttpRequest, patient_id: int, as_of: IsoDate | None = None) -> dict[str, Any]:
    """Exactly what ``trdnav options`` prints for the patient's stored profile and age."""
    require_capability(request.user, Capability.VIEW_PATIENTS)
    actor = actor_from_request(request, via="api")
    patient = get_patient(actor, patient_id, "options")
    return options_for(patient=patient, as_of=as_of or timezone.localdate()).to_dict()
