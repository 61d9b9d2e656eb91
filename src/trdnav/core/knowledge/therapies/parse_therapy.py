"""Turns one therapy TOML document into a :class:`Therapy`, validating every section."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from trdnav.core.knowledge.loader import Status, parse_provenance
from trdnav.core.knowledge.therapies import parse_basic as p
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

E = TypeVar("E", bound=StrEnum)
_CONDITION_LISTS = ("facts_any", "medication_classes_any", "preferences_any")
_CONDITION_INTS = ("age_at_least", "age_below", "failed_trials_at_least", "failed_trials_below")
_PROTOCOL_KEYS = ("setting", "session_length", "number_and_frequency", "anaesthesia", "recovery")
_MATCH_FIELDS = ("protocol", "modality", "agent", "drug", "drug_class", "role")


def enum_value(kind: type[E], raw: Mapping[str, Any], key: str, where: str) -> E:
    value = p.text(raw, key, where)
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise p.fail(f"{where}.{key}", f"unknown value {value!r}; allowed: {allowed}") from None


def condition(raw: Any, where: str) -> Condition:
    body = p.table(raw, where)
    unknown = set(body) - set(_CONDITION_LISTS) - set(_CONDITION_INTS) - {"always"}
    if unknown or not body:
        raise p.fail(where, f"needs always or at least one of {_CONDITION_LISTS + _CONDITION_INTS}")
    if "always" in body:
        if body != {"always": True}:
            raise p.fail(where, "always = true stands alone")
        return Condition(always=True)
    numbers = {key: body.get(key) for key in _CONDITION_INTS}
    if any(
        v is not None and (not isinstance(v, int) or isinstance(v, bool)) for v in numbers.values()
    ):
        raise p.fail(where, "age and trial limits must be whole numbers")
    return Condition(
        facts_any=p.strings(body, "facts_any", where),
        medication_classes_any=p.strings(body, "medication_classes_any", where),
        preferences_any=p.strings(body, "preferences_any", where),
        age_at_least=numbers["age_at_least"],
        age_below=numbers["age_below"],
        failed_trials_at_least=numbers["failed_trials_at_least"],
        failed_trials_below=numbers["failed_trials_below"],
    )


def rule(raw: Any, where: str, sources: p.Sources, therapy_id: str) -> Rule:
    body = p.table(raw, where)
    rule_id = p.text(body, "id", where)
    if not rule_id.startswith(f"{therapy_id}."):
        raise p.fail(f"{where}.id", f"rule ids start with the therapy id ({therapy_id}.)")
    return Rule(
        id=rule_id,
        effect=enum_value(RuleEffect, body, "effect", where),
        when=condition(body.get("when"), f"{where}.when"),
        reason=p.text(body, "reason", where),
        fact=p.fact(body, where, sources, text_key="reason"),
    )


def figure(raw: Any, where: str, sources: p.Sources) -> Figure | Gap:
    body = p.table(raw, where)
    if "gap" in body:
        return Gap(p.text(body, "gap", where))
    return Figure(
        measure=p.text(body, "measure", where),
        value=p.text(body, "value", where),
        comparator=p.text(body, "comparator", where),
        population=p.text(body, "population", where),
        fact=p.fact(body, where, sources, text_key="value"),
    )


def side_effect(raw: Any, where: str, sources: p.Sources) -> SideEffect | Gap:
    body = p.table(raw, where)
    if "gap" in body:
        return Gap(p.text(body, "gap", where))
    return SideEffect(
        effect=p.text(body, "effect", where),
        frequency=p.text(body, "frequency", where),
        fact=p.fact(body, where, sources, text_key="effect"),
    )


def protocol(raw: Any, where: str, sources: p.Sources) -> Protocol:
    body = p.table(raw, where)
    parts = {key: p.entries(body, key, where, sources) for key in _PROTOCOL_KEYS}
    return Protocol(**parts)


def _optional_fact(
    body: Mapping[str, Any], key: str, where: str, sources: p.Sources
) -> Fact | None:
    return p.fact(body[key], f"{where}.{key}", sources) if key in body else None


def traits(raw: Any, where: str, sources: p.Sources) -> Traits:
    body = p.table(raw, where)
    return Traits(
        evidence_tier=enum_value(EvidenceTier, body, "evidence_tier", where),
        evidence_basis=p.fact(body.get("evidence_basis"), f"{where}.evidence_basis", sources),
        onset=enum_value(Onset, body, "onset", where),
        rapid_acting=p.flag(body, "rapid_acting", where),
        uses_anaesthesia=p.flag(body, "uses_anaesthesia", where),
        is_medication=p.flag(body, "is_medication", where),
        involves_surgery=p.flag(body, "involves_surgery", where),
        needs_escort=p.flag(body, "needs_escort", where),
        psychological=p.flag(body, "psychological", where),
        time_burden=enum_value(TimeBurden, body, "time_burden", where),
        later_line=_optional_fact(body, "later_line", where, sources),
    )


def history_match(raw: Any, where: str) -> HistoryMatch:
    body = p.table(raw, where)
    unknown = set(body) - {"kind", *_MATCH_FIELDS}
    if unknown:
        raise p.fail(
            where, f"unknown keys {sorted(unknown)}; allowed: kind, {', '.join(_MATCH_FIELDS)}"
        )
    fields = tuple(sorted((k, p.text(body, k, where)) for k in body if k != "kind"))
    return HistoryMatch(kind=p.text(body, "kind", where), fields=fields)


def patient_text(raw: Any, where: str, sources: p.Sources) -> PatientText:
    body = p.table(raw, where)
    how_well = tuple(
        p.fact(v, f"{where}.how_well[{i}]", sources)
        for i, v in enumerate(p.items(body, "how_well", where))
    )
    cited = p.strings(body, "sources", where)
    unknown = [key for key in cited if key not in sources]
    if not cited or unknown:
        raise p.fail(f"{where}.sources", f"must list known source keys (unknown: {unknown})")
    return PatientText(
        how_it_works=p.text(body, "how_it_works", where),
        how_well=how_well,
        session=p.text(body, "session", where),
        course=p.text(body, "course", where),
        side_effects=p.text(body, "side_effects", where),
        questions=tuple(p.items(body, "questions", where)),
        sources=cited,
        status=p.status_of(body, where),
    )


def _header(body: Mapping[str, Any], where: str) -> dict[str, Any]:
    head = p.table(body.get("therapy"), f"{where}.therapy")
    return {
        "id": p.text(head, "id", where),
        "name": p.text(head, "name", where),
        "category": enum_value(Category, head, "category", where),
        "family": p.text(head, "family", where),
        "investigational": p.flag(head, "investigational", where),
        "evidence_section": p.text(head, "evidence_section", where),
        "also_known_as": p.strings(head, "also_known_as", where),
        "history_match": tuple(
            history_match(v, f"{where}.therapy.history_match[{i}]")
            for i, v in enumerate(head.get("history_match", []))
        ),
    }


def _evidence(raw: Any, where: str, sources: p.Sources) -> dict[str, Any]:
    body = p.table(raw, where)
    plain = ("mechanism", "time_to_effect", "durability", "monitoring", "regulatory", "guidelines")
    sections: dict[str, Any] = {key: p.entries(body, key, where, sources) for key in plain}
    figures = p.items(body, "efficacy", where)
    sections["efficacy"] = tuple(
        figure(v, f"{where}.efficacy[{i}]", sources) for i, v in enumerate(figures)
    )
    harms = p.items(body, "side_effects", where)
    sections["side_effects"] = tuple(
        side_effect(v, f"{where}.side_effects[{i}]", sources) for i, v in enumerate(harms)
    )
    return sections


def therapy(body: Mapping[str, Any], where: str, sources: p.Sources) -> Therapy:
    head = _header(body, where)
    rules = body.get("rules", [])
    return Therapy(
        **head,
        **_evidence(body.get("evidence"), f"{where}.evidence", sources),
        provenance=parse_provenance(body.get("provenance"), where),
        traits=traits(body.get("traits"), f"{where}.traits", sources),
        protocol=protocol(body.get("protocol"), f"{where}.protocol", sources),
        rules=tuple(
            rule(v, f"{where}.rules[{i}]", sources, head["id"]) for i, v in enumerate(rules)
        ),
        patient=patient_text(body.get("patient"), f"{where}.patient", sources),
    )


def file_status_consistent(therapy_: Therapy) -> bool:
    """A file may claim ``verified`` only if every fact in it is verified."""
    if therapy_.provenance.status is Status.UNVERIFIED:
        return True
    return all(f.status is Status.VERIFIED for f in therapy_.all_facts())
