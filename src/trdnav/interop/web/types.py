"""The resource types served under ``/fhir/R4/``: how each is read, searched and created.

The CapabilityStatement is generated from this table and from ``urls.ROUTES``, so it always
says what is routed. Adding a type is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trdnav.accounts.permissions import Capability
from trdnav.audit.services import Actor
from trdnav.interop.base import Resource
from trdnav.interop.records import reading, writing

Creator = Callable[[Actor, Mapping[str, Any], "str | None"], writing.Stored]
PATIENT_PARAMS = ("patient", "subject", "date", "code", "_id")


@dataclass(frozen=True)
class TypeSpec:
    name: str
    search_params: Sequence[str]
    reader: reading.Reader | None = None  # None: no patient data (see ``everything``)
    everything: Callable[[], list[Resource]] = list
    create: Creator | None = None
    create_capability: Capability | None = None
    conditional_create: bool = False  # If-None-Exist: identifier=system|value


def _response(actor: Actor, resource: Mapping[str, Any], key: str | None) -> writing.Stored:
    return writing.store_response(actor, resource, if_none_exist=key)


def _observation(actor: Actor, resource: Mapping[str, Any], key: str | None) -> writing.Stored:
    return writing.store_observation(actor, resource, if_none_exist=key)


def _statement(actor: Actor, resource: Mapping[str, Any], key: str | None) -> writing.Stored:
    if key:
        from trdnav.interop.web.responses import FhirError

        raise FhirError(400, "send the trial's identifier instead", "If-None-Exist")
    return writing.store_medication_statement(actor, resource)


_SPECS = (
    TypeSpec("Patient", ("_id", "identifier"), reading.patients),
    TypeSpec("Condition", PATIENT_PARAMS, reading.conditions),
    TypeSpec(
        "Observation", PATIENT_PARAMS, reading.observations,
        create=_observation, create_capability=Capability.RECORD_ASSESSMENTS,
        conditional_create=True,
    ),
    TypeSpec(
        "QuestionnaireResponse", ("patient", "subject", "date", "questionnaire", "_id"),
        reading.responses, create=_response, create_capability=Capability.RECORD_ASSESSMENTS,
        conditional_create=True,
    ),
    TypeSpec(
        "MedicationStatement", PATIENT_PARAMS, reading.medication_statements,
        create=_statement, create_capability=Capability.EDIT_HISTORY,
    ),
    TypeSpec("Procedure", PATIENT_PARAMS, reading.procedures),
    TypeSpec("Questionnaire", ("url", "_id"), None, everything=reading.questionnaires),
)  # fmt: skip
TYPES: dict[str, TypeSpec] = {spec.name: spec for spec in _SPECS}
