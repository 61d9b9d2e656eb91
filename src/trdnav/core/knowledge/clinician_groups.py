"""How the clinician chart groups next-step options (``data/guide/clinician_groups.toml``).

The kinds a clinician plans in (neuromodulation, ketamine family, medication strategies,
psychotherapies, lifestyle, investigational). Every therapy lands in exactly one group: its
id's when listed, else "investigational" when the therapy is investigational, else its
category's. The patient guide groups the same therapies differently, for patients
(``patient_guide.py``). Presentation only: grouping never changes an option's status or rank.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import load_document
from trdnav.core.knowledge.therapies import Category, Therapy, TherapyKnowledge, load_therapies

GROUPS_FILE = "guide/clinician_groups.toml"


@dataclass(frozen=True)
class OptionGroup:
    id: str
    title: str


@dataclass(frozen=True)
class ClinicianGroups:
    groups: tuple[OptionGroup, ...]
    by_category: Mapping[str, str]
    by_id: Mapping[str, str]
    investigational_group: str

    def group_of(self, therapy: Therapy) -> str:
        """The one group a therapy is listed under."""
        if therapy.id in self.by_id:
            return self.by_id[therapy.id]
        if therapy.investigational:
            return self.investigational_group
        return self.by_category[therapy.category.value]

    def title_of(self, group_id: str) -> str:
        return next(g.title for g in self.groups if g.id == group_id)


def _strings(raw: fields.Table, where: str) -> dict[str, str]:
    return {str(key): fields.text(raw, str(key), where) for key in raw}


def parse_groups(document: fields.Table, where: str = GROUPS_FILE) -> ClinicianGroups:
    grouping = fields.table(document, "grouping", where)
    return ClinicianGroups(
        groups=tuple(
            OptionGroup(fields.text(g, "id", where), fields.text(g, "title", where))
            for g in fields.tables(document, "groups", where)
        ),
        by_category=_strings(fields.table(grouping, "by_category", where), f"{where} by_category"),
        by_id=_strings(grouping.get("by_id", {}), f"{where} by_id"),
        investigational_group=fields.text(grouping, "investigational", f"{where} [grouping]"),
    )


def problems(groups: ClinicianGroups, knowledge: TherapyKnowledge) -> list[str]:
    """Everything wrong between the grouping and the therapy knowledge base (empty if sound)."""
    known = {group.id for group in groups.groups}
    found = [f"group {g.id!r} listed twice" for g in groups.groups if g.id in _twice(groups)]
    targets = [*groups.by_category.values(), *groups.by_id.values(), groups.investigational_group]
    found += [f"unknown group {g!r}" for g in targets if g not in known]
    found += [f"category {c.value} has no group" for c in Category if c not in groups.by_category]
    found += [f"unknown therapy {t!r}" for t in groups.by_id if t not in knowledge.therapies]
    return found


def _twice(groups: ClinicianGroups) -> set[str]:
    ids = [g.id for g in groups.groups]
    return {i for i in ids if ids.count(i) > 1}


@cache
def load_clinician_groups() -> ClinicianGroups:
    """The validated grouping; raises KnowledgeBaseError naming the problems."""
    groups = parse_groups(load_document(GROUPS_FILE))
    found = problems(groups, load_therapies())
    if found:
        raise fields.fail(GROUPS_FILE, "; ".join(found))
    return groups
