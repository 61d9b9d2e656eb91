"""``trdnav options`` on every patient-group persona: the command reads the full patient JSON
(date of birth, dated facts, trimester, absent facts, medication list) and shows the statuses
the label-grade rules require (docs/reviews/2026-11-label-rules-review.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.group_expectations import EXPECTED
from tests.personas import GROUP_PERSONAS
from trdnav.cli import app

runner = CliRunner()


def options_for(key: str, tmp_path: Path) -> dict[str, Any]:
    persona = GROUP_PERSONAS[key]
    patient = tmp_path / f"{key}.json"
    patient.write_text(json.dumps(persona.patient))
    result = runner.invoke(
        app, ["options", "--input", str(patient), "--as-of", persona.as_of.isoformat()]
    )
    assert result.exit_code == 0, result.stdout
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def test_every_group_persona_has_expectations() -> None:
    assert set(EXPECTED) == set(GROUP_PERSONAS)


@pytest.mark.parametrize("key", sorted(GROUP_PERSONAS))
def test_options_shows_each_persona_the_statuses_its_labels_require(
    key: str, tmp_path: Path
) -> None:
    out = options_for(key, tmp_path)
    statuses = {option["id"]: option["status"] for option in out["options"]}
    assert {t: statuses[t] for t in EXPECTED[key]} == EXPECTED[key]


@pytest.mark.parametrize("key", sorted(GROUP_PERSONAS))
def test_options_never_ranks_a_contraindicated_option_or_marks_it_urgent(
    key: str, tmp_path: Path
) -> None:
    for option in options_for(key, tmp_path)["options"]:
        if option["status"] == "contraindicated":
            assert option["rank"] is None
            assert option["urgent"] is False


def test_options_prints_the_source_of_each_label_reason(tmp_path: Path) -> None:
    out = options_for("post_mi_3_weeks", tmp_path)
    esketamine = next(o for o in out["options"] if o["id"] == "esketamine")
    reasons = {r["rule"]: r for r in esketamine["reasons"]}
    reason = reasons["ketamine_family.recent_myocardial_infarction"]
    assert reason["source"] == "spravato_smpc_eu"
    assert "within 6 weeks" in reason["citation"] or "4.3" in reason["citation"]
