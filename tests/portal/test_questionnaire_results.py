"""Submitted questionnaires: stored through the assessments app as patient-entered results,
once per idempotency key; a positive item 9 shows crisis guidance and flags the dashboard; the
progress page puts the change in plain words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.portal.conftest import SCHEDULE_START
from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule, SafetyNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_patient(client: Client, portal_user: User) -> Client:
    client.force_login(portal_user)
    return client


def answers(values: list[int], key: str = "k1") -> dict[str, str]:
    data = {f"item{number}": str(value) for number, value in enumerate(values, start=1)}
    return {**data, "idempotency_key": key, "action": "send"}


def stored() -> list[tuple[str, int | None, str, str | None]]:
    return list(Assessment.objects.values_list("instrument", "total", "source", "safety"))


def test_a_complete_form_is_stored_as_a_patient_entered_result_and_the_schedule_is_done(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule
) -> None:
    response = as_patient.post(
        f"/portal/questionnaires/{weekly_phq9.pk}/", answers([1, 1, 2, 1, 0, 1, 1, 0, 0])
    )
    assert response["Location"] == "/portal/"
    assert stored() == [("phq9", 7, "patient", "negative")]
    assert not SafetyNotice.objects.exists()
    home = as_patient.get("/portal/").content.decode()
    assert "Start the PHQ-9" not in home
    assert "Thank you. Your answers were sent" in home


def test_submitting_the_same_form_twice_stores_one_result_and_one_notice(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule
) -> None:
    url = f"/portal/questionnaires/{weekly_phq9.pk}/"
    first = as_patient.post(url, answers([2] * 9, key="same"))
    second = as_patient.post(url, answers([2] * 9, key="same"))
    assert first["Location"] == second["Location"] == "/portal/help-now/"
    assert len(stored()) == 1
    assert SafetyNotice.objects.count() == 1


def test_item9_positive_shows_crisis_guidance_at_once_and_flags_the_dashboard(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule, clinician: User
) -> None:
    response = as_patient.post(
        f"/portal/questionnaires/{weekly_phq9.pk}/", answers([0, 0, 0, 0, 0, 0, 0, 0, 1])
    )
    assert response["Location"] == "/portal/help-now/"
    page = as_patient.get("/portal/help-now/").content.decode()
    assert "Please get help now" in page
    assert "call your local emergency number" in page
    assert "not monitored in real time" in page
    notice = SafetyNotice.objects.get()
    assert notice.source == "questionnaire"
    staff = Client()
    staff.force_login(clinician)
    dashboard = staff.get("/dashboard/").content.decode()
    assert "PHQ-9 item 9, positive" in dashboard
    assert "Review safety answer from" in dashboard


def test_the_progress_page_says_the_change_in_plain_words(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule, patient: Patient, clinician: User
) -> None:

    actor = Actor(user=clinician, clinic=patient.clinic)
    for weeks, items in ((0, [3, 3, 3, 2, 2, 2, 2, 2, 2]), (6, [2, 2, 1, 1, 1, 2, 1, 2, 0])):
        record_assessment(
            patient=patient, instrument="phq9", answers={"items": items},
            administered_on=SCHEDULE_START + timedelta(weeks=weeks), by=actor, source="clinician",
        )  # fmt: skip
    page = as_patient.get("/portal/progress/").content.decode()
    assert "Your PHQ-9 score went from 21 to 12, a 43% improvement." in page
    assert "<svg" in page
    assert "remission" not in page.lower()
    assert "response" not in page.lower()


def test_the_care_panel_says_when_a_done_questionnaire_was_last_done_and_is_next_due(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule, clinician: User, patient: Patient
) -> None:
    as_patient.post(
        f"/portal/questionnaires/{weekly_phq9.pk}/", answers([1, 1, 2, 1, 0, 1, 1, 0, 0])
    )
    staff = Client()
    staff.force_login(clinician)
    panel = staff.get(f"/portal/care/patients/{patient.pk}/").content.decode()
    row = panel.split('id="schedules"')[1].split("</table>")[0]
    today = timezone.localdate()
    assert "done</span> since" not in row
    assert f"last done {today:%Y-%m-%d}" in row
    assert "· next " in row
