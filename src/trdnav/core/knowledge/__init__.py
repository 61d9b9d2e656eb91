"""The clinical knowledge base: reviewed data files with provenance, and their loader."""

from trdnav.core.knowledge.loader import (
    Provenance,
    Status,
    data_dir,
    knowledge_version,
    load_document,
)
from trdnav.core.knowledge.therapies import TherapyKnowledge, load_therapies, therapy_card

__all__ = [
    "Provenance",
    "Status",
    "TherapyKnowledge",
    "data_dir",
    "knowledge_version",
    "load_document",
    "load_therapies",
    "therapy_card",
]
