from __future__ import annotations

from datetime import date, timedelta

import pytest

from trdnav.accounts.models import Membership, Role, User
from trdnav.assessments.models import Assessment
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import options_for
from trdnav.courses.models import Course, RemsReport, SessionOverride
from trdnav.demo import load_demo_data
from trdnav.demo.histories import persona_history
from trdnav.demo.people import demo_patients
from trdnav.demo.personas import PERSONAS
from trdnav.history.models import HistorySnapshot
from trdnav.patients.models import Patient

AS_OF = date(2025, 3, 1)


def test_the_same_seed_and_date_give_the_same_patients() -> None:
    assert demo_patients(as_of=AS_OF) == demo_patients(as_of=AS_OF)
    assert demo_patients(as_of=AS_OF, seed=1) != demo_patients(as_of=AS_OF)
    assert all(p.date_of_birth < AS_OF for p in demo_patients(as_of=AS_OF))


@pytest.mark.django_db
def test_it_builds_a_clinic_with_a_member_per_role_and_thirty_patients() -> None:
    logins = load_demo_data(progress=lambda _: None, as_of=AS_OF)
    assert [login.role for login in logins] == [
        "site admin",
        "clinic admin",
        "clinician",
        "staff",
        "patient",
    ]
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {role.value for role in Role}
    assert Patient.objects.filter(clinic__slug="demo").count() == 30
    for login in logins:
        assert User.objects.get(username=login.username).check_password(login.password)


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    first = list(Patient.objects.values_list("record_number", "date_of_birth", "user_id"))
    load_demo_data(progress=lambda _: None, as_of=date(2026, 1, 1))
    second = list(Patient.objects.values_list("record_number", "date_of_birth", "user_id"))
    assert first == second
    assert User.objects.count() == 5


@pytest.mark.django_db
def test_the_demo_patient_login_reaches_exactly_one_record() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    patient_user = User.objects.get(username="demo-patient")
    assert Patient.objects.get(user=patient_user).record_number == "DEMO-0001"


@pytest.mark.django_db
def test_the_personas_are_demo_patients_with_their_history_and_facts() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    dana = Patient.objects.get(clinic__slug="demo", given_name="Dana", family_name="Okafor")
    profile = ClinicalProfile.objects.get(patient=dana)
    assert profile.facts == ["psychotic_features", "high_suicide_risk"]
    assert persona_history(PERSONAS["dana"], AS_OF) == profile.history
    assert dana.age_on(AS_OF) == PERSONAS["dana"].age
    names = {p.display_name for p in Patient.objects.filter(clinic__slug="demo")}
    assert {persona.name for persona in PERSONAS.values()} <= names


@pytest.mark.django_db
def test_loading_twice_adds_no_history_snapshot_or_score() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    counts = (
        ClinicalProfile.objects.count(),
        HistorySnapshot.objects.count(),
        Assessment.objects.count(),
    )
    histories = list(ClinicalProfile.objects.order_by("patient_id").values_list("history"))
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    # One snapshot per patient, and one more where the demo's completed course was written
    # into the history when it ended.
    assert counts[:2] == (30, 31)
    assert counts[2] > 30 * 20
    assert (
        ClinicalProfile.objects.count(),
        HistorySnapshot.objects.count(),
        Assessment.objects.count(),
    ) == counts
    assert list(ClinicalProfile.objects.order_by("patient_id").values_list("history")) == histories


@pytest.mark.django_db
def test_only_the_planned_patient_has_a_recent_positive_item9() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    flagged = Assessment.objects.filter(instrument="phq9", safety="positive")
    assert set(flagged.values_list("patient__family_name", flat=True)) == {"Okafor"}
    days = set(flagged.values_list("administered_on", flat=True))
    assert len(days) == 2
    assert all(AS_OF - timedelta(weeks=2) < day <= AS_OF for day in days)
    assert not Assessment.objects.exclude(instrument="phq9").filter(safety="positive").exists()


@pytest.mark.django_db
def test_the_demo_has_active_and_completed_courses_made_through_the_services() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    courses = {c.patient.record_number: c for c in Course.objects.select_related("patient")}
    assert {n: (c.protocol_id, c.status) for n, c in courses.items()} == {
        "DEMO-0009": ("rtms_10hz", "active"),
        "DEMO-0004": ("esketamine_induction", "active"),
        "DEMO-0005": ("ect_rul_ultrabrief", "completed"),
    }
    esketamine = courses["DEMO-0004"]
    assert esketamine.sessions.filter(state="signed").count() == 5
    override = SessionOverride.objects.get(session__course=esketamine)
    assert (override.session.number, override.rule) == (3, "predose_bp_high")
    assert override.reason.strip()
    forms = RemsReport.objects.filter(session__course=esketamine).order_by("session__number")
    assert [f.submitted_at is not None for f in forms] == [True] * 4 + [False]
    ended = courses["DEMO-0005"]
    assert ended.outcome is not None
    assert ended.outcome["history_entry"]["written"] is True
    history = ClinicalProfile.objects.get(patient=ended.patient).history
    assert history is not None
    assert f"course-{ended.pk}" in {t["id"] for t in history["treatments"]}
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    assert Course.objects.count() == 3
    assert RemsReport.objects.count() == 5


@pytest.mark.django_db
def test_no_demo_course_is_contraindicated_for_its_patient() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    for course in Course.objects.select_related("patient"):
        options = options_for(patient=course.patient, as_of=course.start_date)
        assert options.option(course.therapy_id).status != "contraindicated", course.protocol_id
