"""parse_history: every bad field is named with its path and what is allowed."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from trdnav.core.errors import InvalidInput, UnknownCode
from trdnav.core.history import DrugTrial, Severity, TreatmentKind, assess_history, parse_history


def sertraline(**changes: Any) -> dict[str, Any]:
    trial: dict[str, Any] = {
        "id": "t1",
        "episode": "e1",
        "kind": "antidepressant",
        "drug": "sertraline",
        "role": "monotherapy",
        "start": "2023-02-01",
        "end": "2023-05-01",
        "doses": [
            {"from": "2023-02-01", "mg_per_day": 50},
            {"from": "2023-03-01", "mg_per_day": 100},
        ],
        "adherence_pct": 90,
        "improvement_pct": 10,
    }
    trial.update(changes)
    return trial


def history(*treatments: dict[str, Any], **episode: Any) -> dict[str, Any]:
    first = {"id": "e1", "start": "2023-01-10", "end": None, "severity": "moderate", **episode}
    return {"episodes": [first], "treatments": list(treatments)}


def errors_of(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        parse_history(raw)
    return {e.field: e.message for e in caught.value.errors}


def test_it_parses_the_agreed_example_into_typed_treatments() -> None:
    parsed = parse_history(
        history(
            sertraline(),
            {
                "id": "t2",
                "episode": "e1",
                "kind": "augmentation",
                "agent": "aripiprazole",
                "augments": "t1",
                "start": "2023-04-01",
                "end": "2023-06-01",
                "doses": [{"from": "2023-04-01", "mg_per_day": 5}],
                "adherence_pct": 95,
            },
            {
                "id": "t3",
                "episode": "e1",
                "kind": "ect",
                "laterality": "bilateral",
                "sessions": 12,
                "start": "2024-01-01",
                "end": "2024-02-15",
                "improvement_pct": 20,
            },
        )
    )
    trial = parsed.treatment("t1")
    assert isinstance(trial, DrugTrial)
    assert [d.mg_per_day for d in trial.doses] == [50, 100]
    assert parsed.treatment("t2").kind is TreatmentKind.AUGMENTATION
    assert parsed.current_episode.severity is Severity.MODERATE


def test_an_unknown_drug_says_how_to_supply_a_minimum_dose() -> None:
    message = errors_of(history(sertraline(drug="agomelatine")))["treatments[0].drug"]
    assert "unknown antidepressant 'agomelatine'" in message
    assert '"min_dose_mg"' in message and '"drug_class"' in message


def test_an_unknown_drug_with_a_supplied_minimum_and_class_is_accepted() -> None:
    parsed = parse_history(
        history(sertraline(drug="agomelatine", min_dose_mg=25, drug_class="multimodal"))
    )
    trial = parsed.treatment("t1")
    assert isinstance(trial, DrugTrial) and trial.min_dose_mg == 25


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"end": "2023-01-01"}, "treatments[0].end", "is before start"),
        (
            {"doses": [{"from": "2023-02-01", "mg_per_day": -50}]},
            "treatments[0].doses[0].mg_per_day",
            "between 0 and 100000",
        ),
        ({"adherence_pct": 120}, "treatments[0].adherence_pct", "between 0 and 100"),
        ({"adherence_pct": -1}, "treatments[0].adherence_pct", "between 0 and 100"),
        ({"improvement_pct": 101}, "treatments[0].improvement_pct", "between -1000 and 100"),
        (
            {"doses": [{"from": "2023-02-01", "mg_per_day": True}]},
            "treatments[0].doses[0].mg_per_day",
            "must be a number",
        ),
        (
            {"doses": [{"from": "2023-02-02", "mg_per_day": 50}]},
            "treatments[0].doses[0].from",
            "start date",
        ),
        (
            {
                "doses": [
                    {"from": "2023-02-01", "mg_per_day": 50},
                    {"from": "2023-02-01", "mg_per_day": 75},
                ]
            },
            "treatments[0].doses[1].from",
            "date order",
        ),
        (
            {
                "doses": [
                    {"from": "2023-02-01", "mg_per_day": 50},
                    {"from": "2023-06-01", "mg_per_day": 75},
                ]
            },
            "treatments[0].doses[1].from",
            "before the treatment's end",
        ),
        ({"doses": []}, "treatments[0].doses", "at least one"),
        ({"start": "2023-02-31"}, "treatments[0].start", "YYYY-MM-DD"),
        ({"adherance_pct": 90}, "treatments[0].adherance_pct", "unknown field"),
        ({"role": "augmentation"}, "treatments[0].role", "allowed: monotherapy, combination"),
        ({"role": "combination"}, "treatments[0].with", "is required"),
        ({"outcome": "response"}, "treatments[0].outcome", "contradicts improvement_pct 10"),
        ({"episode": "e9"}, "treatments[0].episode", "unknown episode 'e9'"),
        ({"drug_class": "ssri_like"}, "treatments[0].drug_class", "unknown class"),
    ],
)
def test_a_bad_trial_field_is_named_with_its_path(
    changes: dict[str, Any], field: str, fragment: str
) -> None:
    errors = errors_of(history(sertraline(**changes)))
    assert field in errors, errors
    assert fragment in errors[field]


def test_a_worsening_is_a_negative_improvement_and_is_allowed() -> None:
    trial = parse_history(history(sertraline(improvement_pct=-40))).treatment("t1")
    assert trial.response.improvement_pct == -40


def test_every_error_is_reported_at_once() -> None:
    errors = errors_of(history(sertraline(end="2023-01-01", adherence_pct=150, drug="x")))
    assert {"treatments[0].end", "treatments[0].adherence_pct", "treatments[0].drug"} <= set(errors)


def test_an_augmentation_must_name_an_antidepressant_taken_at_the_time() -> None:
    augmentation = {
        "id": "t2",
        "episode": "e1",
        "kind": "augmentation",
        "agent": "lithium",
        "augments": "t1",
        "start": "2023-06-01",
        "end": "2023-08-01",
        "doses": [{"from": "2023-06-01", "mg_per_day": 800}],
    }
    errors = errors_of(history(sertraline(), augmentation))
    assert "must fall while 't1' was being taken" in errors["treatments[1].start"]
    errors = errors_of(history(sertraline(), {**augmentation, "augments": "t7"}))
    assert "must name an antidepressant" in errors["treatments[1].augments"]


def test_an_unknown_augmentation_agent_suggests_recording_a_combination() -> None:
    augmentation = {
        "id": "t2",
        "episode": "e1",
        "kind": "augmentation",
        "agent": "mirtazapine",
        "augments": "t1",
        "start": "2023-03-01",
        "doses": [{"from": "2023-03-01", "mg_per_day": 15}],
    }
    message = errors_of(history(sertraline(), augmentation))["treatments[1].agent"]
    assert 'role "combination"' in message


def test_course_fields_are_checked_by_kind() -> None:
    tms = {
        "id": "c1",
        "episode": "e1",
        "kind": "tms",
        "protocol": "itbs",
        "sessions": -1,
        "laterality": "bilateral",
        "start": "2023-06-01",
    }
    errors = errors_of(history(tms))
    assert "at least 0" in errors["treatments[0].sessions"]
    assert "unknown field" in errors["treatments[0].laterality"]


def test_duplicate_treatment_ids_are_rejected() -> None:
    errors = errors_of(history(sertraline(), sertraline()))
    assert "duplicate treatment id" in errors["treatments[1].id"]


def test_psychotic_features_contradicting_severity_are_rejected() -> None:
    errors = errors_of(history(severity="severe_without_psychosis", psychotic_features=True))
    assert "contradicts psychotic_features" in errors["episodes[0].severity"]


def test_an_out_of_range_cgi_s_is_rejected() -> None:
    raw = history()
    raw["episodes"][0] = {"id": "e1", "start": "2023-01-10", "end": None, "cgi_s": 8}
    assert "between 1 and 7" in errors_of(raw)["episodes[0].cgi_s"]


def test_a_history_needs_one_current_episode_or_a_named_one() -> None:
    raw = history()
    raw["episodes"][0]["end"] = "2023-06-01"
    assert "no current episode" in errors_of(raw)["episodes"]
    raw["current_episode"] = "e1"
    assert parse_history(raw).current_episode_id == "e1"


def test_overlapping_episodes_are_rejected() -> None:
    raw = history()
    raw["episodes"].append({"id": "e2", "start": "2023-05-01", "end": None})
    assert "overlaps" in errors_of(raw)["episodes"]


def test_input_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_history([])  # type: ignore[arg-type]
    assert caught.value.errors[0].message == "must be a JSON object"


def test_treatments_after_the_assessment_date_are_rejected() -> None:
    parsed = parse_history(history(sertraline()))
    with pytest.raises(InvalidInput) as caught:
        assess_history(parsed, as_of=date(2023, 1, 31))
    assert caught.value.errors[0].field == "treatments[0].start"


def test_an_unknown_profile_lists_the_known_ones() -> None:
    parsed = parse_history(history(sertraline()))
    with pytest.raises(UnknownCode) as caught:
        assess_history(parsed, as_of=date(2024, 1, 1), profile="lenient")
    assert caught.value.known == ("conservative_atrq", "usual_minimum")


def test_parsing_does_not_change_its_input() -> None:
    raw = history(sertraline())
    before = copy.deepcopy(raw)
    parse_history(raw)
    assert raw == before


def all_errors_of(raw: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        parse_history(raw)
    return [(e.field, e.message) for e in caught.value.errors]


@pytest.mark.parametrize(
    ("episodes", "expected"),
    [
        (None, [("episodes", "is required")]),
        (5, [("episodes", "must be a JSON array")]),
        ([], [("episodes", "needs at least one episode")]),
    ],
)
def test_a_missing_or_empty_episode_list_is_reported_exactly_once(
    episodes: Any, expected: list[tuple[str, str]]
) -> None:
    raw: dict[str, Any] = {"treatments": []}
    if episodes is not None:
        raw["episodes"] = episodes
    assert all_errors_of(raw) == expected


@pytest.mark.parametrize(
    ("outcome", "pct", "accepted"),
    [
        ("response", 50, True),
        ("response", 49.9, False),
        ("partial_response", 25, True),  # partial under the <25% profile (P-B10)
        ("partial_response", 24.9, False),
        ("partial_response", 50, False),
        ("non_response", 25, True),  # non-response under the ≤25% profile (P-B10)
        ("non_response", 25.1, False),
    ],
)
def test_a_recorded_outcome_must_fit_the_improvement_under_some_profile(
    outcome: str, pct: float, accepted: bool
) -> None:
    raw = history(sertraline(outcome=outcome, improvement_pct=pct))
    if accepted:
        parse_history(raw)
    else:
        assert "contradicts improvement_pct" in errors_of(raw)["treatments[0].outcome"]


@pytest.mark.parametrize(
    ("where", "value", "shown"),
    [
        ("dose", 1e300, "got 1e+300"),
        ("improvement", -1e300, "got -1e+300"),
        ("dose", 1e6, "got 1000000"),
    ],
)
def test_an_implausible_dose_or_improvement_is_refused_and_the_message_stays_short(
    where: str, value: float, shown: str
) -> None:
    """Security review D15: 1e300 mg/day and -1e300 % were accepted; now refused, and the
    message shows the number as written, not its 301 digits."""
    treatment: dict[str, Any] = {
        "id": "t1", "kind": "antidepressant", "episode": "e1", "drug": "sertraline",
        "start": "2020-01-01", "end": "2020-06-01",
        "doses": [{"from": "2020-01-01", "mg_per_day": 100}], "improvement_pct": 10,
    }  # fmt: skip
    if where == "dose":
        treatment["doses"][0]["mg_per_day"] = value
    else:
        treatment["improvement_pct"] = value
    document = {"episodes": [{"id": "e1", "start": "2020-01-01"}], "treatments": [treatment]}
    with pytest.raises(InvalidInput) as caught:
        parse_history(document)
    messages = [error.message for error in caught.value.errors]
    assert len(messages) == 1 and shown in messages[0] and len(messages[0]) < 80, messages
