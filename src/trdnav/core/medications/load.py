"""Loads and checks ``data/medications/drugs.toml`` and ``interactions.toml`` once per process.

Every problem is a KnowledgeBaseError naming the file and key: an unknown class, drug or source,
a duplicate name or alias, a verified status on a from-memory marker, a bad severity.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import Status, load_document
from trdnav.core.knowledge.therapies.schema import Fact
from trdnav.core.medications.model import (
    Drug,
    InteractionRule,
    Mechanism,
    MedicationTable,
    Severity,
    Washout,
)
from trdnav.core.medications.names import normalise

DRUGS_FILE = "medications/drugs.toml"
RULES_FILE = "medications/interactions.toml"
SOURCES_FILE = "therapies/_sources.toml"
_ID = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
_UNVERIFIED_MARKERS = ("from memory", "not captured", "assessment")

Sources = Mapping[str, str]


def _sources() -> dict[str, str]:
    raw = fields.table(load_document(SOURCES_FILE), "sources", SOURCES_FILE)
    return {
        key: fields.text(fields.as_table(value, f"{SOURCES_FILE} sources.{key}"), "citation", key)
        for key, value in raw.items()
    }


def sourced_fact(body: fields.Table, where: str, sources: Sources, text: str) -> Fact:
    """``source``/``status``/``marker`` of one entry; a from-memory marker is never verified."""
    key = fields.text(body, "source", where)
    if key not in sources:
        message = f"unknown source key {key!r} (add it to {SOURCES_FILE})"
        raise fields.fail(f"{where}.source", message)
    status = fields.status(body, where)
    marker = fields.text(body, "marker", where)
    if status is Status.VERIFIED and marker.startswith(_UNVERIFIED_MARKERS):
        raise fields.fail(f"{where}.status", f"marker {marker!r} cannot be verified")
    return Fact(text=text, source=key, citation=sources[key], status=status, marker=marker)


def _identifier(value: str, where: str) -> str:
    if not _ID.match(value):
        raise fields.fail(where, f"{value!r} must be lower-case letters, digits and underscores")
    return value


def _classes(document: Mapping[str, Any]) -> dict[str, str]:
    raw = fields.table(document, "classes", DRUGS_FILE)
    return {
        _identifier(key, f"{DRUGS_FILE} classes"): fields.text(raw, key, f"{DRUGS_FILE} classes")
        for key in raw
    }


def _washout(body: fields.Table, where: str, sources: Sources) -> Washout | None:
    raw = fields.optional_table(body, "washout", where)
    if raw is None:
        return None
    inner = f"{where}.washout"
    days = fields.integer(raw, "days", inner)
    if days < 1:
        raise fields.fail(f"{inner}.days", "must be at least 1")
    text = f"counts for {days} days after stopping"
    return Washout(days, sourced_fact(raw, inner, sources, text))


def _drug(key: str, raw: Any, classes: Mapping[str, str], sources: Sources) -> Drug:
    where = f"{DRUGS_FILE} drugs.{_identifier(key, f'{DRUGS_FILE} drugs')}"
    body = fields.as_table(raw, where)
    members = fields.texts(body, "classes", where, required=True)
    unknown = [c for c in members if c not in classes]
    if unknown or not members:
        problem = f"unknown class {unknown[0]!r}" if unknown else "needs at least one class"
        raise fields.fail(f"{where}.classes", problem)
    if key in classes:
        raise fields.fail(where, f"{key!r} is also a class id; drug and class ids must differ")
    text = f"{key.replace('_', ' ')}: {', '.join(members)}"
    return Drug(
        id=key,
        aliases=fields.texts(body, "aliases", where),
        classes=frozenset(members),
        washout=_washout(body, where, sources),
        fact=sourced_fact(body, where, sources, text),
    )


def _names(drugs: Mapping[str, Drug]) -> dict[str, str]:
    names: dict[str, str] = {}
    for drug in drugs.values():
        for i, name in enumerate((drug.id, *drug.aliases)):
            key = normalise(name)
            where = f"{DRUGS_FILE} drugs.{drug.id}" + ("" if i == 0 else f".aliases[{i - 1}]")
            if not key:
                raise fields.fail(where, "a name must not be empty")
            if key in names and names[key] != drug.id:
                raise fields.fail(where, f"name {name!r} already belongs to {names[key]!r}")
            if key in names and i > 0:
                raise fields.fail(where, f"name {name!r} is listed twice")
            names[key] = drug.id
    return names


def _side(body: fields.Table, key: str, where: str, known: frozenset[str]) -> frozenset[str]:
    terms = fields.texts(body, key, where, required=True)
    if not terms:
        raise fields.fail(f"{where}.{key}", "needs at least one drug or class id")
    for term in terms:
        if term not in known:
            raise fields.fail(f"{where}.{key}", f"unknown drug or class {term!r}")
    return frozenset(terms)


def _rule(index: int, raw: Any, known: frozenset[str], sources: Sources) -> InteractionRule:
    where = f"{RULES_FILE} rules[{index}]"
    body = fields.as_table(raw, where)
    rule_id = _identifier(fields.text(body, "id", where), f"{where}.id")
    where = f"{RULES_FILE} rules[{index}] ({rule_id})"
    washout = fields.optional_integer(body, "washout_days", where)
    if washout is not None and washout < 1:
        raise fields.fail(f"{where}.washout_days", "must be at least 1")
    return InteractionRule(
        id=rule_id,
        a=_side(body, "a", where, known),
        b=_side(body, "b", where, known),
        severity=fields.choice(body, "severity", where, Severity),
        mechanism=fields.choice(body, "mechanism", where, Mechanism),
        washout_days=washout,
        fact=sourced_fact(body, where, sources, fields.text(body, "reason", where)),
    )


def _rules(
    document: Mapping[str, Any], known: frozenset[str], sources: Sources
) -> tuple[InteractionRule, ...]:
    raw = fields.tables(document, "rules", RULES_FILE)
    rules = tuple(_rule(i, r, known, sources) for i, r in enumerate(raw))
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.id in seen:
            raise fields.fail(f"{RULES_FILE} rules[{i}].id", f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    return rules


def build_table(
    drugs_document: Mapping[str, Any],
    rules_document: Mapping[str, Any],
    sources: Sources,
) -> MedicationTable:
    """A checked table from parsed documents (used by the loader and by schema tests)."""
    classes = _classes(drugs_document)
    raw_drugs = fields.table(drugs_document, "drugs", DRUGS_FILE)
    drugs = {key: _drug(key, value, classes, sources) for key, value in raw_drugs.items()}
    known = frozenset(drugs) | frozenset(classes)
    return MedicationTable(
        drugs=drugs,
        classes=classes,
        rules=_rules(rules_document, known, sources),
        names=_names(drugs),
    )


@cache
def load_medication_table() -> MedicationTable:
    """The drug table and interaction rules, loaded and checked once per process."""
    return build_table(load_document(DRUGS_FILE), load_document(RULES_FILE), _sources())


def load_sources() -> dict[str, str]:
    """The source register (key → citation) the medication files cite."""
    return _sources()
