"""Golden tests for the IV ketamine session checks.

Sources: Fava 2020 (0.5 mg/kg over 40 minutes), Sanacora 2017 consensus (monitoring of BP, heart
rate and SpO₂; observation until back to baseline; escort home — specifics from memory).
Policies P-C2 and P-C5 (±10% dose tolerance, 35–45 min infusion).
"""

from __future__ import annotations

import pytest

from tests.core.protocols.sample_sessions import KETAMINE_OK, rules, run
from trdnav.core.protocols import SessionContext

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
