"""`trdnav therapies show ID --audience patient` for the options added with the patient cards."""

from __future__ import annotations

from tests.cli.test_clinical_options import run


def test_therapies_show_lorazepam_challenge_for_a_patient_gives_the_catatonia_card() -> None:
    code, out = run("therapies", "show", "lorazepam_challenge", "--audience", "patient")
    assert code == 0
    assert out["audience"] == "patient"
    assert "catatonia" in out["how_it_works"].lower()
    assert any("opioid" in w["text"] for w in out["safety"])
    assert all(item["status"] == "verified" for item in out["how_well_it_works"] + out["safety"])


def test_therapies_show_dietary_improvement_for_a_patient_gives_the_smiles_figures() -> None:
    code, out = run("therapies", "show", "dietary_improvement", "--audience", "patient")
    assert code == 0
    figures = [f["text"] for f in out["how_well_it_works"]]
    assert any("32 in 100" in text and "8 in 100" in text for text in figures)


def test_therapies_show_for_a_clinician_keeps_unverified_patient_statements_labelled() -> None:
    code, out = run("therapies", "show", "switch_maoi")
    assert code == 0
    info = out["patient_information"]
    assert info["safety"] and all("marker" in item for item in info["safety"])
