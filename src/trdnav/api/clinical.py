"""``/api/v1/patients/{id}/clinical-profile`` (facts present and absent, preferences,
medications, treatment history) and ``/api/v1/patients/{id}/options`` (the next-step options
engine's result).

Fact and medication entries are validated by the core (``parse_patient``), exactly as for the
profile page and ``trdnav options``, so a refused entry is named by the same path
(``facts[1].on``, ``medications[0].stopped_on``). The schemas below only document their shape.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import BaseModel, ConfigDict, WithJsonSchema, field_validator

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


_DATE = {"type": "string", "format": "date"}
FACT_SCHEMA = {
    "title": "Fact",
    "description": "A fact code present now, or an object: a dated event "
    '(`{"code": "myocardial_infarction", "on": "2026-10-10"}`) or a pregnancy with its '
    'trimester (`{"code": "pregnancy", "trimester": 2}`).',
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "on": _DATE,
                "trimester": {"type": "integer", "minimum": 1, "maximum": 3},
            },
            "required": ["code"],
            "additionalProperties": False,
        },
    ],
}
MEDICATION_SCHEMA = {
    "title": "Medication",
    "description": "A generic name, or an object with the date a medicine was stopped "
    "(it still counts inside its washout).",
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {"name": {"type": "string"}, "stopped_on": _DATE},
            "required": ["name"],
            "additionalProperties": False,
        },
    ],
}
# Checked by the core, not here: one validator, one set of field paths for every client.
FactEntry = Annotated[Any, WithJsonSchema(FACT_SCHEMA)]
MedicationEntry = Annotated[Any, WithJsonSchema(MEDICATION_SCHEMA)]


class ClinicalProfileIn(Schema):
    """Only the parts sent are changed. A fact in neither ``facts`` nor ``absent_facts`` is
    unknown (not checked). ``medications``: ``null`` = not recorded, ``[]`` = none.
    ``history`` follows docs/history-schema.md; send ``null`` to remove it. ``facts``,
    ``absent_facts`` and ``preferences`` are lists (send ``[]`` to clear them)."""

    model_config = ConfigDict(extra="forbid")

    facts: list[FactEntry] | None = Field(None, max_length=MAX_LIST_ITEMS)
    absent_facts: list[Code] | None = Field(
        None, max_length=MAX_LIST_ITEMS, description="Codes assessed and found absent."
    )
    preferences: list[Code] | None = Field(None, max_length=MAX_LIST_ITEMS)
    medications: list[MedicationEntry] | None = Field(
        None,
        max_length=MAX_LIST_ITEMS,
        description="null = not recorded (unknown); [] = reviewed, none taken.",
    )
    history: dict[str, Any] | None = Field(None)

    @field_validator("facts", "absent_facts", "preferences")
    @classmethod
    def _a_list_not_null(cls, value: list[Any] | None) -> list[Any]:
        """Runs only on values sent: ``null`` here is refused, not read as "clear"."""
        if value is None:
            raise ValueError("must be a list; send [] for none")
        return value


class ClinicalProfileOut(Schema):
    patient_id: int
    facts: list[FactEntry]
    absent_facts: list[str]
    preferences: list[str]
    medications: list[MedicationEntry] | None = Field(
        ..., description="null = not recorded (unknown); [] = reviewed, none taken."
    )
    history: dict[str, Any] | None
    knowledge_version: str


def _out(profile: ClinicalProfile) -> dict[str, Any]:
    return {
        "patient_id": profile.patient_id,
        "facts": profile.facts,
        "absent_facts": profile.absent_facts,
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
    """Refused input: 422 with paths such as ``facts[0]``, ``facts[1].on``,
    ``medications[0].stopped_on`` or ``history.treatments[2].start``; nothing is stored."""
    require_capability(request.user, Capability.EDIT_HISTORY)
    actor = actor_from_request(request, via="api")
    patient = get_patient(actor, patient_id, "clinical_profile")
    data = payload.model_dump(exclude_unset=True)
    profile = update_clinical_profile(
        patient=patient, data=data, by=actor, as_of=timezone.localdate()
    )
    return _out(profile)


# Plain pydantic models for the engine's output: they keep the keys they do not name.
class WarningOut(BaseModel):
    """A top-level warning: ``interaction`` (in the current medication list),
    ``unrecognised_medication``, ``age``, ``history`` or ``trd``."""

    model_config = ConfigDict(extra="allow")

    kind: str
    text: str
    severity: str | None
    source: str | None
    citation: str | None
    status: str | None


class ToCheckOut(BaseModel):
    """An unknown (a fact code, a group of facts, ``age``, ``treatment_history``,
    ``medications`` …) and the options and rules waiting on it."""

    model_config = ConfigDict(extra="allow")

    fact: str
    options: list[str]
    rules: list[str]


class UnknownOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    fact: str
    rule: str


class OptionOut(BaseModel):
    """One option; the other keys (reasons, citations, score …) are documented in
    docs/clinical-content.md."""

    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    status: str = Field(
        ..., description="contraindicated, already_failed, not_offered, caution or suitable"
    )
    rank: int | None
    urgent: bool
    unknowns: list[UnknownOut] = Field(
        ..., description="Safety rules that could not be decided, and the unknown behind each."
    )
    interactions: list[dict[str, Any]] = Field(
        ..., description="What the option would add to the current medication list."
    )


class OptionsOut(BaseModel):
    """The options engine's result (``Recommendation.to_dict()``)."""

    model_config = ConfigDict(extra="allow")

    as_of: str
    knowledge_version: str
    patient: dict[str, Any]
    options: list[OptionOut]
    warnings: list[WarningOut] = Field(..., description="Interactions first on the chart page.")
    to_check: list[ToCheckOut] = Field(..., description="Unknowns to check before deciding.")


@router.get("/patients/{patient_id}/options", response={200: OptionsOut, **ERRORS})
def options(request: HttpRequest, patient_id: int, as_of: IsoDate | None = None) -> dict[str, Any]:
    """Exactly what ``trdnav options`` prints for the patient's stored profile and date of
    birth: top-level ``warnings`` (objects), ``to_check``, and per option its ``unknowns`` and
    ``interactions``. A stored profile the core now refuses (or an ``as_of`` before the date of
    birth or a recorded event): 422 with the field paths."""
    require_capability(request.user, Capability.VIEW_PATIENTS)
    actor = actor_from_request(request, via="api")
    patient = get_patient(actor, patient_id, "options")
    return options_for(patient=patient, as_of=as_of or timezone.localdate()).to_dict()
