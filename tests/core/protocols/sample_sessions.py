"""Complete, passing session values for each protocol, to vary one field at a time."""

from __future__ import annotations

from typing import Any

from trdnav.core.protocols import Finding, SessionCheck, SessionContext, check_session

ESKETAMINE_OK: dict[str, Any] = {
    "dose_mg": 56,
    "devices_used": 2,
    "bp_pre_systolic": 128,
    "bp_pre_diastolic": 80,
    "bp_post40_systolic": 140,
    "bp_post40_diastolic": 88,
    "bp_discharge_systolic": 126,
    "bp_discharge_diastolic": 80,
    "spo2_monitored": True,
    "sedation_observed": False,
    "dissociation_observed": True,
    "respiratory_depression_observed": False,
    "observation_minutes": 120,
    "discharge_ready": True,
    "transport_arranged": True,
}
KETAMINE_OK: dict[str, Any] = {
    "weight_kg": 80,
    "dose_mg": 40,
    "infusion_minutes": 40,
    "bp_pre_systolic": 125,
    "bp_pre_diastolic": 78,
    "hr_pre": 72,
    "spo2_pre": 98,
    "bp_during_systolic": 142,
    "bp_during_diastolic": 88,
    "hr_during": 88,
    "spo2_lowest": 95,
    "bp_post_systolic": 126,
    "bp_post_diastolic": 80,
    "hr_post": 74,
    "cadss6": 6,
    "sedation": "mild",
    "observation_minutes": 60,
    "discharge_ready": True,
    "escort_present": True,
}
TMS_OK: dict[str, Any] = {
    "motor_threshold_pct": 55,
    "intensity_pct_mt": 120,
    "pulses": 3000,
    "coil_position": "left DLPFC, 5.5 cm rule",
    "tolerability": "well_tolerated",
    "seizure_screen_done": True,
    "seizure_occurred": False,
}
ECT_OK: dict[str, Any] = {
    "placement": "rul",
    "pulse_width_ms": 0.3,
    "seizure_threshold_mc": 25,
    "stimulus_charge_mc": 150,
    "anaesthetic": "methohexital",
    "anaesthetic_dose_mg": 70,
    "relaxant": "succinylcholine",
    "relaxant_dose_mg": 50,
    "seizure_motor_seconds": 30,
    "seizure_eeg_seconds": 45,
    "restimulated": False,
    "reorientation_minutes": 20,
    "cognitive_test": "moca",
    "cognitive_score": 27,
}
THERAPY_OK: dict[str, Any] = {
    "attendance": "attended",
    "homework": "completed",
    "suicide_risk_reviewed": True,
}
MEDICATION_OK: dict[str, Any] = {
    "drug": "sertraline",
    "trial_kind": "antidepressant",
    "daily_dose_mg": 100,
    "adherence_pct": 90,
    "tolerability": "good",
}


def run(
    protocol: str, base: dict[str, Any], context: SessionContext | None = None, **changes: Any
) -> SessionCheck:
    return check_session(protocol, {**base, **changes}, context or SessionContext(age_years=40))


def rules(check: SessionCheck) -> dict[str, Finding]:
    return {f.rule: f for f in check.findings}
