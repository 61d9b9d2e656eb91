"""Top-level warnings of a recommendation, as objects: kind, text, severity and citation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trdnav.core.knowledge.therapies import Fact, TherapyKnowledge
from trdnav.core.recommend.context import Context
from trdnav.core.recommend.history_summary import HistorySummary

MINOR_AGE_GROUPS = ("child", "adolescent")


class WarningKind(StrEnum):
    INTERACTION = "interaction"
    UNRECOGNISED_MEDICATION = "unrecognised_medication"
    AGE = "age"
    HISTORY = "history"
    TRD = "trd"


@dataclass(frozen=True)
class EngineWarning:
    kind: WarningKind
    text: str
    severity: str = "warning"
    fact: Fact | None = None

    def to_dict(self) -> dict[str, Any]:
        cited: dict[str, Any] = (
            self.fact.cite() if self.fact else {"source": None, "citation": None, "status": None}
        )
        return {"kind": self.kind.value, "text": self.text, "severity": self.severity, **cited}


def _age(ctx: Context, knowledge: TherapyKnowledge) -> list[EngineWarning]:
    if ctx.age_group not in MINOR_AGE_GROUPS:
        return []
    group = next(g for g in knowledge.age_groups if g.code == ctx.age_group)
    text = "Under 18: the trials behind these options were almost all in adults (P-O12)."
    return [EngineWarning(WarningKind.AGE, text, "warning", group.fact)]


def warnings_for(
    ctx: Context, history: HistorySummary, knowledge: TherapyKnowledge
) -> tuple[EngineWarning, ...]:
    found = [EngineWarning(WarningKind.HISTORY, note, "info") for note in history.notes]
    if ctx.unrecognised_medications:
        names = ", ".join(ctx.unrecognised_medications)
        found.append(
            EngineWarning(
                WarningKind.UNRECOGNISED_MEDICATION,
                f"Medications not recognised, so their interactions were not checked: {names}.",
            )
        )
    found += _age(ctx, knowledge)
    if history.trd_met is False:
        text = (
            "TRD is not established under the common definition "
            "(≥2 adequate failures in this episode)."
        )
        found.append(EngineWarning(WarningKind.TRD, text, "info"))
    return tuple(found)
