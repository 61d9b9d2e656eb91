"""The command-line contract of issue 2: JSON out; exit 0 scored or incomplete, 2 wrong input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.golden import golden_cases
from trdnav.cli import app
from trdnav.core.instruments import INSTRUMENT_CODES, score_instrument

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, Any]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(("code", "case"), golden_cases("instruments"))
def test_score_prints_the_core_result_and_exits_2_only_for_wrong_input(
    code: str, case: dict[str, Any]
) -> None:
    status, printed = run("score", code, stdin=json.dumps(case["input"]))
    expected = score_instrument(code, case["input"]).to_dict()
    assert printed == expected
    assert status == (2 if expected["rejected"] else 0)


def test_an_incomplete_form_exits_0_with_total_null_and_safety_evaluated() -> None:
    status, printed = run("score", "phq9", stdin='{"items": [1, 1, null, 1, 1, 1, 1, 1, 2]}')
    assert status == 0
    assert (printed["valid"], printed["total"], printed["safety"]) == (False, None, "positive")


def test_score_reads_the_answers_from_a_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"score": 4}', encoding="utf-8")
    status, printed = run("score", "cgi_s", "--input", str(answers))
    assert (status, printed["severity"]) == (0, "moderately_ill")


def test_an_unknown_instrument_exits_2_naming_the_known_codes() -> None:
    status, printed = run("score", "bdi2", stdin="{}")
    assert status == 2
    assert printed["errors"][0]["field"] == "instrument"
    assert "phq9" in printed["errors"][0]["message"]
    unscored = {"instrument": "bdi2", "valid": False, "total": None, "severity": None}
    assert unscored.items() <= printed.items() and printed["safety"] is None


@pytest.mark.parametrize(
    ("code", "safety"), [("phq9", "unknown"), ("cssrs_screen", "unknown"), ("gad7", None)]
)
def test_input_that_is_not_json_exits_2_with_the_contract_fields_and_safety_unknown(
    code: str, safety: str | None
) -> None:
    status, printed = run("score", code, stdin="items: 1, 2")
    assert status == 2 and printed["errors"][0]["field"] == "input"
    assert (printed["instrument"], printed["valid"], printed["total"]) == (code, False, None)
    assert (printed["severity"], printed["safety"]) == (None, safety)


def test_outcome_prints_reduction_response_partial_response_and_remission() -> None:
    status, printed = run("outcome", "hamd17", "--baseline", "20", "--current", "7")
    assert status == 0
    assert printed["pct_reduction"] == 65.0
    assert (printed["response"], printed["partial_response"], printed["remission"]) == (
        True,
        False,
        True,
    )


def test_outcome_takes_days_and_a_named_remission_rule() -> None:
    status, printed = run(
        "outcome", "madrs", "--baseline", "30", "--current", "12",
        "--days", "14", "--remission-rule", "at_most_12",
    )  # fmt: skip
    assert status == 0
    assert (printed["remission"], printed["early_improvement"]) == (True, True)


def test_outcome_with_a_total_out_of_range_exits_2() -> None:
    status, printed = run("outcome", "phq9", "--baseline", "30", "--current", "2")
    assert status == 2 and printed["errors"][0]["field"] == "baseline"


def test_outcome_for_an_instrument_without_outcome_rules_exits_2() -> None:
    status, printed = run("outcome", "cgi_i", "--baseline", "4", "--current", "2")
    assert status == 2 and printed["errors"][0]["field"] == "instrument"


def test_instruments_lists_every_code_with_its_status() -> None:
    status, printed = run("instruments")
    assert status == 0
    assert [row["code"] for row in printed] == list(INSTRUMENT_CODES)
    assert {row["code"]: row["status"] for row in printed}["pgi_i"] == "unverified"


def test_instruments_show_prints_the_definition() -> None:
    status, printed = run("instruments", "show", "hamd17")
    assert status == 0
    assert [scheme["name"] for scheme in printed["band_schemes"]] == ["zimmerman_2013", "cns_forum"]
    assert printed["items"][15]["answers"]["not_assessed"] == 3
    assert printed["provenance"]["reviewed_on"] == "2026-11-27"


def test_instruments_show_with_an_unknown_code_exits_2() -> None:
    status, _ = run("instruments", "show", "moca")
    assert status == 2


def _trdnav(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trdnav", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_installed_command_scores_a_form_from_standard_input() -> None:
    done = _trdnav("score", "qids_sr16", stdin=json.dumps({"items": [3] * 16}))
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert (printed["total"], printed["severity"], printed["safety_priority"]) == (
        27,
        "very_severe",
        "high",
    )


def test_the_installed_command_exits_2_for_an_item_out_of_range() -> None:
    done = _trdnav("score", "phq9", stdin='{"items": [0, 0, 0, 0, 0, 0, 0, 0, 4]}')
    assert done.returncode == 2
    error = json.loads(done.stdout)["errors"][0]
    assert error["field"] == "items[8]" and "0–3" in error["message"]
