"""Measurement rules read from the knowledge base (early improvement; per-instrument outcome rules
live in each instrument's file)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from trdnav.core.knowledge import Status, fields, load_document
from trdnav.core.knowledge.loader import parse_provenance

EARLY_IMPROVEMENT_FILE = "measurement/early_improvement.toml"


@dataclass(frozen=True)
class EarlyImprovementRule:
    """≥20% reduction within the first 2 weeks (evidence_notes §9c)."""

    min_pct: int
    within_days: int
    validated_on: tuple[str, ...]
    status: Status
    notes: tuple[str, ...]


@cache
def early_improvement_rule() -> EarlyImprovementRule:
    document = load_document(EARLY_IMPROVEMENT_FILE)
    where = f"{EARLY_IMPROVEMENT_FILE} [early_improvement]"
    spec = fields.table(document, "early_improvement", where)
    return EarlyImprovementRule(
        min_pct=fields.integer(spec, "min_pct", where),
        within_days=fields.integer(spec, "within_days", where),
        validated_on=fields.texts(spec, "validated_on", where),
        status=parse_provenance(document["provenance"], EARLY_IMPROVEMENT_FILE).status,
        notes=fields.texts(spec, "notes", where),
    )
