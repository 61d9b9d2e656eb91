"""``load_therapies()``: every therapy file plus the options engine's data, checked as a whole."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from trdnav.core.errors import KnowledgeBaseError, UnknownCode
from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import data_dir, knowledge_version, load_document
from trdnav.core.knowledge.therapies import policy
from trdnav.core.knowledge.therapies.parse_therapy import (
    RuleSets,
    file_status_consistent,
    therapy,
)
from trdnav.core.knowledge.therapies.references import check_references
from trdnav.core.knowledge.therapies.rule_sets import load_rule_sets
from trdnav.core.knowledge.therapies.schema import Rule, Therapy

THERAPY_DIR = "therapies"
RECOMMEND_DIR = "recommend"
MEDICATIONS_FILE = "medications/drugs.toml"


@dataclass(frozen=True)
class TherapyKnowledge:
    """Everything ``recommend`` needs, loaded once: therapies, sources, vocabulary and policy."""

    therapies: Mapping[str, Therapy]
    sources: Mapping[str, str]
    vocabulary: policy.Vocabulary
    urgency: tuple[policy.UrgencyRule, ...]
    ranking: policy.Ranking
    implications: tuple[policy.Implication, ...]
    version: str
    age_groups: tuple[policy.AgeGroup, ...] = ()
    rule_sets: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)

    def therapy(self, therapy_id: str) -> Therapy:
        if therapy_id not in self.therapies:
            raise UnknownCode("therapy", therapy_id, list(self.therapies))
        return self.therapies[therapy_id]


def _sources() -> dict[str, str]:
    raw = fields.as_table(
        load_document(f"{THERAPY_DIR}/_sources.toml").get("sources"), "_sources.toml"
    )
    return {
        key: fields.text(fields.as_table(v, f"sources.{key}"), "citation", f"sources.{key}")
        for key, v in raw.items()
    }


def _therapy_files() -> list[str]:
    folder = data_dir() / THERAPY_DIR
    names = sorted(path.name for path in folder.glob("*.toml") if not path.name.startswith("_"))
    if not names:
        raise KnowledgeBaseError(f"no therapy files in {THERAPY_DIR}/")
    return names


def _medication_ids() -> frozenset[str]:
    """Drug and class ids of ``data/medications/drugs.toml``.

    Read as plain keys here: ``trdnav.core.medications`` sits above this package (it reads the
    therapies' source register) and checks the rest of that file itself.
    """
    doc = load_document(MEDICATIONS_FILE)
    drugs = fields.table(doc, "drugs", MEDICATIONS_FILE)
    classes = fields.table(doc, "classes", MEDICATIONS_FILE)
    return frozenset(drugs) | frozenset(classes)


def check_medication_ids(loaded: Therapy, where: str, known: frozenset[str]) -> None:
    for key in ("adds_medications", "replaces_medications"):
        unknown = [m for m in getattr(loaded, key) if m not in known]
        if unknown:
            raise fields.fail(
                f"{where} therapy.{key}",
                f"unknown drug or class {unknown[0]!r} (not in medications/drugs.toml)",
            )


def _load_one(
    name: str, sources: Mapping[str, str], shared: RuleSets, medications: frozenset[str]
) -> Therapy:
    where = f"{THERAPY_DIR}/{name}"
    loaded = therapy(load_document(where), where, sources, shared)
    check_medication_ids(loaded, where, medications)
    if f"{loaded.id}.toml" != name:
        raise KnowledgeBaseError(f"{where}: file name must be {loaded.id}.toml")
    if not file_status_consistent(loaded):
        raise KnowledgeBaseError(f"{where}: provenance says verified but some facts are unverified")
    return loaded


def _recommend_doc(name: str) -> Mapping[str, object]:
    return load_document(f"{RECOMMEND_DIR}/{name}")


@cache
def load_therapies() -> TherapyKnowledge:
    """The validated knowledge base; raises KnowledgeBaseError naming the first broken file."""
    sources = _sources()
    shared = load_rule_sets(sources)
    medications = _medication_ids()
    therapies = {
        t.id: t for t in (_load_one(n, sources, shared, medications) for n in _therapy_files())
    }
    knowledge = TherapyKnowledge(
        therapies=therapies,
        sources=sources,
        vocabulary=policy.vocabulary(_recommend_doc("vocabulary.toml")),
        urgency=policy.urgency_rules(_recommend_doc("urgency.toml"), sources),
        ranking=policy.ranking(_recommend_doc("ranking.toml"), sources),
        implications=policy.implications(_recommend_doc("implications.toml"), sources),
        version=knowledge_version(),
        age_groups=policy.age_groups(_recommend_doc("age_groups.toml"), sources),
        rule_sets=shared,
    )
    check_references(knowledge, medications)
    return knowledge
