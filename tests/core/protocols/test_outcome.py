"""Course outcome and checkpoint alerts (policies P-C8, P-C9).

Sources: response ≥50%, partial 25–49% and remission cut-offs from each instrument's file
(evidence §9b); early improvement ≥20% within 2 weeks (Szegedi 2009, Wagner 2017); esketamine
induction evaluated at week 4 (label; Turkoz 2021); ketamine median 3 infusions to response
(Phillips 2019); TMS effect by 10–15 sessions (Kedzior) with longer courses still helping
(Tendler 2023); ECT median 6 sessions (KetECT); IAPT reliable improvement PHQ-9 ≥6 (Gyani 2013).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trdnav.core.errors import InvalidInput
from trdnav.core.protocols import CourseOutcome, ProtocolError, course_outcome
from trdnav.core.protocols.load import get_protocol

START = date(2026, 11, 2)


def _day(n: int) -> date:
    return START + timedelta(days=n)


def _outcome(
    protocol: str,
    baseline: int,
    scores: list[tuple[int, int]],
    sessions: int,
    as_of: int,
    instrument: str = "madrs",
) -> CourseOutcome:
    return course_outcome(
        protocol,
        instrument=instrument,
        baseline=baseline,
        scores=[(_day(d), s) for d, s in scores],
        start=START,
        sessions_done=sessions,
        as_of=_day(as_of),
    )


@pytest.mark.parametrize(
    ("latest", "expected"),
    [(10, "remission"), (11, "response"), (15, "response"), (16, "partial_response"), (23, "none")],
)
def test_outcome_classes_at_the_end_of_esketamine_induction(latest: int, expected: str) -> None:
    # MADRS baseline 30: ≤10 remission (default rule), ≤15 is ≥50%, 16–22 is 25–49%.
    result = _outcome("esketamine_induction", 30, [(27, latest)], 8, 28)
    assert result.outcome == expected
    alerts = [a.rule for a in result.alerts]
    assert alerts == ([] if expected in ("remission", "response") else ["induction_no_response"])


def test_a_non_response_before_the_evaluation_point_is_too_early_and_raises_no_alert() -> None:
    result = _outcome("esketamine_induction", 30, [(3, 29)], 2, 4)
    assert (result.outcome, result.alerts) == ("too_early", ())
    assert result.percent_change == pytest.approx(3.3)
    # A response is reported whenever it is seen.
    assert _outcome("esketamine_induction", 30, [(3, 14)], 2, 4).outcome == "response"


def test_no_score_is_too_early_and_a_reached_checkpoint_asks_for_one() -> None:
    result = _outcome("esketamine_induction", 30, [], 8, 28)
    assert result.outcome == "too_early"
    assert [(a.rule, a.level) for a in result.alerts] == [("checkpoint_no_score", "info")]
    assert result.latest is None and result.percent_change is None


def test_the_esketamine_checkpoint_fires_at_day_28_even_with_fewer_sessions() -> None:
    result = _outcome("esketamine_induction", 30, [(27, 28)], 6, 28)
    assert [a.rule for a in result.alerts] == ["induction_no_response"]
    assert _outcome("esketamine_induction", 30, [(20, 28)], 6, 27).alerts == ()


@pytest.mark.parametrize(("latest", "alerted"), [(25, True), (16, False), (17, True), (20, True)])
def test_medication_week_2_early_improvement(latest: int, alerted: bool) -> None:
    # PHQ-9 baseline 20: 16 is exactly 20% lower = early improvement; 17 is 15%.
    result = _outcome("medication_trial", 20, [(14, latest)], 2, 14, "phq9")
    assert result.early_improvement is (latest <= 16)
    rules = [a.rule for a in result.alerts]
    assert ("no_early_improvement_week2" in rules) is alerted
    if rules:
        assert "not a reason to stop" in result.alerts[0].message
        assert result.alerts[0].source == "szegedi2009"


def test_early_improvement_uses_the_last_score_within_14_days_only() -> None:
    result = _outcome("medication_trial", 20, [(7, 19), (13, 15), (20, 19)], 2, 21, "phq9")
    assert result.early_improvement is True
    assert result.latest == 19
    late_only = _outcome("medication_trial", 20, [(20, 15)], 2, 21, "phq9")
    assert late_only.early_improvement is None
    assert _outcome("esketamine_induction", 30, [(7, 29)], 2, 7).early_improvement is None


def test_medication_no_response_at_6_weeks() -> None:
    result = _outcome("medication_trial", 20, [(14, 15), (42, 12)], 4, 42, "phq9")
    assert result.outcome == "partial_response"
    assert [a.rule for a in result.alerts] == ["adequate_duration_no_response"]


def test_ketamine_no_early_improvement_after_3_infusions_then_no_response_after_6() -> None:
    three = _outcome("ketamine_iv_induction", 30, [(5, 26)], 3, 5)
    assert [a.rule for a in three.alerts] == ["no_early_improvement_3"]
    assert three.outcome == "too_early"
    six = _outcome("ketamine_iv_induction", 30, [(12, 26)], 6, 12)
    assert [a.rule for a in six.alerts] == ["no_early_improvement_3", "series_no_response"]
    assert six.outcome == "none"
    assert _outcome("ketamine_iv_induction", 30, [(5, 24)], 3, 5).alerts == ()


def test_tms_checkpoint_at_15_sessions_is_informational() -> None:
    result = _outcome("rtms_10hz", 20, [(20, 18)], 15, 20, "phq9")
    assert [(a.rule, a.level) for a in result.alerts] == [("no_early_improvement_15", "info")]
    assert "rather than stop" in result.alerts[0].message


def test_ect_checkpoints_and_remission() -> None:
    result = _outcome("ect_rul_ultrabrief", 36, [(14, 32)], 6, 14)
    assert [a.rule for a in result.alerts] == ["no_early_improvement_6"]
    result = _outcome("ect_rul_ultrabrief", 36, [(28, 14)], 12, 28)
    assert result.outcome == "response"
    assert [a.rule for a in result.alerts] == ["course_no_remission"]
    assert result.alerts[0].message.endswith("(unverified)")
    assert _outcome("ect_rul_ultrabrief", 36, [(28, 9)], 12, 28).alerts == ()


def test_psychotherapy_reliable_improvement_checkpoint() -> None:
    result = _outcome("psychotherapy_cbt", 18, [(35, 13)], 6, 35, "phq9")
    assert [a.rule for a in result.alerts] == ["no_reliable_improvement_6"]
    assert _outcome("psychotherapy_cbt", 18, [(35, 12)], 6, 35, "phq9").alerts == ()


def test_scores_after_as_of_are_ignored_and_before_the_start_are_refused() -> None:
    result = _outcome("medication_trial", 20, [(14, 18), (30, 5)], 2, 20, "phq9")
    assert result.latest == 18
    with pytest.raises(ProtocolError) as caught:
        _outcome("medication_trial", 20, [(-1, 18)], 2, 20, "phq9")
    assert caught.value.errors[0].field == "scores[0]"
    with pytest.raises(ProtocolError):
        _outcome("medication_trial", 20, [], -1, 20, "phq9")


def test_invalid_totals_name_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        _outcome("medication_trial", 40, [], 2, 20, "phq9")
    assert caught.value.errors[0].field == "baseline"
    # Every score is checked, not only the latest one.
    with pytest.raises(ProtocolError) as caught:
        _outcome("medication_trial", 20, [(3, 31), (14, 12)], 2, 20, "phq9")
    assert caught.value.errors[0].field == "scores[0].score"
    assert caught.value.errors[0].message == "must be a whole total from 0 to 27"


def test_an_instrument_without_outcome_rules_is_an_input_error() -> None:
    with pytest.raises(ProtocolError) as caught:
        _outcome("medication_trial", 5, [(14, 4)], 2, 20, "cgi_s")
    assert caught.value.errors[0].field == "instrument"


def test_the_outcome_as_json() -> None:
    data = _outcome("esketamine_induction", 30, [(27, 20)], 8, 28).to_dict()
    assert data["outcome"] == "partial_response"
    assert data["latest_on"] == "2026-11-29" and data["as_of"] == "2026-11-30"
    assert set(data["alerts"][0]) == {"rule", "level", "message", "source"}


def test_the_outcome_record_names_the_course_it_was_computed_for() -> None:
    result = _outcome("rtms_10hz", 30, [(0, 30)], 1, 0)
    assert result == CourseOutcome(
        protocol="rtms_10hz",
        instrument="madrs",
        baseline=30,
        latest=30,
        latest_on=START,
        outcome="too_early",
        percent_change=0.0,
        early_improvement=None,
        alerts=(),
        sessions_done=1,
        as_of=START,
    )


def test_scores_on_the_start_day_and_at_the_instrument_maximum_are_accepted() -> None:
    # MADRS totals run 0–60 (instruments/madrs.toml); the start day itself is in the course.
    assert _outcome("rtms_10hz", 30, [(0, 60)], 1, 0).latest == 60
    assert _outcome("rtms_10hz", 30, [(0, 0)], 1, 0).latest == 0


@pytest.mark.parametrize(
    ("scores", "field", "message"),
    [
        ([(-1, 20)], "scores[0]", "is dated before the course started"),
        ([(0, "20")], "scores[0].score", "must be a whole total from 0 to 60"),
        ([(0, 61)], "scores[0].score", "must be a whole total from 0 to 60"),
    ],
)
def test_unusable_scores_are_errors_naming_the_score(
    scores: list[tuple[int, object]], field: str, message: str
) -> None:
    with pytest.raises(ProtocolError) as caught:
        _outcome("rtms_10hz", 30, scores, 1, 0)  # type: ignore[arg-type]
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]


@pytest.mark.parametrize("sessions", ["5", 2.5, -1, True])
def test_an_unusable_session_count_is_an_error_naming_it(sessions: object) -> None:
    with pytest.raises(ProtocolError) as caught:
        _outcome("rtms_10hz", 30, [], sessions, 0)  # type: ignore[arg-type]
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("sessions_done", "must be a whole number of sessions, not negative")
    ]


def test_an_instrument_without_outcome_definitions_is_an_error_naming_the_instrument() -> None:
    with pytest.raises(ProtocolError) as caught:
        _outcome("rtms_10hz", 3, [], 1, 0, instrument="phq2")
    assert [(e.field, e.message) for e in caught.value.errors] == [
        (
            "instrument",
            "phq2 has no outcome definitions in the research (A12); for CGI-I and PGI-I the "
            "responder flag is part of the score itself",
        )
    ]


def test_a_partial_response_before_the_evaluation_point_is_too_early() -> None:
    # esketamine_induction.toml: outcome_after_sessions = 8; 30 → 20 is a 33% partial response.
    assert _outcome("esketamine_induction", 30, [(7, 20)], 4, 7).outcome == "too_early"
    assert _outcome("esketamine_induction", 30, [(27, 20)], 8, 28).outcome == "partial_response"


def test_early_improvement_within_two_weeks_silences_the_checkpoint_despite_a_later_relapse() -> (
    None
):
    # Szegedi 2009: ≥20% within 2 weeks. Day 14: 30 → 22 (27%); day 30: 27 (10%).
    result = _outcome("medication_trial", 30, [(14, 22), (30, 27)], 4, 30)
    assert (result.early_improvement, result.outcome, result.alerts) == (True, "none", ())


def test_every_reached_checkpoint_without_a_score_asks_for_one_with_its_own_source() -> None:
    alerts = _outcome("rtms_10hz", 30, [], 30, 60).alerts
    message = (
        "rTMS 10 Hz, left DLPFC: a checkpoint is reached but no score since baseline is "
        "recorded; rate phq9 to evaluate the course."
    )
    assert [(a.rule, a.level, a.message, a.source) for a in alerts] == [
        ("checkpoint_no_score", "info", message, "kedzior+tendler2023"),
        ("checkpoint_no_score", "info", message, "perera2016"),
    ]


def test_a_verified_checkpoint_message_has_no_unverified_suffix() -> None:
    spec = get_protocol("esketamine_induction").checkpoints[0]
    assert spec.status == "verified"
    (alert,) = _outcome("esketamine_induction", 30, [(27, 23)], 8, 28).alerts
    assert (alert.rule, alert.message, alert.source) == (
        "induction_no_response",
        spec.message,
        "spravato_label+turkoz2021",
    )
