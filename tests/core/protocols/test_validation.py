"""Bad session values are input errors naming the field and what is allowed (P-C1), never
findings; clinic settings naming unknown limits are refused the same way (P-C4)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.protocols.sample_sessions import ESKETAMINE_OK, KETAMINE_OK, MEDICATION_OK, run
from trdnav.core.protocols import ProtocolError, SessionContext, check_session


def _error(protocol: str, values: Any, context: SessionContext | None = None) -> tuple[str, str]:
    with pytest.raises(ProtocolError) as caught:
        check_session(protocol, values, context or SessionContext())
    error = caught.value.errors[0]
    return error.field, error.message


def test_an_unknown_field_names_it_and_lists_the_allowed_ones() -> None:
    field, message = _error("esketamine_induction", {**ESKETAMINE_OK, "dose": 56})
    assert field == "dose"
    assert "allowed fields: dose_mg, devices_used" in message


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("dose_mg", "56", "must be a whole number"),
        ("dose_mg", 56.5, "must be a whole number"),
        ("dose_mg", True, "must be a whole number"),
        ("dose_mg", 112, "must be from 28 to 84 mg; got 112"),
        ("bp_pre_systolic", 1400, "must be from 40 to 300 mmHg; got 1400"),
        ("observation_minutes", -5, "must be a number of minutes, not negative"),
        ("observation_minutes", 2000, "must be at most 1440 min; got 2000"),
        ("discharge_ready", "yes", "must be true or false"),
        ("lot_number", 12345, "must be text"),
    ],
)
def test_wrong_types_and_implausible_values_name_the_field(
    field: str, value: Any, words: str
) -> None:
    assert _error("esketamine_induction", {**ESKETAMINE_OK, field: value}) == (field, words)


def test_other_kinds() -> None:
    assert _error("ketamine_iv_induction", {**KETAMINE_OK, "sedation": "deep"}) == (
        "sedation",
        "must be one of none, mild, moderate, severe; got 'deep'",
    )
    assert _error("ketamine_iv_induction", {**KETAMINE_OK, "dose_mg": float("nan")})[0] == "dose_mg"
    assert _error("ketamine_iv_induction", {**KETAMINE_OK, "weight_kg": 5}) == (
        "weight_kg",
        "must be from 20 to 350 kg; got 5",
    )
    assert _error("psychotherapy_cbt", {"attendance": "attended", "duration_minutes": "x"}) == (
        "duration_minutes",
        "must be a number of minutes",
    )
    assert _error("medication_trial", {**MEDICATION_OK, "adherence_pct": 101})[0] == (
        "adherence_pct"
    )
    assert _error("esketamine_induction", ["dose_mg"])[0] == "values"


def test_an_integral_float_is_accepted_for_an_integer_and_blanks_are_missing() -> None:
    check = run("esketamine_induction", ESKETAMINE_OK, dose_mg=56.0, lot_number="  ")
    assert check.can_sign
    blank = run("esketamine_induction", ESKETAMINE_OK, observation_minutes="")
    assert [f.field for f in blank.blocks] == ["observation_minutes"]


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"protocol_limits": []}, "protocol_limits"),
        ({"protocol_limits": {"esketamine_induction": 5}}, "protocol_limits.esketamine_induction"),
        (
            {"protocol_limits": {"esketamine_induction": {"mg_per_device": 14}}},
            "protocol_limits.esketamine_induction.mg_per_device",
        ),
        (
            {"protocol_limits": {"esketamine_induction": {"nope": 1}}},
            "protocol_limits.esketamine_induction.nope",
        ),
        (
            {"protocol_limits": {"esketamine_induction": {"predose_systolic_max": "130"}}},
            "protocol_limits.esketamine_induction.predose_systolic_max",
        ),
        (
            {"protocol_limits": {"esketamine_induction": {"predose_systolic_max": 0}}},
            "protocol_limits.esketamine_induction.predose_systolic_max",
        ),
    ],
)
def test_unusable_clinic_limits_name_the_setting(settings: dict[str, Any], field: str) -> None:
    context = SessionContext(clinic_settings=settings)
    assert _error("esketamine_induction", ESKETAMINE_OK, context)[0] == field


def test_limits_for_other_protocols_do_not_matter() -> None:
    settings = {"protocol_limits": {"rtms_10hz": {"mt_remeasure_every_sessions": 2}}}
    check = run("esketamine_induction", ESKETAMINE_OK, SessionContext(clinic_settings=settings))
    assert check.can_sign
