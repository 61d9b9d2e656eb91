"""The options engine's output.

``Recommendation.to_dict()`` is exactly what ``trdnav options`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.knowledge.therapies import Therapy
from trdnav.core.medications import InteractionFinding
from trdnav.core.recommend.assess import OptionStatus, Unknown
from trdnav.core.recommend.context import Context
from trdnav.core.recommend.history_summary import HistorySummary
from trdnav.core.recommend.notices import EngineWarning
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
    unknowns: tuple[Unknown, ...] = ()
    interactions: tuple[InteractionFinding, ...] = ()

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
            "unknowns": [{"fact": u.fact, "rule": u.rule} for u in self.unknowns],
            # What this option would add to the current medication list.
            "interactions": [f.as_dict() for f in self.interactions],
        }


@dataclass(frozen=True)
class ToCheck:
    """An unknown fact to check, and the options and rules waiting on it."""

    fact: str
    options: tuple[str, ...]
    rules: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "options": list(self.options), "rules": list(self.rules)}


def _facts(patient: PatientProfile) -> list[Any]:
    """Present facts: a code, or an object where the entry has a date or a trimester."""
    if not patient.fact_entries:
        return sorted(patient.facts)
    entries = sorted(patient.fact_entries, key=lambda e: (e.code, str(e.on), e.trimester or 0))
    return [e.to_json() for e in entries]


@dataclass(frozen=True)
class Recommendation:
    as_of: date
    knowledge_version: str
    patient: PatientProfile
    context: Context
    history: HistorySummary
    options: tuple[OptionResult, ...]
    urgent_conditions: tuple[Reason, ...]
    warnings: tuple[EngineWarning, ...]
    policies: tuple[str, ...]
    to_check: tuple[ToCheck, ...] = ()

    def option(self, therapy_id: str) -> OptionResult:
        return next(o for o in self.options if o.id == therapy_id)

    def ranked(self) -> list[OptionResult]:
        return sorted((o for o in self.options if o.rank is not None), key=lambda o: o.rank or 0)

    def _patient_dict(self) -> dict[str, Any]:
        p, ctx = self.patient, self.context
        return {
            "age": ctx.age,
            "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None,
            "age_group": ctx.age_group,
            "facts": _facts(p),
            "absent_facts": sorted(p.absent_facts),
            "derived_facts": [{"code": d.code, "why": d.why} for d in ctx.derived],
            "preferences": sorted(p.preferences),
            "medications": [m.to_json() for m in p.medication_entries]
            if p.medications_recorded
            else None,
            "medications_recorded": p.medications_recorded,
            "medication_classes": sorted(ctx.medication_classes),
            "active_medications": list(ctx.review.active) if ctx.review else None,
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
            "warnings": [w.to_dict() for w in self.warnings],
            "to_check": [c.to_dict() for c in self.to_check],
            "policies": list(self.policies),
        }
