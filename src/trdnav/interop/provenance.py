"""A Provenance for what the knowledge base computed: which results, from what, and with which
knowledge-base version (the content hash every stored result records)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trdnav.interop.base import (
    KNOWLEDGE_VERSION,
    PROVENANCE_AGENT,
    Resource,
    coding,
    concept,
)


@dataclass(frozen=True)
class ProvenanceRecord:
    targets: tuple[str, ...]  # "Observation/abc"
    sources: tuple[str, ...]  # what it was computed from: "QuestionnaireResponse/abc"
    recorded: datetime
    knowledge_version: str


def build_provenance(record: ProvenanceRecord, *, provenance_id: str) -> Resource:
    return {
        "resourceType": "Provenance",
        "id": provenance_id,
        "target": [{"reference": target} for target in record.targets],
        "recorded": record.recorded.isoformat(),
        "agent": [
            {
                "type": concept(coding(PROVENANCE_AGENT, "assembler", "Assembler")),
                "who": {
                    "identifier": {"system": KNOWLEDGE_VERSION, "value": record.knowledge_version},
                    "display": f"TRD Navigator knowledge base {record.knowledge_version}",
                },
            }
        ],
        "entity": [{"role": "source", "what": {"reference": s}} for s in record.sources],
    }


def read_provenance(resource: Mapping[str, Any]) -> ProvenanceRecord:
    agent: Mapping[str, Any] = (resource.get("agent") or [{}])[0]
    return ProvenanceRecord(
        targets=tuple(t["reference"] for t in resource.get("target", [])),
        sources=tuple(e["what"]["reference"] for e in resource.get("entity", [])),
        recorded=datetime.fromisoformat(resource["recorded"]),
        knowledge_version=str(agent.get("who", {}).get("identifier", {}).get("value", "")),
    )


def references(resources: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(f"{r['resourceType']}/{r['id']}" for r in resources)
