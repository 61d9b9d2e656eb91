"""Schema of the options engine's own data: vocabulary, urgency and ranking.

Files: ``data/recommend/vocabulary.toml``, ``urgency.toml`` and ``ranking.toml``. They hold
every code, weight and urgency trigger, so that the engine's code contains no clinical choice
of its own. Medication classes and drugs live in ``data/medications`` (trdnav.core.medications).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    dated: bool = False


@dataclass(frozen=True)
class FactGroup:
    """Present if any member is present, absent if every member is absent, else unknown."""

    code: str
    meaning: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class AgeGroup:
    code: str
    at_least: int
    below: int | None
    fact: Fact


@dataclass(frozen=True)
class Vocabulary:
    facts: Mapping[str, Code]
    preferences: Mapping[str, Code]
    groups: Mapping[str, FactGroup] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)

    def members(self, code: str) -> tuple[str, ...]:
        """The fact codes a rule's code stands for: a group's members, or the fact itself."""
        group = self.groups.get(code)
        return group.members if group else (code,)

    def is_known(self, code: str) -> bool:
        return code in self.facts or code in self.groups


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


def _code(raw: Any, code: str, where: str) -> Code:
    body = fields.as_table(raw, f"{where}.{code}")
    return Code(
        code,
        fields.text(body, "meaning", f"{where}.{code}"),
        str(body.get("why", "")),
        fields.flag(body, "dated", f"{where}.{code}", default=False),
    )


def _codes(body: Mapping[str, Any], key: str, where: str) -> dict[str, Code]:
    section = fields.as_table(body.get(key), f"{where}.{key}")
    return {code: _code(v, code, f"{where}.{key}") for code, v in section.items()}


def _groups(body: Mapping[str, Any], facts: Mapping[str, Code]) -> dict[str, FactGroup]:
    found = {}
    for code, raw in fields.as_table(body.get("groups", {}), "vocabulary.toml.groups").items():
        where = f"vocabulary.toml.groups.{code}"
        item = fields.as_table(raw, where)
        members = fields.texts(item, "members", where)
        unknown = [m for m in members if m not in facts]
        if not members or unknown or code in facts:
            raise fields.fail(
                where, f"members must be known fact codes (unknown: {unknown}); not a fact code"
            )
        found[code] = FactGroup(code, fields.text(item, "meaning", where), members)
    return found


def _aliases(body: Mapping[str, Any], facts: Mapping[str, Code]) -> dict[str, str]:
    where = "vocabulary.toml.aliases"
    raw = fields.as_table(body.get("aliases", {}), where)
    found = {alias: fields.text(raw, alias, where) for alias in raw}
    wrong = [a for a, code in found.items() if code not in facts or a in facts]
    if wrong:
        raise fields.fail(where, f"aliases must name a fact code and not be one: {wrong}")
    return found


def vocabulary(vocab: Mapping[str, Any]) -> Vocabulary:
    facts = _codes(vocab, "facts", "vocabulary.toml")
    return Vocabulary(
        facts=facts,
        preferences=_codes(vocab, "preferences", "vocabulary.toml"),
        groups=_groups(vocab, facts),
        aliases=_aliases(vocab, facts),
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


def age_groups(body: Mapping[str, Any], sources: p.Sources) -> tuple[AgeGroup, ...]:
    """Contiguous age bands from 0 upwards; the last one is open-ended."""
    found: list[AgeGroup] = []
    for i, raw in enumerate(p.items(body, "group", "age_groups.toml")):
        where = f"age_groups.toml.group[{i}]"
        item = fields.as_table(raw, where)
        group = AgeGroup(
            fields.text(item, "code", where),
            fields.integer(item, "at_least", where),
            fields.optional_integer(item, "below", where),
            p.fact(item, where, sources),
        )
        expected = found[-1].below if found else 0
        if group.at_least != expected or (group.below is not None and group.below <= expected):
            raise fields.fail(where, f"age bands must be contiguous: at_least = {expected}")
        found.append(group)
    if found[-1].below is not None:
        raise fields.fail("age_groups.toml", "the last band is open-ended (no below)")
    return tuple(found)
