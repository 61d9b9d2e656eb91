"""``trdnav stage`` and ``trdnav adequacy`` on the command line: JSON out, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.personas import PERSONAS
from trdnav.cli import app

runner = CliRunner()


def run(*args: str, stdin: Any = None) -> tuple[int, Any]:
    text = None if stdin is None else json.dumps(stdin)
    result = runner.invoke(app, list(args), input=text)
    return result.exit_code, json.loads(result.stdout)


def test_stage_reads_a_history_file_and_prints_trials_trd_and_staging(tmp_path: Path) -> None:
    persona = PERSONAS["ben"]
    path = tmp_path / "history.json"
    path.write_text(json.dumps(persona.history), encoding="utf-8")
    code, out = run("stage", "--input", str(path), "--as-of", persona.as_of.isoformat())
    assert code == 0
    assert {"adequate", "reasons", "outcome", "counts_as_failed"} <= set(out["trials"][0])
    assert out["trd"]["common"]["met"] is True
    assert set(out["staging"]) == {"thase_rush", "european", "mgh_s", "maudsley", "dm_trd"}
    assert out["staging"]["dm_trd"]["error"] == "not available: scoring table not verified"
    assert out["profile"] == "usual_minimum" and "P-B11" in out["policies"]


def test_stage_reads_standard_input_and_takes_a_profile() -> None:
    persona = PERSONAS["carla"]
    code, out = run(
        "stage", "--as-of", "2025-09-01", "--profile", "conservative_atrq", stdin=persona.history
    )
    assert code == 0
    assert out["profile"] == "conservative_atrq"
    assert out["failed_adequate_trials"] == {"count": 0, "of": 5}


def test_stage_without_a_date_uses_today() -> None:
    code, out = run("stage", stdin=PERSONAS["iris"].history)
    assert code == 0 and out["as_of"] >= "2026-06-20"


def test_stage_rejects_bad_input_naming_each_field() -> None:
    history = json.loads(json.dumps(PERSONAS["ben"].history))
    history["treatments"][0]["end"] = "2020-01-01"
    history["treatments"][1]["doses"][0]["mg_per_day"] = -60
    history["treatments"][1]["adherence_pct"] = 140
    code, out = run("stage", "--as-of", "2026-03-01", stdin=history)
    assert code == 2
    assert [e["field"] for e in out["errors"]] == [
        "treatments[0].end",
        "treatments[1].doses[0].mg_per_day",
        "treatments[1].adherence_pct",
    ]


def test_stage_rejects_a_bad_date_and_an_unknown_profile() -> None:
    assert run("stage", "--as-of", "01/03/2026", stdin={})[0] == 2
    code, out = run(
        "stage", "--as-of", "2026-03-01", "--profile", "strict", stdin=PERSONAS["ben"].history
    )
    assert code == 2 and out["errors"][0]["field"] == "profile"


def test_stage_scores_one_model_from_its_parameters() -> None:
    params = {
        "episode_duration_months": 13,
        "severity": "moderate",
        "failed_antidepressants": 2,
        "augmentation_count": 1,
        "ect_used": False,
    }
    code, out = run("stage", "--model", "maudsley", stdin=params)
    assert code == 0
    assert (out["total"], out["band"]) == (7, "moderate")
    assert {
        "duration_points",
        "severity_points",
        "treatment_points",
        "augmentation_points",
        "ect_points",
    } <= set(out)


def test_stage_model_dm_trd_answers_not_available() -> None:
    params = {
        "episode_duration_months": 30,
        "severity": "moderate",
        "failed_antidepressants": 3,
        "augmentation_count": 1,
        "functional_impairment": True,
        "comorbid_anxiety": False,
        "personality_disorder": False,
        "psychosocial_stressors": True,
        "failed_psychotherapy": False,
        "intensified_treatment": False,
    }
    code, out = run("stage", "--model", "dm_trd", stdin=params)
    assert code == 0
    assert out["total"] is None and out["error"] == "not available: scoring table not verified"


def test_adequacy_judges_one_trial() -> None:
    trial = {
        "drug": "venlafaxine",
        "daily_dose_mg": 75,
        "weeks_at_or_above_min_dose": 7,
        "adherence_pct": 100,
        "improvement_pct": 30,
        "profile": "conservative_atrq",
    }
    code, out = run("adequacy", stdin=trial)
    assert code == 0
    assert (out["adequate"], out["reasons"]) == (False, ["dose_below_minimum"])


def test_adequacy_says_how_to_judge_an_unknown_drug() -> None:
    code, out = run(
        "adequacy",
        stdin={"drug": "agomelatine", "daily_dose_mg": 25, "weeks_at_or_above_min_dose": 8},
    )
    assert code == 2
    assert out["errors"][0]["field"] == "drug" and "min_dose_mg" in out["errors"][0]["message"]


def test_adequacy_rejects_impossible_percentages() -> None:
    code, out = run(
        "adequacy",
        stdin={
            "drug": "sertraline",
            "daily_dose_mg": 50,
            "weeks_at_or_above_min_dose": 8,
            "adherence_pct": 101,
            "improvement_pct": 250,
        },
    )
    assert code == 2
    assert [e["field"] for e in out["errors"]] == ["adherence_pct", "improvement_pct"]


def test_adequacy_reports_an_unknown_profile_together_with_the_other_errors() -> None:
    code, out = run(
        "adequacy",
        stdin={
            "drug": "sertraline",
            "daily_dose_mg": -5,
            "weeks_at_or_above_min_dose": 8,
            "profile": "strict",
        },
    )
    assert code == 2
    assert [e["field"] for e in out["errors"]] == ["daily_dose_mg", "profile"]
    assert "usual_minimum" in out["errors"][1]["message"]
