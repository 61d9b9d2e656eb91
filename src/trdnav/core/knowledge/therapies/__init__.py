"""The therapy knowledge base: schema, loader and cards.

Facts come from evidence_notes; see docs/clinical-content.md.
"""

from trdnav.core.knowledge.therapies.cards import therapy_card
from trdnav.core.knowledge.therapies.load import TherapyKnowledge, load_therapies
from trdnav.core.knowledge.therapies.schema import (
    Category,
    Condition,
    EvidenceTier,
    Fact,
    Figure,
    Gap,
    HistoryMatch,
    Onset,
    PatientText,
    Protocol,
    Rule,
    RuleEffect,
    SideEffect,
    Therapy,
    TimeBurden,
    Traits,
)

__all__ = [
    "Category",
    "Condition",
    "EvidenceTier",
    "Fact",
    "Figure",
    "Gap",
    "HistoryMatch",
    "Onset",
    "PatientText",
    "Protocol",
    "Rule",
    "RuleEffect",
    "SideEffect",
    "Therapy",
    "TherapyKnowledge",
    "TimeBurden",
    "Traits",
    "load_therapies",
    "therapy_card",
]
