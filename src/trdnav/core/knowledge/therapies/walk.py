"""Walks a therapy's sections to list its facts (used by the loader checks and by cards)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trdnav.core.knowledge.therapies.schema import Fact, Figure, Gap, SideEffect

if TYPE_CHECKING:
    from trdnav.core.knowledge.therapies.schema import Entry, Therapy


def _entries(entries: tuple[Entry, ...]) -> list[Fact]:
    return [entry for entry in entries if isinstance(entry, Fact)]


def _protocol_facts(therapy: Therapy) -> list[Fact]:
    protocol = therapy.protocol
    sections = (
        protocol.setting,
        protocol.session_length,
        protocol.number_and_frequency,
        protocol.anaesthesia,
        protocol.recovery,
    )
    return [fact for section in sections for fact in _entries(section)]


def facts_of(therapy: Therapy) -> list[Fact]:
    facts: list[Fact] = []
    for section in (therapy.mechanism, therapy.time_to_effect, therapy.durability):
        facts.extend(_entries(section))
    facts.extend(f.fact for f in therapy.efficacy if isinstance(f, Figure))
    facts.extend(_protocol_facts(therapy))
    facts.extend(s.fact for s in therapy.side_effects if isinstance(s, SideEffect))
    facts.extend(rule.fact for rule in therapy.rules)
    for section in (therapy.monitoring, therapy.regulatory, therapy.guidelines):
        facts.extend(_entries(section))
    facts.extend(therapy.patient.how_well)
    facts.extend(therapy.patient.safety)
    facts.append(therapy.traits.evidence_basis)
    if therapy.traits.later_line is not None:
        facts.append(therapy.traits.later_line)
    return facts


def is_gap(entry: object) -> bool:
    return isinstance(entry, Gap)
