"""The label-grade rule sets as data: each is used, each label-grade effect cites a document that
was read, and the rule set kept for the lorazepam challenge says what the Beers criteria say."""

from __future__ import annotations

from trdnav.core.knowledge import load_therapies
from trdnav.core.knowledge.therapies.schema import RuleEffect

# Sources that record statements from memory or the evidence file's own assessment.
GENERAL_SOURCES = {
    "pharmacology_general",
    "psychotherapy_general",
    "lifestyle_general",
    "investigational_general",
    "evidence_file_assessment",
    "tms_safety_guidelines",
}
LABEL_GRADE = {RuleEffect.NOT_APPROVED, RuleEffect.AVOID}


def test_every_rule_set_is_listed_by_a_therapy_except_one_waiting_for_its_option() -> None:
    knowledge = load_therapies()
    listed = {name for therapy in knowledge.therapies.values() for name in therapy.rule_sets}
    unused = set(knowledge.rule_sets) - listed
    if "lorazepam_challenge" in knowledge.therapies:
        assert unused == set()
    else:
        assert unused <= {"benzodiazepine"}


def test_not_approved_and_avoid_rules_cite_a_document_that_was_read() -> None:
    knowledge = load_therapies()
    rules = [r for t in knowledge.therapies.values() for r in t.rules] + [
        r for rs in knowledge.rule_sets.values() for r in rs
    ]
    label_grade = [r for r in rules if r.effect in LABEL_GRADE]
    assert label_grade
    for rule in label_grade:
        assert rule.fact.source not in GENERAL_SOURCES, rule.id


def test_absolute_contraindications_in_rule_sets_cite_a_label_or_device_document() -> None:
    knowledge = load_therapies()
    for rules in knowledge.rule_sets.values():
        for rule in rules:
            if rule.effect is RuleEffect.ABSOLUTE_CONTRAINDICATION:
                assert rule.fact.source not in GENERAL_SOURCES, rule.id


def test_the_benzodiazepine_set_says_avoid_from_65_on_the_beers_criteria() -> None:
    (rule,) = load_therapies().rule_sets["benzodiazepine"]
    assert rule.id == "benzodiazepine.beers_older_adults"
    assert rule.effect is RuleEffect.AVOID
    assert rule.when.age_at_least == 65
    assert rule.fact.source == "ags_beers2023"
