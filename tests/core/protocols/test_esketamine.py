"""Golden tests for the esketamine session checks.

Sources: Spravato US label and HCP dosing page (BP before and ~40 min after dosing; pre-dose
>140/90 consider delaying; rises ≥40 systolic / ≥25 diastolic; observation ≥2 h; readiness to
leave; transport), FDA REMS page (pulse oximetry, respiratory depression), openFDA NDC record
(28 mg per device), MIMS HK (≥65 start at 28 mg, non-US). Policies P-C2, P-C3, P-C4, P-C16.
"""

from __future__ import annotations

import pytest

from tests.core.protocols.sample_sessions import ESKETAMINE_OK, rules, run
from trdnav.core.protocols import SessionContext

P = "esketamine_induction"


def test_a_complete_ordinary_session_can_be_signed() -> None:
    check = run(P, ESKETAMINE_OK)
    assert check.can_sign
    assert [f.level for f in check.findings] == []


@pytest.mark.parametrize(
    ("systolic", "diastolic", "blocked"),
    [(140, 90, False), (141, 90, True), (140, 91, True), (139, 89, False), (180, 60, True)],
)
def test_pre_dose_bp_above_140_over_90_blocks_with_override(
    systolic: int, diastolic: int, blocked: bool
) -> None:
    # Label: pre-dose BP >140/90 -> consider delaying (P-C2: block, overridable).
    check = run(P, ESKETAMINE_OK, bp_pre_systolic=systolic, bp_pre_diastolic=diastolic)
    found = rules(check).get("predose_bp_high")
    assert (found is not None) is blocked
    assert check.can_sign is not blocked
    if found:
        assert found.level == "block"
        assert found.overridable
        assert found.source == "spravato_label"
        assert f"{systolic}/{diastolic} mmHg is above 140/90" in found.message
        assert "(unverified)" not in found.message


def test_the_finding_names_the_reading_that_is_high() -> None:
    # The tablet form highlights this field: the diastolic when only the diastolic is high.
    found = rules(run(P, ESKETAMINE_OK, bp_pre_systolic=130, bp_pre_diastolic=95))
    assert found["predose_bp_high"].field == "bp_pre_diastolic"
    found = rules(run(P, ESKETAMINE_OK, bp_pre_systolic=150, bp_pre_diastolic=95))
    assert found["predose_bp_high"].field == "bp_pre_systolic"


@pytest.mark.parametrize(
    ("post_sys", "post_dia", "warned"),
    [(167, 104, False), (168, 104, True), (167, 105, True), (120, 70, False)],
)
def test_a_post_dose_rise_of_40_systolic_or_25_diastolic_warns(
    post_sys: int, post_dia: int, warned: bool
) -> None:
    # Label: rises >=40 systolic and/or >=25 diastolic in 8-19% (P-C3: warn, the boundary counts).
    check = run(
        P,
        ESKETAMINE_OK,
        bp_pre_systolic=128,
        bp_pre_diastolic=80,
        bp_post40_systolic=post_sys,
        bp_post40_diastolic=post_dia,
    )
    found = rules(check).get("postdose_bp_rise")
    assert (found is not None) is warned
    if found:
        assert found.level == "warn"
        assert check.can_sign


@pytest.mark.parametrize(("minutes", "blocked"), [(119, True), (120, False), (180, False)])
def test_observation_under_120_minutes_blocks_sign_off(minutes: int, blocked: bool) -> None:
    # Label boxed warning and REMS: at least 2 hours of observation.
    check = run(P, ESKETAMINE_OK, observation_minutes=minutes)
    assert ("observation_too_short" in rules(check)) is blocked
    assert check.can_sign is not blocked
    if blocked:
        assert rules(check)["observation_too_short"].message == (
            "Observation of 119 min is shorter than the required 120 min after dosing."
        )


def test_discharge_readiness_spo2_and_respiratory_depression_block() -> None:
    # Label: assessment of readiness to leave; REMS: pulse oximetry, respiratory depression.
    assert "discharge_not_ready" in rules(run(P, ESKETAMINE_OK, discharge_ready=False))
    assert "spo2_not_monitored" in rules(run(P, ESKETAMINE_OK, spo2_monitored=False))
    found = rules(run(P, ESKETAMINE_OK, respiratory_depression_observed=True))
    assert found["respiratory_depression"].level == "block"


def test_no_transport_warns_and_a_high_discharge_bp_warns() -> None:
    assert rules(run(P, ESKETAMINE_OK, transport_arranged=False))[
        "transport_not_arranged"
    ].level == ("warn")
    found = rules(run(P, ESKETAMINE_OK, bp_discharge_systolic=141))
    assert found["discharge_bp_high"].level == "warn"


@pytest.mark.parametrize(
    ("dose", "devices", "blocked"), [(56, 2, False), (84, 3, False), (56, 3, True), (84, 2, True)]
)
def test_the_device_count_must_match_the_dose_at_28_mg_each(
    dose: int, devices: int, blocked: bool
) -> None:
    check = run(P, ESKETAMINE_OK, dose_mg=dose, devices_used=devices)
    assert ("device_count_mismatch" in rules(check)) is blocked
    if blocked:
        assert f"({devices * 28} mg)" in rules(check)["device_count_mismatch"].message


def test_first_dose_is_56_mg_under_65_and_28_mg_is_noted_from_65() -> None:
    first = SessionContext(age_years=40, session_number=1)
    found = rules(run(P, ESKETAMINE_OK, first, dose_mg=84, devices_used=3))
    assert found["first_dose_not_labelled"].level == "warn"
    later = SessionContext(age_years=40, session_number=2)
    assert "first_dose_not_labelled" not in rules(
        run(P, ESKETAMINE_OK, later, dose_mg=84, devices_used=3)
    )
    older = SessionContext(age_years=70, session_number=1)
    assert rules(run(P, ESKETAMINE_OK, older))["older_first_dose"].level == "info"
    assert "older_first_dose" not in rules(run(P, ESKETAMINE_OK, older, dose_mg=28, devices_used=1))
    # Under 65 a 28 mg dose is not a labelled dose; with the age unknown the check is skipped.
    assert "dose_not_labelled" in rules(run(P, ESKETAMINE_OK, later, dose_mg=28, devices_used=1))
    unknown = SessionContext(session_number=2)
    assert "dose_not_labelled" not in rules(
        run(P, ESKETAMINE_OK, unknown, dose_mg=28, devices_used=1)
    )


def test_a_clinic_may_tighten_the_bp_limit_and_the_message_says_so() -> None:
    settings = {"protocol_limits": {P: {"predose_systolic_max": 130}}}
    context = SessionContext(age_years=40, clinic_settings=settings)
    found = rules(run(P, ESKETAMINE_OK, context, bp_pre_systolic=131))
    assert found["predose_bp_high"].message.endswith("(clinic limit)")
    assert "above 130/90" in found["predose_bp_high"].message
    assert "predose_bp_high" not in rules(run(P, ESKETAMINE_OK, context, bp_pre_systolic=130))


def test_a_clinic_cannot_loosen_a_label_limit() -> None:
    settings = {"protocol_limits": {P: {"observation_min_minutes": 60}}}
    context = SessionContext(age_years=40, clinic_settings=settings)
    check = run(P, ESKETAMINE_OK, context, observation_minutes=90)
    found = rules(check)
    assert found["clinic_limit_ignored"].level == "info"
    assert found["observation_too_short"].level == "block"
    assert "120 min" in found["observation_too_short"].message


def test_the_maintenance_protocol_has_the_same_safety_checks_but_no_first_dose_rule() -> None:
    check = run("esketamine_maintenance", ESKETAMINE_OK, observation_minutes=100)
    assert "observation_too_short" in rules(check)
    first = SessionContext(age_years=40, session_number=1)
    assert "first_dose_not_labelled" not in rules(
        run("esketamine_maintenance", ESKETAMINE_OK, first, dose_mg=84, devices_used=3)
    )
