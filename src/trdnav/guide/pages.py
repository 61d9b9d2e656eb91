"""What a treatment page shows, for the public guide and the patient portal alike: the
treatments grouped the way patients think of them, each page's plain title, one-line summary,
pictures (icon arrays, course calendar), one notice when unchecked figures were left out, and
the sources as numbered notes (P-PH4). The two places differ only in their links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trdnav.core.knowledge.patient_guide import (
    Group,
    Presentation,
    leaves_out_unverified,
    load_patient_guide,
)
from trdnav.core.knowledge.therapies import load_therapies
from trdnav.guide.pictures import calendar_weeks, icon_dots
from trdnav.portal.therapies import patient_card


def grouped_treatments(
    url_for: Callable[[str], str],
) -> list[tuple[Group, list[tuple[Presentation, str]]]]:
    """Every group in page order, each with its treatments and the link to each."""
    knowledge = load_therapies()
    return [
        (group, [(shown, url_for(shown.therapy_id)) for shown in items])
        for group, items in load_patient_guide().sections(knowledge)
    ]


def investigational_ids() -> set[str]:
    return {t.id for t in load_therapies().therapies.values() if t.investigational}


def _numbered_sources(card: dict[str, Any]) -> dict[str, Any]:
    """The card with each figure and warning pointing at its source's number (a footnote)."""
    numbers = {source["source"]: i for i, source in enumerate(card.get("sources", []), start=1)}

    def noted(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**fact, "note": numbers.get(fact.get("source"))} for fact in facts]

    return {
        **card,
        "how_well_it_works": noted(card.get("how_well_it_works", [])),
        "safety": noted(card.get("safety", [])),
    }


def treatment_page(therapy_id: str) -> dict[str, Any] | None:
    """The context of one treatment's page, or None for an unknown treatment."""
    card = patient_card(therapy_id)
    if card is None:
        return None
    guide = load_patient_guide()
    therapy = load_therapies().therapy(therapy_id)
    shown = guide.therapies[therapy_id]
    return {
        "card": _numbered_sources(card),
        "shown": shown,
        "group": next(g for g in guide.groups if g.id == guide.group_of(therapy)),
        "icons": [(icon, icon_dots(icon)) for icon in shown.icons],
        "weeks": calendar_weeks(shown.schedule) if shown.schedule else [],
        "unverified_notice": leaves_out_unverified(therapy),
    }
