"""Shared rule sets (``data/therapies/_rule_sets/<name>.toml``), written once per therapy family.

A file holds ``[provenance]`` and ``[[rules]]`` whose ids start with ``<name>.``; a therapy
inherits them by listing the name in ``[therapy] rule_sets``. Unknown names and duplicate rule
ids are load errors (see ``parse_therapy._rules``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import data_dir, load_document, parse_provenance
from trdnav.core.knowledge.therapies import parse_basic as p
from trdnav.core.knowledge.therapies.parse_therapy import RuleSets, rule
from trdnav.core.knowledge.therapies.schema import Rule

RULE_SET_DIR = "therapies/_rule_sets"


def rule_set(body: Mapping[str, Any], name: str, sources: p.Sources) -> tuple[Rule, ...]:
    where = f"{RULE_SET_DIR}/{name}.toml"
    parse_provenance(body.get("provenance"), where)
    unknown = set(body) - {"provenance", "rules"}
    if unknown:
        raise fields.fail(where, f"unknown tables {sorted(unknown)}; allowed: provenance, rules")
    return tuple(
        rule(v, f"{where}.rules[{i}]", sources, name)
        for i, v in enumerate(p.items(body, "rules", where))
    )


def load_rule_sets(sources: p.Sources) -> RuleSets:
    """Every rule set by name (an absent folder means none)."""
    folder = data_dir() / RULE_SET_DIR
    found = {}
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        name = path.stem
        if not name.isidentifier():
            raise KnowledgeBaseError(f"{RULE_SET_DIR}/{path.name}: name must be an identifier")
        found[name] = rule_set(load_document(f"{RULE_SET_DIR}/{path.name}"), name, sources)
    return found
