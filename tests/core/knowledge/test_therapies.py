"""The therapy knowledge base: complete, sourced, honest about status, internally consistent."""

from __future__ import annotations

import pytest

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import Status, TherapyKnowledge
from trdnav.core.knowledge.therapies import Fact, Figure, Gap, SideEffect, Therapy, parse_basic
from trdnav.core.medications import load_medication_table

REQUIRED_THERAPIES = {
    "ketamine_iv", "esketamine", "rtms", "itbs", "deep_tms", "snt", "ect",
    "cbt", "cbasp", "mbct", "behavioural_activation", "dbt", "act", "ipt",
    "aug_aripiprazole", "aug_brexpiprazole", "aug_cariprazine", "aug_quetiapine_xr",
    "aug_lithium", "aug_t3", "olanzapine_fluoxetine", "combo_mirtazapine", "combo_bupropion",
    "switch_antidepressant", "switch_tca", "switch_maoi",
    "exercise", "omega3_epa", "peer_support", "chronotherapy", "bright_light",
    "vns", "psilocybin", "dbs",
    "lorazepam_challenge", "dietary_improvement",
}  # fmt: skip
SECTIONS = (
    "mechanism",
    "efficacy",
    "time_to_effect",
    "durability",
    "side_effects",
    "monitoring",
    "regulatory",
    "guidelines",
)
PROTOCOL_PARTS = ("setting", "session_length", "number_and_frequency", "anaesthesia", "recovery")
ISSUE_FACT_CODES = {
    "psychotic_features", "high_suicide_risk", "catatonia", "refusing_food_or_fluids",
    "bipolar_disorder", "history_of_psychosis", "active_substance_use_disorder",
    "uncontrolled_hypertension", "aneurysm_or_avm", "recent_mi_or_stroke",
    "raised_intracranial_pressure", "seizure_disorder", "ferromagnetic_implant_head",
    "cochlear_implant", "implanted_stimulator", "pregnancy", "cognitive_impairment", "maoi_current",
}  # fmt: skip


def therapies(knowledge: TherapyKnowledge) -> list[Therapy]:
    return list(knowledge.therapies.values())


def test_every_therapy_the_issue_names_is_in_the_knowledge_base(
    knowledge: TherapyKnowledge,
) -> None:
    assert set(knowledge.therapies) >= REQUIRED_THERAPIES


def test_every_therapy_has_every_section_filled_or_an_explicit_gap(
    knowledge: TherapyKnowledge,
) -> None:
    for therapy in therapies(knowledge):
        for section in SECTIONS:
            assert getattr(therapy, section), f"{therapy.id}.{section}"
        for part in PROTOCOL_PARTS:
            assert getattr(therapy.protocol, part), f"{therapy.id}.protocol.{part}"
        assert therapy.patient.how_well and therapy.patient.questions, therapy.id


def test_every_therapy_states_at_least_one_sourced_efficacy_figure_or_says_why_not(
    knowledge: TherapyKnowledge,
) -> None:
    for therapy in therapies(knowledge):
        figures = [f for f in therapy.efficacy if isinstance(f, Figure)]
        gaps = [f for f in therapy.efficacy if isinstance(f, Gap)]
        assert figures or gaps, therapy.id


def test_every_figure_has_a_known_source_its_exact_citation_and_a_status(
    knowledge: TherapyKnowledge,
) -> None:
    for therapy in therapies(knowledge):
        for fact in therapy.all_facts():
            assert fact.source in knowledge.sources, (therapy.id, fact.source)
            assert fact.citation == knowledge.sources[fact.source]
            assert fact.status in (Status.VERIFIED, Status.UNVERIFIED)
            assert fact.marker


def test_a_from_memory_fact_is_never_stored_as_verified(knowledge: TherapyKnowledge) -> None:
    for therapy in therapies(knowledge):
        for fact in therapy.all_facts():
            if fact.marker.startswith("from memory"):
                assert fact.status is Status.UNVERIFIED, (therapy.id, fact.text)


def test_a_file_claims_verified_only_when_every_fact_in_it_is_verified(
    knowledge: TherapyKnowledge,
) -> None:
    for therapy in therapies(knowledge):
        if therapy.provenance.status is Status.VERIFIED:
            assert all(f.status is Status.VERIFIED for f in therapy.all_facts()), therapy.id


def test_every_side_effect_gives_a_frequency_or_says_it_is_not_quantified(
    knowledge: TherapyKnowledge,
) -> None:
    for therapy in therapies(knowledge):
        for harm in therapy.side_effects:
            assert isinstance(harm, Gap) or (isinstance(harm, SideEffect) and harm.frequency), (
                therapy.id
            )


def test_every_id_referenced_by_a_rule_exists(knowledge: TherapyKnowledge) -> None:
    for rule in knowledge.urgency:
        assert set(rule.therapies) <= set(knowledge.therapies), rule.id
    for therapy in therapies(knowledge):
        rule_ids = [rule.id for rule in therapy.rules]
        assert len(rule_ids) == len(set(rule_ids)), therapy.id
    for therapy in therapies(knowledge):
        owners = (therapy.id, *therapy.rule_sets)
        assert all(rule.id.split(".")[0] in owners for rule in therapy.rules), therapy.id


def test_every_code_a_rule_uses_is_in_the_vocabulary(knowledge: TherapyKnowledge) -> None:
    vocab = knowledge.vocabulary
    table = load_medication_table()
    conditions = [r.when for t in therapies(knowledge) for r in t.rules] + [
        u.when for u in knowledge.urgency
    ]
    conditions += [f.when for f in knowledge.ranking.history_factors]
    for when in conditions:
        assert set(when.facts_any) <= set(vocab.facts) | set(vocab.groups)
        assert set(when.preferences_any) <= set(vocab.preferences)
        assert set(when.medication_classes_any) <= set(table.drugs) | set(table.classes)


def test_the_vocabulary_has_every_fact_code_the_issue_lists(knowledge: TherapyKnowledge) -> None:
    assert set(knowledge.vocabulary.facts) >= ISSUE_FACT_CODES
    assert {"avoid_anaesthesia", "avoid_medication", "limited_time", "needs_rapid_relief"} <= set(
        knowledge.vocabulary.preferences
    )


def test_investigational_options_are_flagged(knowledge: TherapyKnowledge) -> None:
    for therapy_id in ("psilocybin", "dbs", "nitrous_oxide"):
        assert knowledge.therapy(therapy_id).investigational
    assert not knowledge.therapy("cbt").investigational


def test_every_history_match_names_a_kind_of_the_history_schema(
    knowledge: TherapyKnowledge,
) -> None:
    kinds = {
        "antidepressant",
        "augmentation",
        "ect",
        "tms",
        "ketamine",
        "esketamine",
        "psychotherapy",
    }
    for therapy in therapies(knowledge):
        assert {m.kind for m in therapy.history_match} <= kinds, therapy.id


def test_a_fact_marked_from_memory_cannot_be_loaded_as_verified() -> None:
    raw = {"text": "x", "source": "s", "status": "verified", "marker": "from memory"}
    with pytest.raises(KnowledgeBaseError, match="cannot be verified"):
        parse_basic.fact(raw, "here", {"s": "Some 2020"})


def test_a_fact_with_an_unknown_source_key_is_refused() -> None:
    raw = {"text": "x", "source": "invented2099", "status": "unverified", "marker": "from memory"}
    with pytest.raises(KnowledgeBaseError, match="unknown source key"):
        parse_basic.fact(raw, "here", {"s": "Some 2020"})


def test_an_empty_section_is_refused_so_silence_must_be_an_explicit_gap() -> None:
    with pytest.raises(KnowledgeBaseError, match="non-empty list"):
        parse_basic.entries({"mechanism": []}, "mechanism", "here", {})


def test_a_gap_entry_is_accepted_as_an_honest_statement_of_silence() -> None:
    (entry,) = parse_basic.entries({"mechanism": [{"gap": "not covered"}]}, "mechanism", "here", {})
    assert entry == Gap("not covered")
    assert not isinstance(entry, Fact)
