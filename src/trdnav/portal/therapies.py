"""Treatment pages for patients, from the therapy knowledge base's plain-language text.

Until the knowledge base is installed, the list is empty and every page says so.
"""

from __future__ import annotations

import importlib
from typing import Any


def _knowledge_module() -> Any:
    try:
        return importlib.import_module("trdnav.core.knowledge.therapies")
    except ModuleNotFoundError:
        return None


def patient_cards() -> list[dict[str, Any]]:
    """Every therapy's patient card (``therapy_card(..., audience="patient")``), by name."""
    module = _knowledge_module()
    if module is None:
        return []
    knowledge = module.load_therapies()
    cards = [
        module.therapy_card(therapy, audience="patient", citations=dict(knowledge.sources))
        for therapy in knowledge.therapies.values()
    ]
    return sorted(cards, key=lambda card: str(card["name"]).lower())


def patient_card(therapy_id: str) -> dict[str, Any] | None:
    return next((card for card in patient_cards() if card["id"] == therapy_id), None)
