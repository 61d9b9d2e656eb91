"""The chart header's words and the after-edit message (policies P-CH4, P-CH5): pure."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from trdnav.clinical.changes import change_message
from trdnav.clinical.header import (
    current_treatment,
    definitions,
    describe_change,
    latest_scores,
    stage_details,
    stage_ladder,
    stage_value,
    summary_of,
    trd_status,
)

STAGING: dict[str, dict[str, Any]] = {
    "thase_rush": {"stage": "II", "explanation": "x"},
    "european": {"stage": "non_responder"},
    "mgh_s": {"score": 2.0},
    "maudsley": {"total": 7, "band": "moderate"},
    "dm_trd": {"error": "not verified", "total": None},
}


def _history(met: bool | None, failed: int | None, **stages: Any) -> dict[str, Any]:
    staging = {k: dict(v) for k, v in STAGING.items()}
    for model, value in stages.items():
        staging[model] = value
    return {"trd_met": met, "failed_antidepressants": failed, "staging": staging}


def test_the_ladder_uses_model_names_and_words_not_codes() -> None:
    ladder = stage_ladder(STAGING)
    assert [(r["name"], r["value"]) for r in ladder] == [
        ("Thase–Rush", "II"),
        ("MGH-S", "2"),
        ("Maudsley", "7 (moderate)"),
        ("DM-TRD", "not available"),
        ("European", "non-responder"),
    ]
    assert stage_value("maudsley", {"total": 12, "band": "moderately_severe"}) == (
        "12 (moderately severe)"
    )
    assert stage_value("mgh_s", {"score": 1.5}) == "1.5"
    assert stage_value("thase_rush", None) == "not available"


def test_trd_status_is_said_once_with_its_count() -> None:
    assert trd_status(_history(True, 2)) == {"state": "met", "words": "met", "failed": 2}
    assert trd_status(_history(False, 1))["words"] == "not met"
    assert trd_status(None)["state"] == "unknown"


def test_definitions_do_not_repeat_their_name() -> None:
    name = "two failed adequate antidepressant trials (common clinical definition)"
    rows = definitions(
        {"trd": {"two": {"label": name, "met": True, "explanation": f"{name}: met (2 counted)"}}}
    )
    assert rows == [{"name": name, "met": "met", "text": "2 counted", "policies": []}]


def test_latest_scores_show_the_change_since_baseline() -> None:
    series = [
        {"code": "phq9", "label": "PHQ-9", "points": [["2026-01-01", 20], ["2026-03-01", 12]]}
    ]
    latest = [SimpleNamespace(instrument="phq9", severity="moderately_severe", total=12)]
    (row,) = latest_scores(series, latest)
    assert (row["total"], row["baseline"], row["change"], row["single"]) == (12, 20, -8, False)
    assert row["band"] == "moderately severe"


def test_the_current_treatment_is_the_open_course_then_the_open_trial() -> None:
    course = SimpleNamespace(
        status="active", protocol_name="iTBS", start_date=date(2026, 11, 2),
        get_status_display=lambda: "Active",
    )  # fmt: skip
    history = {"treatments": [{"kind": "antidepressant", "drug": "sertraline",
                               "start": "2026-01-01", "end": None}]}  # fmt: skip
    assert current_treatment(history, [course]) == [
        "iTBS (course, active from 2026-11-02)",
        "sertraline (antidepressant) from 2026-01-01",
    ]


def test_a_change_is_said_in_plain_words() -> None:
    before = summary_of(_history(False, 1, thase_rush={"stage": "I"}))
    after = summary_of(_history(True, 2))
    assert describe_change(before, after) == (
        "TRD status: now met (2 failed adequate trials); Thase–Rush I → II."
    )


def test_no_change_is_said_too() -> None:
    same = summary_of(_history(True, 2))
    assert describe_change(same, same) == "No change to TRD status or stages."


def test_a_count_change_without_a_status_change_is_said() -> None:
    before, after = summary_of(_history(True, 2)), summary_of(_history(True, 3))
    assert describe_change(before, after) == "Failed adequate trials: 2 → 3."


def test_a_status_that_cannot_be_computed_is_said() -> None:
    assert change_message(None, None).startswith("Saved. TRD status and stages could not")
    after = summary_of(_history(True, 2))
    assert change_message(None, after).startswith("Saved. TRD status: now met")


def test_stage_details_name_codes_and_move_policy_keys_out() -> None:
    staging = {"european": {"stage": "non_responder", "explanation": "non_responder: 2 (P-B2)."}}
    row = next(r for r in stage_details(staging) if r["model"] == "european")
    assert (row["value"], row["explanation"], row["policies"]) == (
        "non-responder",
        "non-responder: 2.",
        ["P-B2"],
    )
