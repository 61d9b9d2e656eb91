"""Patient cards: readable (Flesch–Kincaid grade ≤ 8), honest about relative figures, complete on
safety, and never showing a statement that has not been checked against its source."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest

from tests.core.knowledge.readability import grade, syllables
from trdnav.core.knowledge import Status, TherapyKnowledge
from trdnav.core.knowledge.therapies import Fact, Therapy, therapy_card

MAX_GRADE = 8.0
EDITORIAL_MARKERS = (
    "from memory",
    "recalled",
    "not checked",
    "not yet checked",
    "not captured",
    "not confirmed",
)
RATIO_AS_CHANCE = re.compile(
    r"\b(\d+(\.\d+)?|two|three|four|five)\s+times\s+(as|more)\s+likely"
    r"|\bhalved\b|\bdoubled\b|\btwice as likely\b",
    re.IGNORECASE,
)


def text_pieces(therapy: Therapy) -> list[str]:
    """Every text field of the [patient] section."""
    p = therapy.patient
    return [
        p.how_it_works,
        *(f.text for f in p.how_well),
        *(f.text for f in p.safety),
        p.session,
        p.course,
        p.side_effects,
        *p.questions,
    ]


def patient_view(therapy: Therapy, knowledge: TherapyKnowledge) -> dict[str, Any]:
    return therapy_card(therapy, audience="patient", citations=dict(knowledge.sources))


def all_patient_text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def safety_texts(therapy_id: str, knowledge: TherapyKnowledge) -> str:
    card = patient_view(knowledge.therapy(therapy_id), knowledge)
    return " ".join(item["text"] for item in card["safety"]).lower()


def with_unverified_statements(therapy: Therapy) -> Therapy:
    unchecked = Fact("An unchecked claim.", "psychotherapy_general", "x", Status.UNVERIFIED, "m")
    patient = replace(
        therapy.patient,
        how_well=(*therapy.patient.how_well, unchecked),
        safety=(*therapy.patient.safety, unchecked),
    )
    return replace(therapy, patient=patient)


# --- readability ---------------------------------------------------------------------------


def test_the_syllable_counter_gives_dictionary_counts_for_plain_words() -> None:
    expected = {"the": 1, "table": 2, "whole": 1, "helped": 1, "people": 2, "depression": 3}
    assert {word: syllables(word) for word in expected} == expected
    assert syllables("100") == 3
    assert syllables("well-known") == 2


def test_the_grade_is_low_for_short_plain_sentences_and_high_for_long_technical_ones() -> None:
    plain = ["You sit in a chair. The coil clicks. You go home after."]
    technical = [
        "Adjunctive administration of atypical antipsychotic medication necessitates systematic "
        "cardiometabolic monitoring, including glycosylated haemoglobin and fasting lipid profiles "
        "at predetermined intervals throughout pharmacological maintenance."
    ]
    assert grade(plain) < 3
    assert grade(technical) > 20


def test_every_patient_card_reads_at_flesch_kincaid_grade_8_or_below(
    knowledge: TherapyKnowledge,
) -> None:
    too_hard = {
        t.id: round(grade(text_pieces(t)), 1)
        for t in knowledge.therapies.values()
        if grade(text_pieces(t)) > MAX_GRADE
    }
    assert not too_hard


# --- unverified statements and editorial markers ------------------------------------------


def test_a_patient_card_never_shows_an_unverified_figure_or_warning(
    knowledge: TherapyKnowledge,
) -> None:
    for therapy in knowledge.therapies.values():
        card = patient_view(therapy, knowledge)
        shown = card["how_well_it_works"] + card["safety"]
        assert all(item["status"] == "verified" for item in shown), therapy.id
        verified = [f for f in therapy.patient.how_well if f.status is Status.VERIFIED]
        assert len(card["how_well_it_works"]) == len(verified), therapy.id


def test_an_unverified_statement_added_to_a_card_is_dropped_for_patients(
    knowledge: TherapyKnowledge,
) -> None:
    therapy = with_unverified_statements(knowledge.therapy("ect"))
    card = patient_view(therapy, knowledge)
    assert "An unchecked claim." not in all_patient_text(card)


def test_clinicians_still_see_unverified_patient_statements_labelled_unverified(
    knowledge: TherapyKnowledge,
) -> None:
    therapy = with_unverified_statements(knowledge.therapy("ect"))
    info = therapy_card(therapy, audience="clinician")["patient_information"]
    shown = info["how_well_it_works"] + info["safety"]
    unchecked = [i for i in shown if i["text"] == "An unchecked claim."]
    assert len(unchecked) == 2
    assert all(i["status"] == "unverified" and i["marker"] == "m" for i in unchecked)


def test_the_free_text_of_every_patient_card_is_verified(knowledge: TherapyKnowledge) -> None:
    therapies = knowledge.therapies.values()
    unchecked = [t.id for t in therapies if t.patient.status is not Status.VERIFIED]
    assert not unchecked


def test_no_patient_card_shows_an_editorial_marker(knowledge: TherapyKnowledge) -> None:
    for therapy in knowledge.therapies.values():
        text = all_patient_text(patient_view(therapy, knowledge)).lower()
        found = [m for m in EDITORIAL_MARKERS if m in text]
        assert not found, (therapy.id, found)


# --- relative figures ----------------------------------------------------------------------


def test_the_ratio_check_catches_an_odds_ratio_told_as_a_chance() -> None:
    assert RATIO_AS_CHANCE.search("were more than 3 times as likely to improve")
    assert RATIO_AS_CHANCE.search("continuing roughly halved the chance of relapse")
    assert not RATIO_AS_CHANCE.search("about 3 times the odds of improving a lot")


def test_no_patient_card_turns_a_ratio_into_times_as_likely(knowledge: TherapyKnowledge) -> None:
    for therapy in knowledge.therapies.values():
        for piece in text_pieces(therapy):
            assert not RATIO_AS_CHANCE.search(piece), (therapy.id, piece)


def test_the_cbt_card_states_its_odds_ratio_as_odds_and_explains_it(
    knowledge: TherapyKnowledge,
) -> None:
    card = patient_view(knowledge.therapy("cbt"), knowledge)
    text = " ".join(f["text"] for f in card["how_well_it_works"])
    assert "3 times the odds" in text
    assert "Odds are not the same as chances" in text


# --- safety content ------------------------------------------------------------------------


def test_the_esketamine_card_warns_patients_about_pregnancy_as_the_label_does(
    knowledge: TherapyKnowledge,
) -> None:
    text = safety_texts("esketamine", knowledge)
    assert "may harm an unborn baby" in text
    assert "not recommended in pregnancy" in text
    assert "treatment should be stopped" in text


def test_the_lithium_card_warns_patients_about_pregnancy_with_absolute_numbers(
    knowledge: TherapyKnowledge,
) -> None:
    text = safety_texts("aug_lithium", knowledge)
    assert "lithium may harm an unborn baby" in text
    assert "about 2 in 100 babies" in text and "about 1 in 100 babies" in text


def test_the_tricyclic_card_warns_that_an_overdose_can_kill(knowledge: TherapyKnowledge) -> None:
    text = safety_texts("switch_tca", knowledge)
    assert "overdose of a tricyclic is very dangerous" in text
    assert "caused death" in text


def test_the_maoi_card_names_the_diet_and_the_medicines_to_avoid(
    knowledge: TherapyKnowledge,
) -> None:
    text = safety_texts("switch_maoi", knowledge)
    assert "tyramine" in text and "aged cheese" in text
    assert "many medicines react badly" in text
    assert "sudden, severe headache" in text


def test_the_ect_card_describes_memory_effects(knowledge: TherapyKnowledge) -> None:
    text = safety_texts("ect", knowledge)
    assert "memory" in text and "first few days" in text
    assert "lose memories of events" in text


def test_the_ketamine_card_warns_about_dissociation_blood_pressure_and_misuse(
    knowledge: TherapyKnowledge,
) -> None:
    text = safety_texts("ketamine_iv", knowledge)
    assert "blood pressure" in text and "detached" in text and "misused" in text


@pytest.mark.parametrize(
    "therapy_id",
    [
        "aug_aripiprazole",
        "aug_brexpiprazole",
        "aug_cariprazine",
        "aug_quetiapine_xr",
        "olanzapine_fluoxetine",
    ],
)
def test_every_antipsychotic_add_on_card_warns_about_weight_and_blood_sugar(
    therapy_id: str, knowledge: TherapyKnowledge
) -> None:
    text = safety_texts(therapy_id, knowledge)
    assert "weight" in text and "blood sugar" in text


def test_the_lorazepam_card_warns_about_breathing_with_opioids(knowledge: TherapyKnowledge) -> None:
    text = safety_texts("lorazepam_challenge", knowledge)
    assert "opioid" in text and "breathing" in text


# --- what DBT and ACT involve week by week -------------------------------------------------


def test_the_dbt_card_says_what_each_week_involves_and_how_long_it_lasts(
    knowledge: TherapyKnowledge,
) -> None:
    card = patient_view(knowledge.therapy("dbt"), knowledge)
    week = card["what_a_session_is_like"].lower()
    assert "once a week" in week and "skills class" in week and "phone coaching" in week
    assert "practise the skills at home" in week
    assert "6 months" in card["how_many_sessions"]


def test_the_act_card_says_what_each_week_involves_and_how_long_it_lasts(
    knowledge: TherapyKnowledge,
) -> None:
    card = patient_view(knowledge.therapy("act"), knowledge)
    week = card["what_a_session_is_like"].lower()
    assert "each week" in week and "homework" in week
    assert "8 weekly" in card["how_many_sessions"]


def test_every_sourced_statement_on_a_patient_card_names_a_source_in_its_sources_list(
    knowledge: TherapyKnowledge,
) -> None:
    for therapy in knowledge.therapies.values():
        listed = set(therapy.patient.sources)
        for fact in (*therapy.patient.how_well, *therapy.patient.safety):
            assert fact.source in listed, (therapy.id, fact.source)


def test_no_clinician_statement_tells_an_odds_ratio_as_times_as_likely(
    knowledge: TherapyKnowledge,
) -> None:
    for therapy in knowledge.therapies.values():
        for fact in therapy.all_facts():
            assert not RATIO_AS_CHANCE.search(fact.text), (therapy.id, fact.text)
