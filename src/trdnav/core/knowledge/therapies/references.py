"""Cross-file checks: every code, id, trait and category a rule names must exist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge.therapies.schema import (
    Category,
    Condition,
    EvidenceTier,
    TimeBurden,
    Traits,
)

if TYPE_CHECKING:
    from trdnav.core.knowledge.therapies.load import TherapyKnowledge

REQUIRED_WEIGHTS = ("caution", "favour", "later_line", "same_family_failed")
STATUSES = ("suitable", "caution", "not_offered", "already_failed")


def condition_problems(
    when: Condition, knowledge: TherapyKnowledge, medications: frozenset[str] | None = None
) -> list[str]:
    """What a condition names that does not exist; ``medications`` are the drug and class ids
    of ``medications/drugs.toml`` (None: not checked)."""
    vocab = knowledge.vocabulary
    problems = [
        f"unknown fact or group code {c!r}"
        for c in (*when.facts_any, *when.facts_none)
        if not vocab.is_known(c)
    ]
    if when.facts_within_days is not None:
        members = [m for c in when.facts_any if vocab.is_known(c) for m in vocab.members(c)]
        problems += [
            f"facts_within_days needs dated facts; {m!r} is not dated"
            for m in members
            if not vocab.facts[m].dated
        ]
    problems += [
        f"unknown preference {c!r}" for c in when.preferences_any if c not in vocab.preferences
    ]
    problems += [
        f"unknown medication class or drug {c!r} (not in medications/drugs.toml)"
        for c in when.medication_classes_any
        if medications is not None and c not in medications
    ]
    return problems


def _rule_problems(knowledge: TherapyKnowledge, medications: frozenset[str] | None) -> list[str]:
    problems: list[str] = []
    for therapy in knowledge.therapies.values():
        for rule in therapy.rules:
            found = condition_problems(rule.when, knowledge, medications)
            problems += [f"{rule.id}: {p}" for p in found]
    for name, rules in knowledge.rule_sets.items():
        for rule in rules:
            found = condition_problems(rule.when, knowledge, medications)
            problems += [f"_rule_sets/{name}: {rule.id}: {p}" for p in found]
    for urgent in knowledge.urgency:
        found = condition_problems(urgent.when, knowledge, medications)
        problems += [f"{urgent.id}: {p}" for p in found]
        problems += [
            f"{urgent.id}: unknown therapy {t!r}"
            for t in urgent.therapies
            if t not in knowledge.therapies
        ]
    return problems


def _ranking_problems(
    knowledge: TherapyKnowledge, medications: frozenset[str] | None = None
) -> list[str]:
    ranking = knowledge.ranking
    traits = set(Traits.__dataclass_fields__)
    categories = {c.value for c in Category}
    problems = [
        f"evidence_tier lacks {t.value}"
        for t in EvidenceTier
        if t.value not in ranking.tier_weights
    ]
    problems += [f"weights lacks {w}" for w in REQUIRED_WEIGHTS if w not in ranking.weights]
    problems += [
        f"limited_time lacks {b.value}" for b in TimeBurden if b.value not in ranking.limited_time
    ]
    problems += [f"status_buckets lacks {s}" for s in STATUSES if s not in ranking.status_buckets]
    problems += _bucket_order_problems(ranking.status_buckets)
    for pref in ranking.preferences:
        if pref.preference not in knowledge.vocabulary.preferences:
            problems.append(f"preference {pref.preference!r} is not in the vocabulary")
        if pref.trait not in traits:
            problems.append(f"preference {pref.preference!r} names unknown trait {pref.trait!r}")
    for factor in ranking.history_factors:
        problems += [
            f"{factor.id}: unknown category {c!r}" for c in factor.categories if c not in categories
        ]
        found = condition_problems(factor.when, knowledge, medications)
        problems += [f"{factor.id}: {p}" for p in found]
    return problems


def _bucket_order_problems(buckets: Mapping[str, int]) -> list[str]:
    """suitable < caution < not_offered and already_failed (P-O15: urgency stays in a bucket)."""
    if any(s not in buckets for s in STATUSES):
        return []
    later = min(buckets["not_offered"], buckets["already_failed"])
    if buckets["suitable"] < buckets["caution"] < later:
        return []
    return ["status_buckets must order suitable < caution < not_offered, already_failed"]


def _family_problems(knowledge: TherapyKnowledge) -> list[str]:
    families = {t.family for t in knowledge.therapies.values()}
    explained = {i.family for i in knowledge.implications}
    problems = [f"implication for unknown family {f!r}" for f in sorted(explained - families)]
    return problems + [
        f"family {f!r} has no implication entry" for f in sorted(families - explained)
    ]


def check_references(
    knowledge: TherapyKnowledge, medications: frozenset[str] | None = None
) -> None:
    problems = (
        _rule_problems(knowledge, medications)
        + _ranking_problems(knowledge, medications)
        + _family_problems(knowledge)
    )
    if problems:
        raise KnowledgeBaseError("knowledge base references: " + "; ".join(problems))
