"""Turns one therapy TOML document into a :class:`Therapy`, validating every section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.knowledge import fields
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

_CONDITION_LISTS = ("facts_any", "facts_none", "medication_classes_any", "preferences_any")
_CONDITION_INTS = (
    "age_at_least",
    "age_below",
    "failed_trials_at_least",
    "failed_trials_below",
    "facts_within_days",
)
_CONDITION_KEYS = (*_CONDITION_LISTS, *_CONDITION_INTS, "trimester_in")
TRIMESTERS = (1, 2, 3)
RuleSets = Mapping[str, tuple[Rule, ...]]
_PROTOCOL_KEYS = ("setting", "session_length", "number_and_frequency", "anaesthesia", "recovery")
_MATCH_FIELDS = ("protocol", "modality", "agent", "drug", "drug_class", "role")


def _trimesters(body: Mapping[str, Any], where: str) -> tuple[int, ...]:
    raw = body.get("trimester_in", [])
    if not isinstance(raw, list) or not raw or any(t not in TRIMESTERS for t in raw):
        raise fields.fail(f"{where}.trimester_in", "must be a non-empty list of 1, 2 or 3")
    if tuple(body.get("facts_any", ())) != ("pregnancy",):
        raise fields.fail(f"{where}.trimester_in", 'needs facts_any = ["pregnancy"]')
    return tuple(sorted(set(raw)))


def _within_days(body: Mapping[str, Any], where: str) -> int | None:
    days = fields.optional_integer(body, "facts_within_days", where)
    if days is None:
        return None
    if days <= 0 or not body.get("facts_any"):
        raise fields.fail(
            f"{where}.facts_within_days", "must be a positive number of days with facts_any"
        )
    return days


def condition(raw: Any, where: str) -> Condition:
    body = fields.as_table(raw, where)
    unknown = set(body) - set(_CONDITION_KEYS) - {"always"}
    if unknown or not body:
        raise fields.fail(where, f"needs always or at least one of {_CONDITION_KEYS}")
    if "always" in body:
        if body != {"always": True}:
            raise fields.fail(where, "always = true stands alone")
        return Condition(always=True)
    numbers = {key: fields.optional_integer(body, key, where) for key in _CONDITION_INTS}
    return Condition(
        facts_any=fields.texts(body, "facts_any", where),
        facts_none=fields.texts(body, "facts_none", where),
        medication_classes_any=fields.texts(body, "medication_classes_any", where),
        preferences_any=fields.texts(body, "preferences_any", where),
        age_at_least=numbers["age_at_least"],
        age_below=numbers["age_below"],
        failed_trials_at_least=numbers["failed_trials_at_least"],
        failed_trials_below=numbers["failed_trials_below"],
        facts_within_days=_within_days(body, where),
        trimester_in=_trimesters(body, where) if "trimester_in" in body else (),
    )


def rule(raw: Any, where: str, sources: p.Sources, owner: str) -> Rule:
    """One rule; ``owner`` is the therapy id or rule-set name its id must start with."""
    body = fields.as_table(raw, where)
    rule_id = fields.text(body, "id", where)
    if not rule_id.startswith(f"{owner}."):
        raise fields.fail(f"{where}.id", f"rule ids start with {owner}.")
    return Rule(
        id=rule_id,
        effect=fields.choice(body, "effect", where, RuleEffect),
        when=condition(body.get("when"), f"{where}.when"),
        reason=fields.text(body, "reason", where),
        fact=p.fact(body, where, sources, text_key="reason"),
    )


def figure(raw: Any, where: str, sources: p.Sources) -> Figure | Gap:
    body = fields.as_table(raw, where)
    if "gap" in body:
        return Gap(fields.text(body, "gap", where))
    return Figure(
        measure=fields.text(body, "measure", where),
        value=fields.text(body, "value", where),
        comparator=fields.text(body, "comparator", where),
        population=fields.text(body, "population", where),
        fact=p.fact(body, where, sources, text_key="value"),
    )


def side_effect(raw: Any, where: str, sources: p.Sources) -> SideEffect | Gap:
    body = fields.as_table(raw, where)
    if "gap" in body:
        return Gap(fields.text(body, "gap", where))
    return SideEffect(
        effect=fields.text(body, "effect", where),
        frequency=fields.text(body, "frequency", where),
        fact=p.fact(body, where, sources, text_key="effect"),
    )


def protocol(raw: Any, where: str, sources: p.Sources) -> Protocol:
    body = fields.as_table(raw, where)
    parts = {key: p.entries(body, key, where, sources) for key in _PROTOCOL_KEYS}
    return Protocol(**parts)


def _optional_fact(
    body: Mapping[str, Any], key: str, where: str, sources: p.Sources
) -> Fact | None:
    return p.fact(body[key], f"{where}.{key}", sources) if key in body else None


def traits(raw: Any, where: str, sources: p.Sources) -> Traits:
    body = fields.as_table(raw, where)
    return Traits(
        evidence_tier=fields.choice(body, "evidence_tier", where, EvidenceTier),
        evidence_basis=p.fact(body.get("evidence_basis"), f"{where}.evidence_basis", sources),
        onset=fields.choice(body, "onset", where, Onset),
        rapid_acting=fields.flag(body, "rapid_acting", where),
        uses_anaesthesia=fields.flag(body, "uses_anaesthesia", where),
        is_medication=fields.flag(body, "is_medication", where),
        involves_surgery=fields.flag(body, "involves_surgery", where),
        needs_escort=fields.flag(body, "needs_escort", where),
        psychological=fields.flag(body, "psychological", where),
        time_burden=fields.choice(body, "time_burden", where, TimeBurden),
        later_line=_optional_fact(body, "later_line", where, sources),
    )


def history_match(raw: Any, where: str) -> HistoryMatch:
    body = fields.as_table(raw, where)
    unknown = set(body) - {"kind", *_MATCH_FIELDS}
    if unknown:
        raise fields.fail(
            where, f"unknown keys {sorted(unknown)}; allowed: kind, {', '.join(_MATCH_FIELDS)}"
        )
    matched = tuple(sorted((k, fields.text(body, k, where)) for k in body if k != "kind"))
    return HistoryMatch(kind=fields.text(body, "kind", where), fields=matched)


def patient_text(raw: Any, where: str, sources: p.Sources) -> PatientText:
    body = fields.as_table(raw, where)
    how_well = tuple(
        p.fact(v, f"{where}.how_well[{i}]", sources)
        for i, v in enumerate(p.items(body, "how_well", where))
    )
    # Optional; when present it is a non-empty list of sourced facts like how_well.
    warnings = p.items(body, "safety", where) if "safety" in body else []
    safety = tuple(p.fact(v, f"{where}.safety[{i}]", sources) for i, v in enumerate(warnings))
    cited = fields.texts(body, "sources", where)
    unknown = [key for key in cited if key not in sources]
    if not cited or unknown:
        raise fields.fail(f"{where}.sources", f"must list known source keys (unknown: {unknown})")
    return PatientText(
        how_it_works=fields.text(body, "how_it_works", where),
        how_well=how_well,
        session=fields.text(body, "session", where),
        course=fields.text(body, "course", where),
        side_effects=fields.text(body, "side_effects", where),
        questions=tuple(p.items(body, "questions", where)),
        sources=cited,
        status=p.status_of(body, where),
        safety=safety,
    )


def _replaces(head: Mapping[str, Any], where: str) -> tuple[str, ...]:
    replaces = fields.texts(head, "replaces_medications", where)
    if replaces and not fields.texts(head, "adds_medications", where):
        raise fields.fail(
            f"{where}.therapy.replaces_medications", "needs adds_medications (what replaces it)"
        )
    return replaces


def _header(body: Mapping[str, Any], where: str) -> dict[str, Any]:
    head = fields.as_table(body.get("therapy"), f"{where}.therapy")
    return {
        "id": fields.text(head, "id", where),
        "name": fields.text(head, "name", where),
        "category": fields.choice(head, "category", where, Category),
        "family": fields.text(head, "family", where),
        "investigational": fields.flag(head, "investigational", where),
        "evidence_section": fields.text(head, "evidence_section", where),
        "also_known_as": fields.texts(head, "also_known_as", where),
        "rule_sets": fields.texts(head, "rule_sets", where),
        "adds_medications": fields.texts(head, "adds_medications", where),
        "replaces_medications": _replaces(head, where),
        "history_match": tuple(
            history_match(v, f"{where}.therapy.history_match[{i}]")
            for i, v in enumerate(head.get("history_match", []))
        ),
    }


def _evidence(raw: Any, where: str, sources: p.Sources) -> dict[str, Any]:
    body = fields.as_table(raw, where)
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


def _rules(
    body: Mapping[str, Any],
    head: Mapping[str, Any],
    where: str,
    sources: p.Sources,
    shared: RuleSets,
) -> tuple[Rule, ...]:
    own = tuple(
        rule(v, f"{where}.rules[{i}]", sources, head["id"])
        for i, v in enumerate(body.get("rules", []))
    )
    missing = [name for name in head["rule_sets"] if name not in shared]
    if missing:
        raise fields.fail(f"{where}.therapy.rule_sets", f"unknown rule sets {missing}")
    inherited = tuple(r for name in head["rule_sets"] for r in shared[name])
    ids = [r.id for r in own + inherited]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise fields.fail(f"{where}.rules", f"duplicate rule ids {duplicates}")
    return own + inherited


def therapy(
    body: Mapping[str, Any], where: str, sources: p.Sources, shared: RuleSets | None = None
) -> Therapy:
    """One therapy; ``shared`` are the rule sets it may inherit through ``rule_sets``."""
    head = _header(body, where)
    return Therapy(
        **head,
        **_evidence(body.get("evidence"), f"{where}.evidence", sources),
        provenance=parse_provenance(body.get("provenance"), where),
        traits=traits(body.get("traits"), f"{where}.traits", sources),
        protocol=protocol(body.get("protocol"), f"{where}.protocol", sources),
        rules=_rules(body, head, where, sources, shared or {}),
        patient=patient_text(body.get("patient"), f"{where}.patient", sources),
    )


def file_status_consistent(therapy_: Therapy) -> bool:
    """A file may claim ``verified`` only if every fact in it is verified."""
    if therapy_.provenance.status is Status.UNVERIFIED:
        return True
    return all(f.status is Status.VERIFIED for f in therapy_.all_facts())
