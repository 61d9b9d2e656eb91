"""Golden tests for the ECT session checks.

Sources: Jayaprakash et al., Indian J Psychiatry 40(1):55–59 (adequate EEG seizure ≥25 s, motor
≥15 s; prolonged EEG ≥120 s, motor ≥90 s); PMC2953649 (prolonged >120 s); Rasimas 2007 (no agreed
minimum); Sackeim 2008 and the pulse-width review PMC3513900 (RUL ultrabrief 0.25–0.3 ms at ~6×
ST; BT brief pulse at 1.5–2.5× ST); cognitive-check schedule from memory. Policies P-C11 to P-C13.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.protocols.sample_sessions import ECT_OK, rules, run
from trdnav.core.protocols import SessionContext

P = "ect_rul_ultrabrief"
LATER = {k: v for k, v in ECT_OK.items() if k not in ("seizure_threshold_mc", "cognitive_score")}


def _at(session: int, threshold: float = 25) -> SessionContext:
    previous: list[dict[str, Any]] = [{**ECT_OK, "seizure_threshold_mc": threshold}]
    previous += [dict(LATER) for _ in range(session - 2)]
    return SessionContext(session_number=session, previous_sessions=previous)


def test_a_complete_first_session_can_be_signed() -> None:
    assert run(P, ECT_OK, SessionContext(session_number=1)).findings == ()


def test_the_seizure_threshold_is_required_at_the_first_session() -> None:
    check = run(P, LATER, SessionContext(session_number=1))
    assert [(f.rule, f.field) for f in check.blocks] == [("required_field", "seizure_threshold_mc")]


@pytest.mark.parametrize(
    ("eeg", "rule"),
    [(24, "seizure_eeg_short"), (25, None), (119, None), (120, "seizure_eeg_prolonged")],
)
def test_eeg_seizure_duration_warnings(eeg: int, rule: str | None) -> None:
    found = {
        r: f
        for r, f in rules(run(P, LATER, _at(2), seizure_eeg_seconds=eeg)).items()
        if r.startswith("seizure_eeg")
    }
    assert list(found) == ([rule] if rule else [])
    if rule:
        assert found[rule].level == "warn"
        assert "(unverified)" not in found[rule].message


@pytest.mark.parametrize(
    ("motor", "rule", "level"),
    [
        (14, "seizure_motor_short", "info"),
        (15, None, None),
        (89, None, None),
        (90, "seizure_motor_prolonged", "warn"),
    ],
)
def test_motor_seizure_duration_warnings(motor: int, rule: str | None, level: str | None) -> None:
    found = {
        r: f
        for r, f in rules(run(P, LATER, _at(2), seizure_motor_seconds=motor)).items()
        if r.startswith("seizure_motor")
    }
    assert list(found) == ([rule] if rule else [])
    if rule:
        assert found[rule].level == level


@pytest.mark.parametrize(
    ("charge", "warned"), [(124, True), (125, False), (150, False), (175, False), (176, True)]
)
def test_the_rul_stimulus_is_about_6_times_the_latest_threshold(charge: int, warned: bool) -> None:
    # Threshold 25 mC from session 1: 5–7 × = 125–175 mC (P-C11).
    check = run(P, LATER, _at(4), stimulus_charge_mc=charge)
    assert ("dose_multiple_outside" in rules(check)) is warned


def test_the_titration_session_is_not_checked_for_the_dose_multiple() -> None:
    assert "dose_multiple_outside" not in rules(
        run(P, ECT_OK, SessionContext(session_number=1), stimulus_charge_mc=25)
    )


def test_a_re_titrated_threshold_replaces_the_first() -> None:
    context = _at(3)
    retitrated = SessionContext(
        session_number=3,
        previous_sessions=[*context.previous_sessions[:-1], {**LATER, "seizure_threshold_mc": 50}],
    )
    assert "dose_multiple_outside" in rules(run(P, LATER, retitrated, stimulus_charge_mc=150))
    assert "dose_multiple_outside" not in rules(run(P, LATER, retitrated, stimulus_charge_mc=300))


def test_bitemporal_uses_its_own_pulse_width_and_dose_range() -> None:
    values = {**LATER, "placement": "bitemporal", "pulse_width_ms": 1.0, "stimulus_charge_mc": 50}
    assert run("ect_bitemporal", values, _at(2)).findings == ()
    found = rules(run("ect_bitemporal", {**values, "stimulus_charge_mc": 100}, _at(2)))
    assert "dose_multiple_outside" in found
    found = rules(run(P, {**LATER, "placement": "bitemporal", "pulse_width_ms": 1.0}, _at(2)))
    assert found["placement_not_protocol"].level == "warn"
    assert found["pulse_width_outside"].message == (
        "Pulse width 1 ms is outside this protocol's 0.25–0.3 ms."
    )


def test_a_re_stimulation_needs_a_reason() -> None:
    found = rules(run(P, LATER, _at(2), restimulated=True))
    assert found["restimulation_reason_missing"].level == "block"
    assert "restimulation_reason_missing" not in rules(
        run(P, LATER, _at(2), restimulated=True, restimulation_reason="EEG seizure 12 s")
    )


@pytest.mark.parametrize(("session", "due"), [(2, False), (5, False), (6, True), (12, True)])
def test_cognitive_checks_at_baseline_mid_course_and_the_end(session: int, due: bool) -> None:
    found = rules(run(P, LATER, _at(session))).get("cognitive_check_due")
    assert (found is not None) is due
    if found:
        assert found.message == (
            f"A cognitive check (MoCA or MMSE) is due at session {session} (baseline, "
            "mid-course and end: sessions 1, 6, 12). (unverified)"
        )
    assert "cognitive_check_due" not in rules(run(P, LATER, _at(session), cognitive_score=26))


def test_a_clinic_may_lower_the_prolonged_seizure_threshold() -> None:
    settings = {"protocol_limits": {P: {"eeg_seizure_prolonged_seconds": 90}}}
    context = SessionContext(session_number=1, clinic_settings=settings)
    found = rules(run(P, ECT_OK, context, seizure_eeg_seconds=95))
    assert found["seizure_eeg_prolonged"].message.endswith("(clinic limit)")
