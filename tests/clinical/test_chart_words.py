"""The chart's texts in words (P-WD1, P-WD2): the engine's reason texts, treatment details,
and citations shortened to a reference with a numbered source note. Pure."""

from __future__ import annotations

from typing import Any

from trdnav.clinical.lifechart import treatment_label
from trdnav.clinical.notes import Notes, cite, short_reference
from trdnav.clinical.present import reason_words
from trdnav.clinical.words import detail_words, evidence_words


def test_evidence_tiers_and_treatment_details_are_named() -> None:
    assert evidence_words("trd_rct_strong") == "strong randomised-trial evidence in TRD"
    assert evidence_words("trd rct some") == "some randomised-trial evidence in TRD"
    assert detail_words("rtms") == "rTMS"
    assert detail_words("right_unilateral") == "right unilateral"
    assert detail_words("bupropion_sr") == "bupropion SR"


def test_the_life_chart_names_a_treatment_without_saying_its_kind_twice() -> None:
    assert treatment_label({"kind": "tms", "protocol": "rtms"}) == "rTMS"
    assert treatment_label({"kind": "tms", "protocol": "accelerated_itbs"}) == (
        "accelerated iTBS (TMS)"
    )
    assert treatment_label({"kind": "psychotherapy", "modality": "cbt"}) == "CBT (psychotherapy)"


def test_engine_reasons_are_said_in_words_with_their_policy_keys_apart() -> None:
    assert reason_words("Evidence (trd rct strong): CoBalT trial.") == (
        "Evidence, strong randomised-trial evidence in TRD: CoBalT trial.",
        [],
    )
    said = (
        "Already tried in this episode without adequate response: "
        "ect (laterality right_unilateral; trial ect)."
    )
    assert reason_words(said)[0].endswith("response: right unilateral ECT course.")
    related = (
        "A related treatment already failed in this episode: augmentation (agent aripiprazole, "
        "group second_generation_antipsychotic; trial t-3). Counts only on stage IV (P-B2)."
    )
    assert reason_words(related) == (
        "A related treatment already failed in this episode: aripiprazole augmentation. "
        "Counts only on stage IV.",
        ["P-B2"],
    )
    assert reason_words("Failed: esketamine (trial e1).")[0] == "Failed: esketamine course."
    assert reason_words("Nasal esketamine (Spravato).")[0] == "Nasal esketamine (Spravato)."


def test_a_citation_becomes_a_short_reference_and_a_numbered_note() -> None:
    assert short_reference("Lenze 2023, N Engl J Med 388(12), PMID 36867173") == "Lenze 2023"
    assert short_reference("TRD evidence fact sheet (evidence_notes) §5, general") == (
        "TRD evidence fact sheet §5"
    )
    assert short_reference("PMID 123, a trial") == "source"
    notes = Notes()
    first: dict[str, Any] = {"text": "x", "citation": "Lenze 2023, PMID 1", "policies": ["P-B2"]}
    again: dict[str, Any] = {"text": "y", "source": "Lenze 2023, PMID 1"}
    cite(first, notes)
    cite(again, notes)
    assert (first["cite"], first["refs"]) == ("Lenze 2023", [{"number": 1}, {"number": 2}])
    assert again["refs"] == [{"number": 1}]
    assert notes.listed() == [
        {"number": 1, "text": "Source: Lenze 2023, PMID 1"},
        {"number": 2, "text": "Clinical policy P-B2"},
    ]
