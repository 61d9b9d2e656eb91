"""A depressive episode of the treatment history as a Condition, and back.

``code`` is text only ("Depressive episode"): the research gives ICD-10-CM F32.0–F32.9 and
F33.0–F33.9 only as a range from a value set, with no per-code meaning verified, and no code is
emitted until one is (policy P-I1). Onset and abatement are the episode's start and end; an
episode without an end is ``active``, one with an end ``resolved``. The episode's severity
category, CGI-S and psychotic features (the fields the staging models read) travel in the
``episode`` extension, with the episode's own id as an ``identifier``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.interop.base import (
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    EPISODE_EXTENSION,
    EPISODE_ID,
    Resource,
    coding,
    concept,
    extension_fields,
    fhir_id,
    identifier_value,
    read_extension_fields,
    reference,
)

EPISODE_TEXT = "Depressive episode"
_DETAILS = ("severity", "cgi_s", "psychotic_features")


def episode_resource_id(patient_id: str, episode_id: str) -> str:
    return fhir_id(patient_id, "episode", episode_id)


def build_condition(episode: Mapping[str, Any], *, patient_id: str) -> Resource:
    end = episode.get("end")
    status = "active" if end is None else "resolved"
    condition: Resource = {
        "resourceType": "Condition",
        "id": episode_resource_id(patient_id, str(episode["id"])),
        "identifier": [{"system": EPISODE_ID, "value": str(episode["id"])}],
        "clinicalStatus": concept(coding(CONDITION_CLINICAL, status)),
        "verificationStatus": concept(coding(CONDITION_VERIFICATION, "confirmed")),
        "category": [concept(coding(CONDITION_CATEGORY, "problem-list-item"))],
        "code": {"text": EPISODE_TEXT},
        "subject": reference("Patient", patient_id),
        "onsetDateTime": str(episode["start"]),
    }
    if end is not None:
        condition["abatementDateTime"] = str(end)
    details = {key: episode.get(key) for key in _DETAILS}
    if any(value is not None for value in details.values()):
        condition["extension"] = [extension_fields(EPISODE_EXTENSION, details)]
    return condition


def read_condition(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The episode object of the history document (docs/history-schema.md)."""
    episode: dict[str, Any] = {
        "id": identifier_value(resource, EPISODE_ID),
        "start": resource.get("onsetDateTime"),
        "end": resource.get("abatementDateTime"),
    }
    episode.update(read_extension_fields(resource, EPISODE_EXTENSION))
    return episode
