"""The options engine's output.

``Recommendation.to_dict()`` is exactly what ``trdnav options`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.knowledge.therapies import Therapy
from trdnav.core.recommend.assess import OptionStatus
from trdnav.core.recommend.context import Context
from trdnav.core.recommend.history_summary import HistorySummary
from trdnav.core.recommend.patient import PatientProfile
from trdnav.core.recommend.ranking import ScoreItem
from trdnav.core.recommend.reasons import Reason


@dataclass(frozen=True)
class OptionResult:
    therapy: Therapy
    status: OptionStatus
    urgent: bool
    rank: int | None
    score: float | None
    score_breakdown: tuple[ScoreItem, ...]
    reasons: tuple[Reason, ...]

    @property
    def id(self) -> str:
        return self.therapy.id

    def citations(self) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for reason in self.reasons:
            if reason.fact is not None:
                seen.setdefault(
                    reason.fact.source,
                    {"source": reason.fact.source, "citation": reason.fact.citation},
                )
        return list(seen.values())

    def to_dict(self) -> dict[str, Any]:
        t = self.therapy
        return {
            "id": t.id,
            "name": t.name,
            "category": t.category.value,
            "investigational": t.investigational,
            "status": self.status.value,
            "urgent": self.urgent,
            "rank": self.rank,
            "score": self.score,
            "score_breakdown": [i.to_dict() for i in self.score_breakdown],
            "reasons": [r.to_dict() for r in self.reasons],
            "citations": self.citations(),
        }


@dataclass(frozen=True)
class Recommendation:
    as_of: date
    knowledge_version: str
    patient: PatientProfile
    context: Context
    history: HistorySummary
    options: tuple[OptionResult, ...]
    urgent_conditions: tuple[Reason, ...]
    warnings: tuple[str, ...]
    policies: tuple[str, ...]

    def option(self, therapy_id: str) -> OptionResult:
        return next(o for o in self.options if o.id == therapy_id)

    def ranked(self) -> list[OptionResult]:
        return sorted((o for o in self.options if o.rank is not None), key=lambda o: o.rank or 0)

    def _patient_dict(self) -> dict[str, Any]:
        p, ctx = self.patient, self.context
        return {
            "age": p.age,
            "facts": sorted(p.facts),
            "derived_facts": [{"code": d.code, "why": d.why} for d in ctx.derived],
            "preferences": sorted(p.preferences),
            "medications": list(p.medications),
            "medication_classes": sorted(ctx.medication_classes),
            "unrecognised_medications": list(ctx.unrecognised_medications),
            "offered": None if p.offered is None else sorted(p.offered),
        }

    def to_dict(self) -> dict[str, Any]:
        h = self.history
        return {
            "as_of": self.as_of.isoformat(),
            "knowledge_version": self.knowledge_version,
            "trd_status": {
                "met": h.trd_met,
                "failed_antidepressants": h.failed_antidepressants,
                "assessed_by": h.source,
            },
            "stage": h.staging,
            "patient": self._patient_dict(),
            "history": h.to_dict(),
            "urgent_conditions": [r.to_dict() for r in self.urgent_conditions],
            "options": [o.to_dict() for o in self.options],
            "warnings": list(self.warnings),
            "policies": list(self.policies),
        }
