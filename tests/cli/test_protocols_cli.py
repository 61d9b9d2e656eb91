"""``trdnav protocols``, ``protocols show``, ``session-check`` and ``course-outcome``: JSON
shapes and exit codes (0 when checked, 2 naming the field for unusable input)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.core.protocols.sample_sessions import ESKETAMINE_OK
from trdnav.cli import app

runner = CliRunner()


def _json(args: list[str], stdin: Any = None, code: int = 0) -> Any:
    text = None if stdin is None else json.dumps(stdin)
    result = runner.invoke(app, args, input=text)
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def test_protocols_lists_every_protocol() -> None:
    data = _json(["protocols"])
    assert data["version"].startswith("pr-")
    ids = [p["id"] for p in data["protocols"]]
    assert "esketamine_induction" in ids and "medication_trial" in ids
    assert set(data["protocols"][0]) == {
        "id",
        "name",
        "modality",
        "therapy_ids",
        "planned_sessions",
        "sessions_per_week",
        "primary_instrument",
        "status",
    }


def test_show_marks_unverified_items_and_gives_citations() -> None:
    data = _json(["protocols", "show", "rtms_10hz"])
    assert data["id"] == "rtms_10hz"
    assert "mt_remeasure_every_sessions" in data["unverified"]
    assert "motor_threshold_due" in data["unverified"]
    assert "phase:taper" in data["unverified"]
    assert data["sources"]["neurostar_labeling"].startswith("NeuroStar")
    parameter = next(p for p in data["parameters"] if p["name"] == "intensity_pct")
    assert (parameter["value"], parameter["status"], parameter["unverified"]) == (
        120,
        "verified",
        False,
    )
    assert data["sources"]["oreardon2007"].startswith("O'Reardon 2007")
    assert "rems_rule" not in data


def test_show_an_esketamine_protocol_includes_the_rems_rule_in_force() -> None:
    data = _json(["protocols", "show", "esketamine_induction"])
    assert data["rems_rule"]["deadline_days"] == 7
    assert "spravato_hcp_dosing" in data["sources"]


def test_show_an_unknown_protocol_exits_2_naming_it() -> None:
    data = _json(["protocols", "show", "nope"], code=2)
    assert data["errors"][0]["field"] == "protocol"
    assert "nope" in data["errors"][0]["message"]


def test_session_check_prints_the_contract_shape_and_exits_0_even_when_blocked() -> None:
    values = {**ESKETAMINE_OK, "bp_pre_systolic": 150}
    data = _json(
        ["session-check", "esketamine_induction"],
        {"values": values, "context": {"age_years": 40, "session_number": 2}},
    )
    assert set(data) == {"protocol", "can_sign", "findings"}
    assert data["can_sign"] is False
    assert data["findings"][0] == {
        "rule": "predose_bp_high",
        "level": "block",
        "field": "bp_pre_systolic",
        "message": (
            "Blood pressure before dosing 150/80 mmHg is above 140/90: consider delaying the "
            "dose; to proceed, a clinician records the reason."
        ),
        "source": "spravato_label",
    }


def test_session_check_accepts_bare_values_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    path.write_text(json.dumps(ESKETAMINE_OK), encoding="utf-8")
    result = runner.invoke(app, ["session-check", "esketamine_induction", "--input", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "protocol": "esketamine_induction",
        "can_sign": True,
        "findings": [],
    }


def test_session_check_with_weight_and_history_in_the_context() -> None:
    data = _json(
        ["session-check", "rtms_10hz"],
        {
            "values": {
                "intensity_pct_mt": 120,
                "pulses": 3000,
                "coil_position": "F3",
                "tolerability": "well_tolerated",
                "seizure_screen_done": True,
                "seizure_occurred": False,
            },
            "context": {
                "session_number": 6,
                "previous_sessions": [{"motor_threshold_pct": 50}, {}, {}, {}, {}],
                "clinic_settings": {},
                "weight_kg": 70,
            },
        },
    )
    assert [f["rule"] for f in data["findings"]] == ["motor_threshold_due"]


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"values": {"dose": 1}}, "dose"),
        ({"values": {"dose_mg": "56"}}, "dose_mg"),
        ({"values": [], "context": {}}, "values"),
        ({"values": {}, "context": []}, "context"),
        ({"values": {}, "extra": 1}, "extra"),
        ({"values": {}, "context": {"weight": 70}}, "context.weight"),
        ({"values": {}, "context": {"weight_kg": -1}}, "context.weight_kg"),
        ({"values": {}, "context": {"weight_kg": True}}, "context.weight_kg"),
        ({"values": {}, "context": {"age_years": 200}}, "context.age_years"),
        ({"values": {}, "context": {"age_years": "40"}}, "context.age_years"),
        ({"values": {}, "context": {"session_number": 0}}, "context.session_number"),
        ({"values": {}, "context": {"previous_sessions": {}}}, "context.previous_sessions"),
        ({"values": {}, "context": {"previous_sessions": [1]}}, "context.previous_sessions[0]"),
        ({"values": {}, "context": {"clinic_settings": []}}, "context.clinic_settings"),
        (
            {"values": {}, "context": {"clinic_settings": {"protocol_limits": 1}}},
            "protocol_limits",
        ),
    ],
)
def test_session_check_invalid_input_exits_2_naming_the_field(
    document: dict[str, Any], field: str
) -> None:
    data = _json(["session-check", "esketamine_induction"], document, code=2)
    assert data["errors"][0]["field"] == field


def test_session_check_an_unknown_protocol_exits_2() -> None:
    data = _json(["session-check", "nope"], {"values": {}}, code=2)
    assert data["errors"][0]["field"] == "protocol"


COURSE = {
    "protocol": "medication_trial",
    "baseline": 20,
    "scores": [{"on": "2026-11-16", "score": 18}],
    "start": "2026-11-02",
    "sessions_done": 2,
    "as_of": "2026-11-16",
}


def test_course_outcome_prints_outcome_early_improvement_and_alerts() -> None:
    data = _json(["course-outcome"], COURSE)
    assert data["outcome"] == "too_early"
    assert data["early_improvement"] is False
    assert data["instrument"] == "phq9"
    assert [a["rule"] for a in data["alerts"]] == ["no_early_improvement_week2"]
    assert set(data["alerts"][0]) == {"rule", "level", "message", "source"}


def test_course_outcome_as_of_defaults_to_today() -> None:
    document = {k: v for k, v in COURSE.items() if k != "as_of"}
    data = _json(["course-outcome"], document)
    assert data["as_of"] >= "2026-11-16"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"protocol": None}, "protocol"),
        ({"protocol": "nope"}, "protocol"),
        ({"instrument": 9}, "instrument"),
        ({"instrument": "nope"}, "instrument"),
        ({"instrument": "cgi_s", "baseline": 5, "scores": []}, "instrument"),
        ({"baseline": "20"}, "baseline"),
        ({"baseline": 99}, "baseline"),
        ({"scores": {}}, "scores"),
        ({"scores": [1]}, "scores[0]"),
        ({"scores": [{"on": "2026-11-16", "score": 1.5}]}, "scores[0].score"),
        ({"scores": [{"on": "16/11/2026", "score": 1}]}, "scores[0].on"),
        ({"scores": [{"on": "2026-11-16", "score": 1, "by": "x"}]}, "scores[0].by"),
        ({"scores": [{"on": "2026-10-01", "score": 1}]}, "scores[0]"),
        ({"start": "soon"}, "start"),
        ({"sessions_done": -1}, "sessions_done"),
        ({"as_of": 5}, "as_of"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_course_outcome_invalid_input_exits_2_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    data = _json(["course-outcome"], {**COURSE, **changes}, code=2)
    assert data["errors"][0]["field"] == field


def test_course_outcome_missing_keys_are_each_named() -> None:
    data = _json(["course-outcome"], {"scores": []}, code=2)
    assert [e["field"] for e in data["errors"]] == [
        "protocol",
        "baseline",
        "start",
        "sessions_done",
    ]
