"""The patient guide's data (data/guide/patient_guide.toml): every therapy in exactly one of the
groups patients think in, a plain title and summary for each, and pictures that only ever
show a verified figure of the therapy's own card."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from tests.core.knowledge.readability import grade
from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import Status, TherapyKnowledge
from trdnav.core.knowledge.loader import load_document
from trdnav.core.knowledge.patient_guide import (
    IconArray,
    PatientGuide,
    Phase,
    Schedule,
    leaves_out_unverified,
    load_patient_guide,
    parse_guide,
    problems,
)
from trdnav.core.knowledge.therapies import Category

GROUPS = (
    ("medicines", "Medicines"),
    ("ketamine", "Ketamine and esketamine"),
    ("brain_stimulation", "Brain stimulation (TMS, ECT, VNS)"),
    ("talking", "Talking therapies"),
    ("lifestyle", "Lifestyle and support"),
    ("being_studied", "Still being studied"),
)
MAX_GRADE = 8.0


@pytest.fixture(scope="module")
def guide() -> PatientGuide:
    return load_patient_guide()


def test_the_groups_are_the_ones_patients_think_in_in_page_order(guide: PatientGuide) -> None:
    assert tuple((g.id, g.title) for g in guide.groups) == GROUPS


def test_every_therapy_lands_in_exactly_one_group(
    guide: PatientGuide, knowledge: TherapyKnowledge
) -> None:
    listed = Counter(shown.therapy_id for _, items in guide.sections(knowledge) for shown in items)
    assert set(listed) == set(knowledge.therapies)
    assert set(listed.values()) == {1}
    group_ids = {g.id for g in guide.groups}
    assert all(guide.group_of(t) in group_ids for t in knowledge.therapies.values())


def test_every_category_has_a_group_and_investigational_ones_are_still_being_studied(
    guide: PatientGuide, knowledge: TherapyKnowledge
) -> None:
    assert set(guide.by_category) == {c.value for c in Category}
    studied = [t for t in knowledge.therapies.values() if t.investigational]
    assert studied and all(guide.group_of(t) == "being_studied" for t in studied)
    assert guide.group_of(knowledge.therapy("ketamine_iv")) == "ketamine"
    assert guide.group_of(knowledge.therapy("ect")) == "brain_stimulation"
    assert guide.group_of(knowledge.therapy("vns")) == "brain_stimulation"


def test_an_id_listed_in_by_id_wins_over_its_category(
    guide: PatientGuide, knowledge: TherapyKnowledge
) -> None:
    moved = replace(guide, by_id={"exercise": "talking"})
    assert moved.group_of(knowledge.therapy("exercise")) == "talking"
    assert problems(moved, knowledge) == []


def test_titles_and_summaries_are_plain_and_short(guide: PatientGuide) -> None:
    for shown in guide.therapies.values():
        assert len(shown.title) <= 60, shown.therapy_id
        assert len(shown.summary) <= 120 and "\n" not in shown.summary, shown.therapy_id
        assert grade(shown.summary) <= MAX_GRADE + 2, shown.therapy_id


def test_each_picture_quotes_a_verified_statement_of_its_own_card(
    guide: PatientGuide, knowledge: TherapyKnowledge
) -> None:
    assert problems(guide, knowledge) == []
    ketamine = guide.therapies["ketamine_iv"]
    assert ketamine.icons[0].alt == "55 in 100 people improved a lot with ketamine"
    esketamine = guide.therapies["esketamine"].schedule
    assert esketamine is not None
    assert esketamine.describe() == "2 visits a week for 4 weeks, then 1 visit a week for 4 weeks"


def test_an_icon_array_for_an_unverified_figure_is_refused(
    guide: PatientGuide, knowledge: TherapyKnowledge
) -> None:
    therapy = knowledge.therapy("ketamine_iv")
    unchecked = tuple(replace(f, status=Status.UNVERIFIED) for f in therapy.patient.how_well)
    edited_therapy = replace(therapy, patient=replace(therapy.patient, how_well=unchecked))
    edited = replace(knowledge, therapies={**knowledge.therapies, "ketamine_iv": edited_therapy})
    assert any("ketamine_iv: icon" in problem for problem in problems(guide, edited))


def test_an_icon_whose_number_is_not_in_its_quote_is_refused(
    guide: PatientGuide, knowledge: TherapyKnowledge
) -> None:
    shown = guide.therapies["ketamine_iv"]
    wrong = IconArray(60, "improved", shown.icons[0].from_text)
    edited = replace(
        guide, therapies={**guide.therapies, "ketamine_iv": replace(shown, icons=(wrong,))}
    )
    assert problems(edited, knowledge) == [
        "ketamine_iv: icon '60 in 100 people improved' not in a verified statement"
    ]


def test_a_schedule_not_quoted_from_the_cards_course_is_refused(
    guide: PatientGuide, knowledge: TherapyKnowledge
) -> None:
    shown = guide.therapies["cbt"]
    invented = Schedule((Phase(3, 4, "session"),), "Three sessions a week.")
    edited = replace(guide, therapies={**guide.therapies, "cbt": replace(shown, schedule=invented)})
    assert problems(edited, knowledge) == ["cbt: schedule text not in the card's course"]


def test_a_therapy_without_a_title_or_an_unknown_group_is_reported(
    guide: PatientGuide, knowledge: TherapyKnowledge
) -> None:
    missing = {k: v for k, v in guide.therapies.items() if k != "ect"}
    assert "ect: no title and summary" in problems(replace(guide, therapies=missing), knowledge)
    wrong = replace(guide, by_category={**guide.by_category, "ect": "surgery"})
    assert "unknown group 'surgery'" in problems(wrong, knowledge)


def test_a_malformed_picture_is_a_knowledge_base_error() -> None:
    document = dict(load_document("guide/patient_guide.toml"))
    entry = dict(document["therapies"]["rtms"])
    entry["schedule"] = {"from_text": "x", "phases": [{"per_week": 8, "weeks": 4, "unit": "s"}]}
    document["therapies"] = {**document["therapies"], "rtms": entry}
    with pytest.raises(KnowledgeBaseError, match=r"rtms\.schedule\.phases"):
        parse_guide(document)


def test_phases_say_their_schedule_in_words() -> None:
    assert Phase(1, 8, "group session").describe() == "1 group session a week for 8 weeks"
    assert (
        Phase(5, 4, "session", 6).describe() == "5 sessions a week for 4 weeks (sometimes up to 6)"
    )
    assert (
        Schedule((Phase(5, 1, "day"),), "x", label="5 days in a row").describe()
        == "5 days in a row"
    )


def test_a_card_with_unchecked_statements_is_flagged_for_one_notice(
    knowledge: TherapyKnowledge,
) -> None:
    therapy = knowledge.therapy("ect")
    assert not leaves_out_unverified(therapy)
    fact = replace(therapy.patient.how_well[0], status=Status.UNVERIFIED)
    edited = replace(therapy, patient=replace(therapy.patient, how_well=(fact,)))
    assert leaves_out_unverified(edited)
    assert leaves_out_unverified(
        replace(therapy, patient=replace(therapy.patient, status=Status.UNVERIFIED))
    )


def test_the_self_check_has_a_plain_sentence_for_every_phq9_band(guide: PatientGuide) -> None:
    from trdnav.core.instruments import get_instrument

    scheme = get_instrument("phq9").definition.default_scheme()
    assert scheme is not None
    assert set(guide.band_texts) == {band.code for band in scheme.bands}
