"""Treatment pages for patients, from the therapy knowledge base's plain-language text
(``therapy_card(..., audience="patient")``): how it works, how well (each figure with its
source), important safety information, what a session is like, how many, side effects,
questions to ask. The patient card holds verified statements only: unverified figures and
warnings are left out by ``therapy_card`` and shown to clinicians instead."""

from __future__ import annotations

from typing import Any

from trdnav.core.knowledge.therapies import load_therapies, therapy_card


def patient_card(therapy_id: str) -> dict[str, Any] | None:
    knowledge = load_therapies()
    therapy = knowledge.therapies.get(therapy_id)
    if therapy is None:
        return None
    return therapy_card(therapy, audience="patient", citations=dict(knowledge.sources))
