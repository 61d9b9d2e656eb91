"""``trdnav options`` and ``trdnav therapies`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.core.recommend import personas
from trdnav.cli import app

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, json.loads(result.stdout)


def test_options_prints_every_option_with_status_rank_reasons_and_citations(tmp_path: Path) -> None:
    patient = tmp_path / "patient.json"
    patient.write_text(json.dumps(personas.ANA_PSYCHOTIC_AND_SUICIDAL))
    code, out = run("options", "--input", str(patient), "--as-of", "2024-10-01")
    assert code == 0
    first = out["options"][0]
    assert (first["id"], first["urgent"], first["rank"]) == ("ect", True, 1)
    assert {"id", "name", "status", "urgent", "rank", "reasons", "citations"} <= set(first)
    assert out["knowledge_version"].startswith("kb-")
    assert {"trd_status", "stage"} <= set(out)


def test_options_exits_2_and_lists_known_codes_for_an_unknown_fact() -> None:
    code, out = run("options", stdin=json.dumps({"facts": ["sad"]}))
    assert code == 2
    assert out["errors"][0]["field"] == "facts[0]"
    assert "psychotic_features" in out["errors"][0]["message"]


def test_options_exits_2_for_an_unknown_preference_listing_the_known_ones() -> None:
    code, out = run("options", stdin=json.dumps({"preferences": ["fast"]}))
    assert code == 2
    assert out["errors"][0]["field"] == "preferences[0]"
    assert "needs_rapid_relief" in out["errors"][0]["message"]


def test_options_lists_an_unknown_fact_and_an_unknown_preference_together() -> None:
    code, out = run("options", stdin=json.dumps({"facts": ["sad"], "preferences": ["fast"]}))
    assert code == 2
    assert [e["field"] for e in out["errors"]] == ["facts[0]", "preferences[0]"]


def test_options_refuses_a_malformed_as_of_date() -> None:
    code, out = run("options", "--as-of", "yesterday", stdin="{}")
    assert code == 2
    assert out["errors"][0]["field"] == "as_of"


def test_explain_ranking_shows_the_factors_and_weights() -> None:
    code, out = run("options", "--as-of", "2024-10-01", "--explain-ranking", stdin="{}")
    assert code == 0
    assert (
        out["ranking"]["evidence_tier"]["trd_rct_strong"]
        > out["ranking"]["evidence_tier"]["mdd_only"]
    )


def test_therapies_lists_every_therapy_id() -> None:
    code, out = run("therapies")
    assert code == 0
    assert {"ect", "esketamine", "cbt", "vns"} <= {t["id"] for t in out["therapies"]}


def test_therapies_show_gives_the_clinician_card_with_every_section() -> None:
    code, out = run("therapies", "show", "esketamine")
    assert code == 0
    assert {
        "mechanism",
        "efficacy",
        "protocol",
        "side_effects",
        "contraindications_and_rules",
    } <= set(out)
    assert all("citation" in f or "gap" in f for f in out["efficacy"])


def test_therapies_show_for_a_patient_gives_plain_language_with_sources() -> None:
    code, out = run("therapies", "show", "ect", "--audience", "patient")
    assert code == 0
    assert out["audience"] == "patient"
    assert out["how_well_it_works"][0]["citation"]
    assert out["questions_to_ask_your_doctor"]


def test_therapies_show_exits_2_for_an_unknown_therapy() -> None:
    code, out = run("therapies", "show", "homeopathy")
    assert code == 2
    assert "ect" in out["errors"][0]["message"]


def test_options_help_documents_the_new_input_fields_with_an_example() -> None:
    result = runner.invoke(app, ["options", "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    for said in ("date_of_birth", "absent_facts", '"on": "2026-10-10"', "trimester", "to_check"):
        assert said in result.stdout, said


def test_options_refuses_an_event_after_the_decision_date_naming_its_path() -> None:
    raw = {"facts": ["catatonia", {"code": "stroke", "on": "2024-11-01"}], "age": 50}
    code, out = run("options", "--as-of", "2024-10-01", stdin=json.dumps(raw))
    assert code == 2
    assert [e["field"] for e in out["errors"]] == ["facts[1].on"]


def test_options_prints_to_check_and_warning_objects() -> None:
    code, out = run("options", "--as-of", "2024-10-01", stdin=json.dumps({"age": 40}))
    assert code == 0
    assert any(c["fact"] == "treatment_history" for c in out["to_check"])
    assert out["warnings"][0]["kind"] == "history"


def test_options_help_documents_the_medication_list_and_what_it_prints() -> None:
    result = runner.invoke(app, ["options", "--help"], env={"COLUMNS": "100"})
    for said in ("stopped_on", "washout", "unrecognised_medication", "interactions"):
        assert said in result.stdout, said


def test_options_warns_about_an_maoi_with_sertraline_and_tramadol_already_taken() -> None:
    raw = {"age": 62, "medications": ["tranylcypromine", "sertraline", "tramadol"]}
    code, out = run("options", "--as-of", "2024-10-01", stdin=json.dumps(raw))
    assert code == 0
    severities = [w["severity"] for w in out["warnings"] if w["kind"] == "interaction"]
    assert severities == ["contraindicated", "contraindicated", "major"]
    bupropion = next(o for o in out["options"] if o["id"] == "combo_bupropion")
    assert bupropion["status"] == "contraindicated"
    assert bupropion["interactions"][0]["rule"] == "maoi_with_bupropion"


def test_options_refuses_a_stop_date_after_the_decision_date_naming_its_path() -> None:
    raw = {"medications": [{"name": "fluoxetine", "stopped_on": "2024-10-02"}]}
    code, out = run("options", "--as-of", "2024-10-01", stdin=json.dumps(raw))
    assert code == 2
    assert [e["field"] for e in out["errors"]] == ["medications[0].stopped_on"]


def test_the_patient_input_example_in_the_clinical_content_guide_is_accepted() -> None:
    guide = Path(__file__).resolve().parents[2] / "docs" / "clinical-content.md"
    text = guide.read_text()
    section = text[text.index("## The patient input of `trdnav options`") :]
    example = section[section.index("```json") + len("```json") : section.index("```\n", 10)]
    code, out = run("options", "--as-of", "2026-11-30", stdin=example)
    assert code == 0, out
    assert out["patient"]["age_group"] == "adult"
