"""Course plans: session dates per protocol and the measure schedule (policy P-C7).

Sources: label schedule (esketamine twice weekly weeks 1–4; weekly weeks 5–8, then every 2
weeks), ketamine series (6 infusions, 2–3 a week), rTMS 30 daily + 6 taper, SNT 10 a day for 5
days (Cole 2020), ECT 3 a week (Lerer 1995, Charlson 2012), medication reviews every 14 days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trdnav.core.protocols import ProtocolError, get_protocol, load_protocols, plan_course

MONDAY = date(2026, 11, 30)


def _days(protocol: str, start: date = MONDAY, sessions: int | None = None) -> list[int]:
    plan = plan_course(protocol, start, sessions=sessions)
    return [(s.on - start).days for s in plan.sessions]


def test_esketamine_induction_twice_weekly_for_4_weeks() -> None:
    assert _days("esketamine_induction") == [0, 3, 7, 10, 14, 17, 21, 24]


def test_esketamine_maintenance_weekly_then_every_2_weeks() -> None:
    plan = plan_course("esketamine_maintenance", MONDAY)
    assert [(s.on - MONDAY).days for s in plan.sessions] == [
        0,
        7,
        14,
        21,
        28,
        42,
        56,
        70,
        84,
        98,
        112,
        126,
    ]
    assert [s.phase for s in plan.sessions[3:5]] == ["weekly", "every_two_weeks"]


def test_ketamine_three_a_week_for_two_weeks() -> None:
    assert _days("ketamine_iv_induction") == [0, 2, 4, 7, 9, 11]


def test_ketamine_maintenance_is_weekly_for_four_weeks() -> None:
    assert _days("ketamine_iv_maintenance") == [0, 7, 14, 21]


def test_rtms_runs_on_weekdays_then_tapers_twice_weekly() -> None:
    plan = plan_course("rtms_10hz", MONDAY)
    assert all(s.on.weekday() < 5 for s in plan.sessions)
    acute = [s for s in plan.sessions if s.phase == "acute"]
    assert len(acute) == 30 and acute[-1].on == MONDAY + timedelta(days=39)  # a Friday
    taper = [(s.on - MONDAY).days for s in plan.sessions if s.phase == "taper"]
    assert taper == [42, 45, 49, 52, 56, 59]


def test_a_weekday_course_started_on_a_wednesday_skips_the_weekend() -> None:
    wednesday = date(2026, 12, 2)
    assert _days("itbs", wednesday)[:6] == [0, 1, 2, 5, 6, 7]


def test_accelerated_itbs_is_ten_sessions_a_day_for_five_days() -> None:
    plan = plan_course("accelerated_itbs", MONDAY)
    by_day = sorted({s.on for s in plan.sessions})
    assert by_day == [MONDAY + timedelta(days=i) for i in range(5)]
    assert all(sum(1 for s in plan.sessions if s.on == d) == 10 for d in by_day)


def test_ect_three_a_week_and_the_count_can_be_changed() -> None:
    assert _days("ect_rul_ultrabrief")[:6] == [0, 2, 4, 7, 9, 11]
    assert len(plan_course("ect_rul_ultrabrief", MONDAY, sessions=8).sessions) == 8
    assert _days("ect_rul_ultrabrief", sessions=14)[-2:] == [28, 30]


def test_medication_reviews_every_14_days_cover_6_weeks() -> None:
    assert _days("medication_trial") == [0, 14, 28, 42]


def test_psychotherapies_are_weekly_and_cbasp_starts_twice_weekly() -> None:
    assert _days("psychotherapy_cbt") == [7 * i for i in range(12)]
    cbasp = _days("psychotherapy_cbasp")
    assert cbasp[:8] == [0, 3, 7, 10, 14, 17, 21, 24]
    assert cbasp[8:] == [28 + 7 * i for i in range(8)]


def test_the_measure_schedule_of_an_esketamine_induction() -> None:
    plan = plan_course("esketamine_induction", MONDAY)
    rows = [(m.instrument, (m.on - MONDAY).days, m.when, m.respondent) for m in plan.measures]
    assert rows == [
        ("madrs", 0, "baseline", "clinician"),
        ("phq9", 0, "baseline", "patient"),
        ("phq9", 3, "during", "patient"),
        ("phq9", 10, "during", "patient"),
        ("phq9", 17, "during", "patient"),
        ("madrs", 24, "end", "clinician"),
        ("phq9", 24, "end", "patient"),
    ]


def test_the_measure_schedule_of_tms_and_of_a_medication_trial() -> None:
    plan = plan_course("rtms_10hz", MONDAY)
    during = [m for m in plan.measures if m.when == "during"]
    assert len(during) == 7  # after sessions 5, 10, …, 35 (not the last)
    assert {m.instrument for m in plan.measures if m.when == "baseline"} == {"phq9", "hamd17"}
    trial = plan_course("medication_trial", MONDAY)
    assert [((m.on - MONDAY).days, m.when) for m in trial.measures] == [
        (0, "baseline"),
        (0, "during"),
        (14, "during"),
        (28, "during"),
        (42, "end"),
    ]


def test_accelerated_during_measures_fall_once_a_day() -> None:
    plan = plan_course("accelerated_itbs", MONDAY)
    assert [(m.on - MONDAY).days for m in plan.measures if m.when == "during"] == [0, 1, 2, 3]


@pytest.mark.parametrize("sessions", [0, -1, 401, True])
def test_an_impossible_session_count_is_refused(sessions: int) -> None:
    with pytest.raises(ProtocolError) as caught:
        plan_course("ect_bitemporal", MONDAY, sessions=sessions)
    assert caught.value.errors[0].field == "sessions"


def test_the_plan_as_json() -> None:
    data = plan_course("ketamine_iv_induction", MONDAY).to_dict()
    assert data["start"] == "2026-11-30" and data["end"] == "2026-12-11"
    assert data["sessions"][0] == {"number": 1, "on": "2026-11-30", "phase": "induction"}
    assert set(data["measures"][0]) == {"instrument", "on", "when", "respondent"}


@pytest.mark.parametrize("protocol_id", sorted(load_protocols()))
def test_every_protocols_plan_and_measure_schedule(protocol_id: str) -> None:
    protocol = get_protocol(protocol_id)
    plan = plan_course(protocol_id, MONDAY)
    sessions = plan.sessions
    assert [s.number for s in sessions] == list(range(1, protocol.planned_sessions + 1))
    assert [s.on for s in sessions] == sorted(s.on for s in sessions)
    assert sessions[0].on == MONDAY
    assert [s.phase for s in sessions] == [
        phase.name for phase in protocol.phases for _ in range(phase.sessions)
    ]
    session_days = {s.on for s in sessions}
    assert all(m.on in session_days for m in plan.measures)
    assert [m.on for m in plan.measures] == sorted(m.on for m in plan.measures)
    for spec in protocol.measures:
        mine = [m for m in plan.measures if m.instrument == spec.instrument and m.when == spec.when]
        if spec.when == "baseline":
            assert [m.on for m in mine] == [sessions[0].on]
        elif spec.when == "end":
            assert [m.on for m in mine] == [sessions[-1].on]
        else:
            every = spec.every_sessions or 1
            expected = sorted({s.on for s in sessions[every - 1 :: every]} - {sessions[-1].on})
            assert [m.on for m in mine] == expected
    primary = {(m.when, m.instrument) for m in plan.measures}
    assert {("baseline", protocol.primary_instrument), ("end", protocol.primary_instrument)} <= (
        primary
    )
