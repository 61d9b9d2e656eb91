"""Schema of the options engine's own data: vocabulary, medications, urgency and ranking.

Files: ``data/recommend/vocabulary.toml``, ``medications.toml``, ``urgency.toml`` and
``ranking.toml``. They hold every code, weight and urgency trigger, so that the engine's
code contains no clinical choice of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trdnav.core.knowledge import fields
from trdnav.core.knowledge.therapies import parse_basic as p
from trdnav.core.knowledge.therapies.parse_therapy import condition
from trdnav.core.knowledge.therapies.schema import Condition, Fact


@dataclass(frozen=True)
class Code:
    code: str
    meaning: str
    why: str = ""


@dataclass(frozen=True)
class MedicationClass:
    code: str
    meaning: str
    members: tuple[str, ...]
    fact: Fact


@dataclass(frozen=True)
class Vocabulary:
    facts: Mapping[str, Code]
    preferences: Mapping[str, Code]
    medication_classes: Mapping[str, MedicationClass]

    def classes_of(self, medication: str) -> tuple[str, ...]:
        name = medication.strip().lower()
        return tuple(c.code for c in self.medication_classes.values() if name in c.members)


@dataclass(frozen=True)
class UrgencyRule:
    id: str
    therapies: tuple[str, ...]
    when: Condition
    reason: str
    fact: Fact


@dataclass(frozen=True)
class Implication:
    family: str
    fact: Fact


@dataclass(frozen=True)
class PreferenceWeight:
    preference: str
    trait: str
    weight: float
    reason: str


@dataclass(frozen=True)
class HistoryFactor:
    id: str
    categories: tuple[str, ...]
    when: Condition
    weight: float
    reason: str
    fact: Fact


@dataclass(frozen=True)
class Ranking:
    tier_weights: Mapping[str, float]
    weights: Mapping[str, float]
    limited_time: Mapping[str, float]
    preferences: tuple[PreferenceWeight, ...]
    history_factors: tuple[HistoryFactor, ...]
    status_buckets: Mapping[str, int]
    raw: Mapping[str, Any]


def _codes(body: Mapping[str, Any], key: str, where: str) -> dict[str, Code]:
    section = fields.as_table(body.get(key), f"{where}.{key}")
    return {
        code: Code(
            code,
            fields.text(
                fields.as_table(v, f"{where}.{key}.{code}"), "meaning", f"{where}.{key}.{code}"
            ),
            str(v.get("why", "")),
        )
        for code, v in section.items()
    }


def vocabulary(vocab: Mapping[str, Any], meds: Mapping[str, Any], sources: p.Sources) -> Vocabulary:
    classes = {}
    for code, raw in fields.as_table(meds.get("classes"), "medications.toml.classes").items():
        where = f"medications.toml.classes.{code}"
        body = fields.as_table(raw, where)
        members = tuple(m.lower() for m in fields.texts(body, "members", where))
        classes[code] = MedicationClass(
            code,
            fields.text(body, "meaning", where),
            members,
            p.fact(body, where, sources, "meaning"),
        )
    return Vocabulary(
        facts=_codes(vocab, "facts", "vocabulary.toml"),
        preferences=_codes(vocab, "preferences", "vocabulary.toml"),
        medication_classes=classes,
    )


def urgency_rules(body: Mapping[str, Any], sources: p.Sources) -> tuple[UrgencyRule, ...]:
    rules = []
    for i, raw in enumerate(p.items(body, "urgent", "urgency.toml")):
        where = f"urgency.toml.urgent[{i}]"
        item = fields.as_table(raw, where)
        rules.append(
            UrgencyRule(
                id=fields.text(item, "id", where),
                therapies=fields.texts(item, "therapies", where),
                when=condition(item.get("when"), f"{where}.when"),
                reason=fields.text(item, "reason", where),
                fact=p.fact(item, where, sources, "reason"),
            )
        )
    return tuple(rules)


def _floats(body: Mapping[str, Any], key: str) -> dict[str, float]:
    where = f"ranking.toml.{key}"
    section = fields.as_table(body.get(key), where)
    return {k: fields.number(section, k, where) for k in section}


def _preference(raw: Any, where: str) -> PreferenceWeight:
    body = fields.as_table(raw, where)
    weight = fields.number(body, "weight", where)
    return PreferenceWeight(
        fields.text(body, "preference", where),
        fields.text(body, "trait", where),
        weight,
        fields.text(body, "reason", where),
    )


def _history_factor(raw: Any, where: str, sources: p.Sources) -> HistoryFactor:
    body = fields.as_table(raw, where)
    weight = fields.number(body, "weight", where)
    return HistoryFactor(
        id=fields.text(body, "id", where),
        categories=fields.texts(body, "categories", where),
        when=condition(body.get("when"), f"{where}.when"),
        weight=weight,
        reason=fields.text(body, "reason", where),
        fact=p.fact(body, where, sources, "reason"),
    )


def ranking(body: Mapping[str, Any], sources: p.Sources) -> Ranking:
    buckets = fields.as_table(body.get("status_buckets"), "ranking.toml.status_buckets")
    return Ranking(
        tier_weights=_floats(body, "evidence_tier"),
        weights=_floats(body, "weights"),
        limited_time=_floats(body, "limited_time"),
        preferences=tuple(
            _preference(v, f"ranking.toml.preference[{i}]")
            for i, v in enumerate(p.items(body, "preference", "ranking.toml"))
        ),
        history_factors=tuple(
            _history_factor(v, f"ranking.toml.history_factor[{i}]", sources)
            for i, v in enumerate(p.items(body, "history_factor", "ranking.toml"))
        ),
        status_buckets={
            k: fields.integer(buckets, k, "ranking.toml.status_buckets") for k in buckets
        },
        raw=body,
    )


def implications(body: Mapping[str, Any], sources: p.Sources) -> tuple[Implication, ...]:
    found = []
    for i, raw in enumerate(p.items(body, "implication", "implications.toml")):
        where = f"implications.toml.implication[{i}]"
        item = fields.as_table(raw, where)
        found.append(Implication(fields.text(item, "family", where), p.fact(item, where, sources)))
    return tuple(found)
