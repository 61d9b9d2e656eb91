"""Golden tests for the IV ketamine session checks.

Sources: Fava 2020 (0.5 mg/kg over 40 minutes), Sanacora 2017 consensus (monitoring of BP, heart
rate and SpO₂; observation until back to baseline; escort home — specifics from memory).
Policies P-C2 and P-C5 (±10% dose tolerance, 35–45 min infusion).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.protocols.sample_sessions import KETAMINE_OK, rules, run
from trdnav.core.protocols import Finding, ProtocolError, SessionContext

P = "ketamine_iv_induction"


def test_a_complete_ordinary_infusion_can_be_signed() -> None:
    assert run(P, KETAMINE_OK).findings == ()


@pytest.mark.parametrize(
    ("weight", "dose", "blocked"),
    [
        (80, 40, False),  # 0.5 × 80 = 40 mg
        (80, 44, False),  # +10% exactly: within tolerance
        (80, 44.1, True),
        (80, 36, False),  # -10% exactly
        (80, 35.9, True),
        (67.5, 33.75, False),  # fractional weight, exact arithmetic
        (67.5, 37.2, True),  # 10.2% above 33.75
        (120, 60, False),
    ],
)
def test_the_dose_is_0_5_mg_per_kg_within_10_percent(
    weight: float, dose: float, blocked: bool
) -> None:
    check = run(P, KETAMINE_OK, weight_kg=weight, dose_mg=dose)
    assert ("dose_off_weight" in rules(check)) is blocked
    assert check.can_sign is not blocked


def test_the_dose_message_gives_the_arithmetic() -> None:
    found = rules(run(P, KETAMINE_OK, weight_kg=80, dose_mg=45))["dose_off_weight"]
    assert found.message == (
        "A dose of 45 mg differs by 12.5% from 0.5 mg/kg × 80 kg = 40 mg (allowed 36–44 mg, ±10%)."
    )
    assert found.source == "fava2020+course_policy"


def test_without_a_session_weight_the_patients_weight_is_used_and_without_any_it_blocks() -> None:
    values = {k: v for k, v in KETAMINE_OK.items() if k != "weight_kg"}
    from_context = run(P, values, SessionContext(weight_kg=60), dose_mg=30)
    assert "dose_off_weight" not in rules(from_context)
    none = rules(run(P, values, SessionContext(), dose_mg=30))
    assert none["dose_off_weight"].message == (
        "The weight is needed to check the dose of 0.5 mg/kg."
    )
    assert none["required_field"].field == "weight_kg"


@pytest.mark.parametrize(
    ("minutes", "warned"), [(34, True), (35, False), (40, False), (45, False), (46, True)]
)
def test_the_infusion_lasts_about_40_minutes(minutes: int, warned: bool) -> None:
    found = rules(run(P, KETAMINE_OK, infusion_minutes=minutes)).get("infusion_duration")
    assert (found is not None) is warned
    if found:
        assert found.message.startswith(f"An infusion of {minutes} min is outside 35–45 min")


def test_unverified_thresholds_are_marked_in_their_messages() -> None:
    found = rules(run(P, KETAMINE_OK, spo2_lowest=91, bp_pre_systolic=141, observation_minutes=59))
    for rule in ("spo2_low", "predose_bp_high", "observation_too_short"):
        assert found[rule].level == "warn"
        assert found[rule].message.endswith("(unverified)")
        assert found[rule].status == "from_memory"
    assert "spo2_low" not in rules(run(P, KETAMINE_OK, spo2_lowest=92))


def test_escort_and_return_to_baseline_are_required_for_discharge() -> None:
    found = rules(run(P, KETAMINE_OK, escort_present=False, discharge_ready=False))
    assert found["no_escort"].level == "block"
    assert found["discharge_not_ready"].level == "block"


def test_cadss6_is_recorded_but_never_judged() -> None:
    # Instrument file: CADSS-6 has no validated cut-off.
    assert run(P, KETAMINE_OK, cadss6=24).findings == ()
    assert rules(run(P, KETAMINE_OK, sedation="severe"))["severe_sedation"].level == "warn"


def _with_limits(**limits: float) -> SessionContext:
    return SessionContext(age_years=40, clinic_settings={"protocol_limits": {P: limits}})


def test_the_weight_dose_message_shows_one_decimal_figures() -> None:
    # fava2020: 0.5 mg/kg × 70.3 kg = 35.15 mg; 39 mg is 10.95% above (tolerance ±10%, P-C5).
    finding = rules(run(P, KETAMINE_OK, weight_kg=70.3, dose_mg=39))["dose_off_weight"]
    assert finding.message == (
        "A dose of 39 mg differs by 11% from 0.5 mg/kg × 70.3 kg = 35.1 mg "
        "(allowed 31.6–38.7 mg, ±10%)."
    )
    assert (finding.level, finding.source, finding.status) == (
        "block",
        "fava2020+course_policy",
        "verified",
    )


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        (0, "The weight is needed to check the dose of 0.5 mg/kg."),
        (1, "A dose of 40 mg differs by 7900% from 0.5 mg/kg × 1 kg = 0.5 mg"),
    ],
)
def test_a_weight_from_the_context_of_zero_is_no_weight_but_one_kg_is_a_weight(
    weight: float, message: str
) -> None:
    context = SessionContext(age_years=40, weight_kg=weight)
    finding = rules(run(P, KETAMINE_OK, context, weight_kg=None, dose_mg=40))["dose_off_weight"]
    assert finding.message.startswith(message)


def test_a_required_weight_left_empty_blocks_with_a_golden_message() -> None:
    finding = rules(run(P, KETAMINE_OK, weight_kg=None))["required_field"]
    assert finding == Finding(
        rule="required_field",
        level="block",
        field="weight_kg",
        message="Required before signing: Weight.",
        source="fava2020+sanacora2017",
        status="verified",
        overridable=False,
    )


def test_a_clinic_tolerance_below_one_percent_tightens_the_dose_check() -> None:
    # P-C4/P-C5: ±0.5% of 40 mg is 39.8–40.2 mg; 40.3 mg is outside it.
    finding = rules(run(P, KETAMINE_OK, _with_limits(dose_tolerance_pct=0.5), dose_mg=40.3))[
        "dose_off_weight"
    ]
    assert finding.message == (
        "A dose of 40.3 mg differs by 0.8% from 0.5 mg/kg × 80 kg = 40 mg "
        "(allowed 39.8–40.2 mg, ±0.5%). (clinic limit)"
    )


def test_clinic_limits_equal_to_the_protocol_are_not_looser() -> None:
    # tighter = "lower" (dose tolerance) and tighter = "higher" (SpO2, infusion minimum), equal.
    context = _with_limits(dose_tolerance_pct=10, spo2_min_pct=92, infusion_min_minutes=35)
    assert run(P, KETAMINE_OK, context).findings == ()
    assert run(P, KETAMINE_OK, context, infusion_minutes=35).findings == ()


def test_a_looser_lower_is_tighter_limit_is_ignored_and_later_limits_still_apply() -> None:
    context = _with_limits(dose_tolerance_pct=12, infusion_max_minutes=44)
    check = run(P, KETAMINE_OK, context, dose_mg=44.4, infusion_minutes=45)
    found = rules(check)
    assert found["clinic_limit_ignored"] == Finding(
        rule="clinic_limit_ignored",
        level="info",
        field="dose_tolerance_pct",
        message=(
            "The clinic's allowed difference from the weight-based dose (12 %) is looser than "
            "the protocol's (10 %); the protocol's value is used (P-C4)."
        ),
        source="course_policy",
        status="derived",
    )
    assert "dose_off_weight" in found  # 11% off: the protocol's ±10% still applies
    assert found["infusion_duration"].message.endswith(
        "outside 35–44 min (protocol 40 min). (clinic limit)"
    )


@pytest.mark.parametrize(
    ("settings", "field", "message"),
    [
        ({"protocol_limits": 5}, "protocol_limits", "must be an object of protocol ids"),
        ({"protocol_limits": {P: 5}}, f"protocol_limits.{P}", "must be an object of limits"),
        (
            {"protocol_limits": {P: {"mg_per_kg": 0.4}}},
            f"protocol_limits.{P}.mg_per_kg",
            "is not a clinic-configurable limit; allowed: dose_tolerance_pct, "
            "infusion_min_minutes, infusion_max_minutes, predose_systolic_max, "
            "predose_diastolic_max, spo2_min_pct, observation_min_minutes",
        ),
        (
            {"protocol_limits": {P: {"dose_tolerance_pct": 0}}},
            f"protocol_limits.{P}.dose_tolerance_pct",
            "must be a positive number",
        ),
    ],
)
def test_unusable_clinic_limits_are_errors_naming_the_setting(
    settings: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ProtocolError) as caught:
        run(P, KETAMINE_OK, SessionContext(age_years=40, clinic_settings=settings))
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]
