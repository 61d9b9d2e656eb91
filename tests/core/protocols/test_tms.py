"""Golden tests for the TMS session checks.

Sources: O'Reardon 2007 and George 2010 (10 Hz, 120% MT, 3000 pulses), Cole 2020 (accelerated
iTBS: 90% rMT, 1800 pulses, 50-minute gaps), Taylor 2021 (seizure risk), TMS safety guidelines
(motor threshold re-measured weekly; seizure screen — from memory). Policies P-C1, P-C10.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.protocols.sample_sessions import TMS_OK, rules, run
from trdnav.core.protocols import SessionContext

P = "rtms_10hz"
LATER = {k: v for k, v in TMS_OK.items() if k != "motor_threshold_pct"}


def _history(measured_at: list[int], upto: int) -> list[dict[str, Any]]:
    """Sessions 1..upto, with the motor threshold recorded at the given session numbers."""
    return [
        {**LATER, "motor_threshold_pct": 55} if n in measured_at else dict(LATER)
        for n in range(1, upto + 1)
    ]


def test_the_motor_threshold_is_required_at_session_1_and_cannot_be_overridden() -> None:
    check = run(P, LATER, SessionContext(session_number=1))
    blocks = [f for f in check.findings if f.level == "block"]
    assert [(f.rule, f.field, f.overridable) for f in blocks] == [
        ("required_field", "motor_threshold_pct", False)
    ]
    assert check.unoverridable_rules == ("required_field",)
    assert run(P, TMS_OK, SessionContext(session_number=1)).can_sign


@pytest.mark.parametrize(
    ("session", "due"),
    [(2, False), (5, False), (6, True), (7, True)],
)
def test_the_motor_threshold_is_re_measured_every_5_sessions(session: int, due: bool) -> None:
    # Measured at session 1 only: due again at session 6 (weekly at 5 a week; from memory).
    context = SessionContext(session_number=session, previous_sessions=_history([1], session - 1))
    found = rules(run(P, LATER, context)).get("motor_threshold_due")
    assert (found is not None) is due
    if found:
        assert found.level == "warn"
        assert found.message == (
            f"Motor threshold last measured {session - 1} sessions ago: re-measure it "
            "(every 5 sessions). (unverified)"
        )


def test_a_re_measurement_restarts_the_schedule() -> None:
    context = SessionContext(session_number=10, previous_sessions=_history([1, 6], 9))
    assert "motor_threshold_due" not in rules(run(P, LATER, context))
    context = SessionContext(session_number=11, previous_sessions=_history([1, 6], 10))
    assert "motor_threshold_due" in rules(run(P, LATER, context))
    assert "motor_threshold_due" not in rules(run(P, TMS_OK, context))


def test_a_course_record_without_any_threshold_blocks() -> None:
    context = SessionContext(session_number=3, previous_sessions=_history([], 2))
    found = rules(run(P, LATER, context))["motor_threshold_due"]
    assert found.level == "block"


def test_a_clinic_may_re_measure_more_often() -> None:
    settings = {"protocol_limits": {P: {"mt_remeasure_every_sessions": 3}}}
    context = SessionContext(
        session_number=4, previous_sessions=_history([1], 3), clinic_settings=settings
    )
    found = rules(run(P, LATER, context))["motor_threshold_due"]
    assert found.message.endswith("(unverified) (clinic limit)")


@pytest.mark.parametrize(
    ("intensity", "rule", "level"),
    [(121, "intensity_above_protocol", "block"), (110, "intensity_below_protocol", "info")],
)
def test_intensity_is_checked_against_the_protocol(intensity: int, rule: str, level: str) -> None:
    found = rules(run(P, TMS_OK, intensity_pct_mt=intensity))
    assert found[rule].level == level
    assert run(P, TMS_OK, intensity_pct_mt=120).findings == ()


def test_pulses_above_block_and_below_warn() -> None:
    assert rules(run(P, TMS_OK, pulses=3001))["pulses_above_protocol"].level == "block"
    assert rules(run(P, TMS_OK, pulses=2999))["pulses_below_protocol"].level == "warn"


def test_seizure_screening_and_a_seizure_block() -> None:
    found = rules(run(P, TMS_OK, seizure_screen_done=False, seizure_occurred=True))
    assert found["seizure_screen_not_done"].message.endswith("(unverified)")
    assert found["seizure_occurred"].source == "taylor2021"
    assert rules(run(P, TMS_OK, tolerability="stopped_early"))["stopped_early"].level == "warn"


def test_accelerated_itbs_uses_its_own_parameters_and_the_50_minute_gap() -> None:
    values = {**TMS_OK, "intensity_pct_mt": 90, "pulses": 1800}
    assert run("accelerated_itbs", values, SessionContext(session_number=1)).findings == ()
    found = rules(run("accelerated_itbs", values, minutes_since_previous=49))
    assert found["gap_too_short"].level == "warn"
    assert "gap_too_short" not in rules(run("accelerated_itbs", values, minutes_since_previous=50))
    found = rules(run("accelerated_itbs", {**values, "intensity_pct_mt": 120}))
    assert found["intensity_above_protocol"].level == "block"


def test_itbs_intensity_from_memory_is_marked_unverified() -> None:
    values = {**TMS_OK, "pulses": 600, "intensity_pct_mt": 130}
    found = rules(run("itbs", values))["intensity_above_protocol"]
    assert found.message.endswith("(unverified)")


def test_a_course_without_any_threshold_says_to_measure_it_before_treating() -> None:
    # rtms_10hz.toml, tms_safety_guidelines (from memory): message_first, level_first = block.
    context = SessionContext(session_number=3, previous_sessions=_history([], 2))
    found = rules(run(P, LATER, context))["motor_threshold_due"]
    assert found.message == (
        "No motor threshold on record for this course: measure it before treating. (unverified)"
    )


def test_a_verified_rule_using_a_from_memory_limit_is_reported_unverified() -> None:
    # deep_tms_h1.toml: intensity_above_protocol is verified, its 120% limit is from memory.
    found = rules(run("deep_tms_h1", TMS_OK, intensity_pct_mt=130))["intensity_above_protocol"]
    assert found.status == "from_memory"
    assert found.message.endswith("(unverified)")
