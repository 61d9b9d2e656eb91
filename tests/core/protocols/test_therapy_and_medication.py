"""Golden tests for psychotherapy and medication-trial session checks.

Sources: the treatment history's adequacy tables (default profile P-B11: usual minimum dose,
adherence ≥ 80%; augmentation agents P-B13), IAPT measurement (Gyani 2013), psychotherapy
monitoring statements from memory. Policies P-C14, P-C15.
"""

from __future__ import annotations

import pytest

from tests.core.protocols.sample_sessions import MEDICATION_OK, THERAPY_OK, rules, run
from trdnav.core.history.knowledge import default_profile_name, load_profiles
from trdnav.core.protocols import SessionContext, get_protocol

MISSED = {"attendance": "did_not_attend"}


def test_an_attended_therapy_session_with_homework_can_be_signed() -> None:
    assert run("psychotherapy_cbt", THERAPY_OK).findings == ()


def test_two_missed_sessions_in_a_row_warn() -> None:
    one = SessionContext(session_number=2, previous_sessions=[THERAPY_OK])
    assert "missed_sessions" not in rules(run("psychotherapy_cbt", MISSED, one))
    two = SessionContext(session_number=3, previous_sessions=[THERAPY_OK, MISSED])
    found = rules(run("psychotherapy_cbt", MISSED, two))["missed_sessions"]
    assert found.message == (
        "2 sessions in a row not attended: contact the patient and review the plan."
    )
    assert run("psychotherapy_cbt", MISSED, two).can_sign


def test_a_clinic_may_set_the_missed_count_either_way() -> None:
    settings = {"protocol_limits": {"psychotherapy_ipt": {"missed_in_a_row": 3}}}
    two = SessionContext(
        session_number=3, previous_sessions=[THERAPY_OK, MISSED], clinic_settings=settings
    )
    assert "missed_sessions" not in rules(run("psychotherapy_ipt", MISSED, two))
    three = SessionContext(
        session_number=4, previous_sessions=[MISSED, MISSED], clinic_settings=settings
    )
    assert "missed_sessions" in rules(run("psychotherapy_ipt", MISSED, three))


def test_suicide_risk_review_is_expected_at_every_attended_session() -> None:
    found = rules(run("psychotherapy_mbct", {"attendance": "attended"}))
    assert found["suicide_risk_review_missing"].message.endswith("(unverified)")
    found = rules(run("psychotherapy_mbct", {**THERAPY_OK, "suicide_risk_reviewed": False}))
    assert found["suicide_risk_not_reviewed"].level == "warn"
    assert run("psychotherapy_mbct", MISSED).findings == ()
    found = rules(run("psychotherapy_ba", {**THERAPY_OK, "homework": "not_done"}))
    assert found["homework_not_done"].level == "info"


def test_an_adequate_dose_passes_and_a_lower_one_warns_with_the_tables_minimum() -> None:
    assert run("medication_trial", MEDICATION_OK).findings == ()
    assert run("medication_trial", MEDICATION_OK, daily_dose_mg=50).findings == ()
    found = rules(run("medication_trial", MEDICATION_OK, daily_dose_mg=25))["dose_below_adequate"]
    assert found.level == "warn"
    assert found.message == (
        "25 mg/day of sertraline is below the adequate dose of 50 mg/day: a trial counts as "
        "adequate after 6 weeks at or above it."
    )


def test_augmentation_uses_the_agents_table_and_4_weeks() -> None:
    values = {**MEDICATION_OK, "drug": "aripiprazole", "trial_kind": "augmentation"}
    found = rules(run("medication_trial", values, daily_dose_mg=1))["dose_below_adequate"]
    assert "adequate dose of 2 mg/day" in found.message
    assert "after 4 weeks" in found.message
    assert not found.message.endswith("(unverified)")
    # A minimum recalled from memory (brexpiprazole 1 mg) makes the message unverified.
    values = {**values, "drug": "brexpiprazole"}
    found = rules(run("medication_trial", values, daily_dose_mg=0.5))["dose_below_adequate"]
    assert found.message.endswith("(unverified)")


def test_a_drug_without_a_minimum_is_noted_not_judged() -> None:
    values = {**MEDICATION_OK, "drug": "modafinil", "trial_kind": "augmentation"}
    found = rules(run("medication_trial", values))["dose_below_adequate"]
    assert found.level == "info"
    assert "No adequate dose on file for modafinil" in found.message


def test_adherence_and_tolerability() -> None:
    assert rules(run("medication_trial", MEDICATION_OK, adherence_pct=79))["adherence_low"]
    assert "adherence_low" not in rules(run("medication_trial", MEDICATION_OK, adherence_pct=80))
    assert rules(run("medication_trial", MEDICATION_OK, tolerability="poor"))["poor_tolerability"]


def test_the_adherence_limit_is_the_adequacy_profiles() -> None:
    profile = load_profiles()[default_profile_name()]
    assert get_protocol("medication_trial").parameter("adherence_min_pct").value == (
        profile.adherence_min_pct
    )


def test_an_empty_trial_kind_is_judged_as_an_antidepressant_trial() -> None:
    # history_adequacy (P-C15): sertraline's adequate antidepressant dose is 50 mg/day.
    found = rules(run("medication_trial", MEDICATION_OK, trial_kind=None, daily_dose_mg=25))
    assert found["required_field"].field == "trial_kind"
    assert found["dose_below_adequate"].message == (
        "25 mg/day of sertraline is below the adequate dose of 50 mg/day: a trial counts as "
        "adequate after 6 weeks at or above it."
    )
    assert found["dose_below_adequate"].level == "warn"


@pytest.mark.parametrize("empty", ["drug", "daily_dose_mg"])
def test_no_adequacy_finding_while_the_drug_or_the_dose_is_empty(empty: str) -> None:
    found = rules(run("medication_trial", MEDICATION_OK, **{empty: None}))
    assert "dose_below_adequate" not in found
    assert found["required_field"].field == empty


def test_a_required_field_of_a_from_memory_protocol_carries_its_status() -> None:
    found = rules(run("psychotherapy_act", THERAPY_OK, attendance=None))["required_field"]
    assert found.status == "from_memory"
