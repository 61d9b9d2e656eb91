"""A therapy's card as plain JSON-ready data, for clinicians or (plain language) for patients."""

from __future__ import annotations

from typing import Any

from trdnav.core.knowledge.loader import Status
from trdnav.core.knowledge.therapies.schema import (
    Entry,
    Fact,
    Figure,
    Gap,
    Rule,
    SideEffect,
    Therapy,
)


def _fact(fact: Fact) -> dict[str, str]:
    return {"text": fact.text, **fact.cite(), "marker": fact.marker}


def _entry(entry: Entry | Figure | SideEffect) -> dict[str, Any]:
    if isinstance(entry, Gap):
        return {"gap": entry.text}
    if isinstance(entry, Figure):
        described = {"measure": entry.measure, "value": entry.value, "comparator": entry.comparator}
        return {
            **described,
            "population": entry.population,
            **entry.fact.cite(),
            "marker": entry.fact.marker,
        }
    if isinstance(entry, SideEffect):
        return {
            "effect": entry.effect,
            "frequency": entry.frequency,
            **entry.fact.cite(),
            "marker": entry.fact.marker,
        }
    return _fact(entry)


def _rule(rule: Rule) -> dict[str, Any]:
    when = {k: v for k, v in vars(rule.when).items() if v not in ((), None)}
    return {"id": rule.id, "effect": rule.effect.value, "when": when, **_fact(rule.fact)}


def _section(entries: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [_entry(e) for e in entries]


def _patient_facts(facts: tuple[Fact, ...]) -> list[dict[str, str]]:
    """Patient view: only verified statements, without the evidence file's editorial marker."""
    return [{"text": f.text, **f.cite()} for f in facts if f.status is Status.VERIFIED]


def _patient_information(therapy: Therapy) -> dict[str, Any]:
    """Clinician view of the patient card's sourced statements, unverified ones included."""
    return {
        "how_well_it_works": [_fact(f) for f in therapy.patient.how_well],
        "safety": [_fact(f) for f in therapy.patient.safety],
        "status": therapy.patient.status.value,
    }


def _clinician(therapy: Therapy) -> dict[str, Any]:
    protocol = {key: _section(value) for key, value in vars(therapy.protocol).items()}
    traits = {k: (v.value if hasattr(v, "value") else v) for k, v in vars(therapy.traits).items()}
    traits["evidence_basis"] = _fact(therapy.traits.evidence_basis)
    traits["later_line"] = _fact(therapy.traits.later_line) if therapy.traits.later_line else None
    return {
        "mechanism": _section(therapy.mechanism),
        "efficacy": _section(therapy.efficacy),
        "time_to_effect": _section(therapy.time_to_effect),
        "durability": _section(therapy.durability),
        "protocol": protocol,
        "side_effects": _section(therapy.side_effects),
        "contraindications_and_rules": [_rule(r) for r in therapy.rules],
        "monitoring": _section(therapy.monitoring),
        "regulatory": _section(therapy.regulatory),
        "guidelines": _section(therapy.guidelines),
        "traits": traits,
        "patient_information": _patient_information(therapy),
    }


def _patient(therapy: Therapy, citations: dict[str, str]) -> dict[str, Any]:
    """Plain-language card. Figures and warnings whose status is unverified are left out:
    a patient never sees a statement that has not been checked against its source."""
    text = therapy.patient
    return {
        "how_it_works": text.how_it_works,
        "how_well_it_works": _patient_facts(text.how_well),
        "safety": _patient_facts(text.safety),
        "what_a_session_is_like": text.session,
        "how_many_sessions": text.course,
        "side_effects": text.side_effects,
        "questions_to_ask_your_doctor": list(text.questions),
        "status": text.status.value,
        "sources": [{"source": key, "citation": citations[key]} for key in text.sources],
    }


def therapy_card(
    therapy: Therapy, audience: str = "clinician", citations: dict[str, str] | None = None
) -> dict[str, Any]:
    """The card printed by ``trdnav therapies show``; ``audience`` is clinician or patient."""
    head: dict[str, Any] = {
        "id": therapy.id,
        "name": therapy.name,
        "category": therapy.category.value,
        "investigational": therapy.investigational,
        "evidence_section": f"evidence_notes {therapy.evidence_section}",
        "status": therapy.provenance.status.value,
        "reviewed_on": therapy.provenance.reviewed_on.isoformat(),
    }
    if audience == "patient":
        return {**head, "audience": "patient", **_patient(therapy, citations or {})}
    return {**head, "audience": "clinician", **_clinician(therapy)}
