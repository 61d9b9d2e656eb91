"""The clinician chart's option groups (data/guide/clinician_groups.toml): the kinds clinicians
plan in, and every therapy in exactly one of them (policy P-CH3)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import TherapyKnowledge
from trdnav.core.knowledge.clinician_groups import (
    ClinicianGroups,
    load_clinician_groups,
    parse_groups,
    problems,
)
from trdnav.core.knowledge.loader import load_document
from trdnav.core.knowledge.therapies import Category

GROUPS = (
    ("neuromodulation", "Neuromodulation"),
    ("ketamine_family", "Ketamine family"),
    ("medication", "Medication strategies"),
    ("psychotherapy", "Psychotherapies"),
    ("lifestyle", "Lifestyle"),
    ("investigational", "Investigational"),
)


@pytest.fixture(scope="module")
def groups() -> ClinicianGroups:
    return load_clinician_groups()


def test_the_groups_are_the_kinds_clinicians_plan_in_in_page_order(
    groups: ClinicianGroups,
) -> None:
    assert tuple((g.id, g.title) for g in groups.groups) == GROUPS


def test_every_therapy_lands_in_exactly_one_group(
    groups: ClinicianGroups, knowledge: TherapyKnowledge
) -> None:
    group_ids = [g.id for g in groups.groups]
    placed = Counter(t.id for t in knowledge.therapies.values() if groups.group_of(t) in group_ids)
    assert set(placed) == set(knowledge.therapies)
    assert set(placed.values()) == {1}
    assert len(set(group_ids)) == len(group_ids)


def test_the_kinds_of_some_well_known_therapies(
    groups: ClinicianGroups, knowledge: TherapyKnowledge
) -> None:
    expected = {
        "ect": "neuromodulation",
        "vns": "neuromodulation",
        "rtms": "neuromodulation",
        "ketamine_iv": "ketamine_family",
        "esketamine": "ketamine_family",
        "aug_lithium": "medication",
        "switch_maoi": "medication",
        "combo_mirtazapine": "medication",
        "cbt": "psychotherapy",
        "exercise": "lifestyle",
        "psilocybin": "investigational",
        "dbs": "investigational",
    }
    assert {k: groups.group_of(knowledge.therapy(k)) for k in expected} == expected
    studied = [t for t in knowledge.therapies.values() if t.investigational]
    assert studied and all(groups.group_of(t) == "investigational" for t in studied)


def test_an_id_listed_in_by_id_wins_and_wrong_data_is_named(
    groups: ClinicianGroups, knowledge: TherapyKnowledge
) -> None:
    moved = replace(groups, by_id={"exercise": "psychotherapy"})
    assert moved.group_of(knowledge.therapy("exercise")) == "psychotherapy"
    assert problems(moved, knowledge) == []
    assert problems(groups, knowledge) == []
    wrong = replace(groups, by_category={**groups.by_category, "ect": "surgery"})
    assert "unknown group 'surgery'" in problems(wrong, knowledge)
    missing = {k: v for k, v in groups.by_category.items() if k != Category.LIFESTYLE.value}
    assert "category lifestyle has no group" in problems(
        replace(groups, by_category=missing), knowledge
    )
    ghost = replace(groups, by_id={"no_such_therapy": "lifestyle"})
    assert "unknown therapy 'no_such_therapy'" in problems(ghost, knowledge)
    assert groups.title_of("medication") == "Medication strategies"


def test_a_group_without_a_title_is_a_knowledge_base_error() -> None:
    document = dict(load_document("guide/clinician_groups.toml"))
    document["groups"] = [{"id": "neuromodulation"}]
    with pytest.raises(KnowledgeBaseError, match="title"):
        parse_groups(document)
