"""A completed QuestionnaireResponse in, the scored Observation out (nothing is stored here).

``score_response`` checks the response against its Questionnaire, scores it with the core and
returns the score Observation (safety item included, even when the total is incomplete) with a
Provenance naming the knowledge-base version; any bad answer gives an OperationOutcome whose
``expression`` names the item, and no Observation at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trdnav.core.errors import FieldError
from trdnav.core.instruments.definition import Definition, InputKind
from trdnav.core.instruments.registry import get_instrument, score_instrument
from trdnav.core.knowledge import knowledge_version
from trdnav.interop.base import Resource, fhir_id, operation_outcome
from trdnav.interop.observation import ScoreRecord, build_score_observation
from trdnav.interop.provenance import ProvenanceRecord, build_provenance
from trdnav.interop.response import read_response

_ITEM_PATH = re.compile(r"^items\[(\d+)\]$")


@dataclass(frozen=True)
class Scored:
    observation: Resource
    provenance: Resource
    record: ScoreRecord

    def resources(self) -> list[Resource]:
        return [self.observation, self.provenance]


def score_response(response: Mapping[str, Any], *, recorded: datetime) -> Scored | Resource:
    """The Observation and Provenance of a response, or an OperationOutcome naming each bad
    item. ``recorded`` is passed in (the interop layer reads no clock)."""
    if response.get("resourceType") != "QuestionnaireResponse":
        return operation_outcome([FieldError("resourceType", "expected QuestionnaireResponse")])
    read = read_response(response)
    if isinstance(read, list):
        return operation_outcome(read)
    result = score_instrument(read.instrument, read.answers)
    if result.rejected:
        definition = get_instrument(read.instrument).definition
        return operation_outcome([on_item_path(definition, e) for e in result.errors])
    response_id = str(response.get("id") or "") or None
    record = ScoreRecord.from_result(
        result,
        read.answers,
        patient_id=read.patient_id,
        effective=read.authored,
        response_id=response_id,
    )
    observation_id = fhir_id(response_id or read.instrument, "score")
    observation = build_score_observation(record, observation_id=observation_id)
    sources = (f"QuestionnaireResponse/{response_id}",) if response_id else ()
    provenance = build_provenance(
        ProvenanceRecord(
            targets=(f"Observation/{observation_id}",),
            sources=sources,
            recorded=recorded,
            knowledge_version=knowledge_version(),
        ),
        provenance_id=fhir_id(observation_id, "provenance"),
    )
    return Scored(observation, provenance, record)


def on_item_path(definition: Definition, error: FieldError) -> FieldError:
    """The core's field path (``items[8]``) as the response's item (``item[linkId=item9]``)."""
    match = _ITEM_PATH.match(error.field)
    if match and definition.input_kind is InputKind.ITEMS:
        key = definition.items[int(match[1])].key
        return FieldError(f"item[linkId={key}].answer", error.message)
    keys = {item.key for item in (*definition.items, *definition.extra_items)} | {"version"}
    if error.field in keys:
        return FieldError(f"item[linkId={error.field}].answer", error.message)
    return error
