"""A reason shown with an option: plain words, the rule behind it and the citation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trdnav.core.knowledge.therapies import Fact


class ReasonKind(StrEnum):
    """Why a reason is there: a knowledge-base rule effect, urgency, history, ranking or offer."""

    ABSOLUTE_CONTRAINDICATION = "absolute_contraindication"
    RELATIVE_CONTRAINDICATION = "relative_contraindication"
    NOT_APPROVED = "not_approved"
    AVOID = "avoid"
    CAUTION = "caution"
    FAVOUR = "favour"
    NOTE = "note"
    UNKNOWN = "unknown"
    INTERACTION = "interaction"
    URGENT = "urgent"
    ALREADY_FAILED = "already_failed"
    IMPLICATION = "implication"
    NOT_OFFERED = "not_offered"
    EVIDENCE = "evidence"
    PREFERENCE = "preference"
    HISTORY_FACTOR = "history_factor"


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    rule: str
    text: str
    fact: Fact | None = None

    def to_dict(self) -> dict[str, Any]:
        cited: dict[str, Any] = (
            self.fact.cite() if self.fact else {"source": None, "citation": None, "status": None}
        )
        return {"kind": self.kind.value, "rule": self.rule, "text": self.text, **cited}


def cited(kind: ReasonKind, rule: str, fact: Fact, text: str | None = None) -> Reason:
    return Reason(kind, rule, text or fact.text, fact)
