"""Two schedules of one instrument (the care team's and a course's, or two the care team
added): the portal asks for it once, one form satisfies both, one reminder is sent (P-P11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.portal.conftest import SCHEDULE_START
from trdnav.accounts.models import User
from trdnav.portal.models import QuestionnaireSchedule, SentReminder
from trdnav.portal.services.reminders import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_patient(client: Client, portal_user: User) -> Client:
    client.force_login(portal_user)
    return client


@pytest.fixture
def second_phq9(weekly_phq9: QuestionnaireSchedule) -> QuestionnaireSchedule:
    return QuestionnaireSchedule.objects.create(
        patient=weekly_phq9.patient, instrument="phq9", every_days=7,
        start=SCHEDULE_START + timedelta(days=3), created_by=weekly_phq9.created_by,
    )  # fmt: skip


@pytest.fixture
def gad7(weekly_phq9: QuestionnaireSchedule) -> QuestionnaireSchedule:
    return QuestionnaireSchedule.objects.create(
        patient=weekly_phq9.patient, instrument="gad7", every_days=28, start=SCHEDULE_START,
        created_by=weekly_phq9.created_by,
    )  # fmt: skip


def test_the_home_page_asks_for_the_phq9_once_and_the_gad7_too(
    as_patient: Client, second_phq9: QuestionnaireSchedule, gad7: QuestionnaireSchedule
) -> None:
    page = as_patient.get("/portal/").content.decode()
    assert page.count("Start the PHQ-9") == 1
    assert page.count("Start the GAD-7") == 1


def test_one_form_satisfies_both_schedules(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule, second_phq9: QuestionnaireSchedule
) -> None:
    page = as_patient.get("/portal/").content.decode()
    (pk,) = [s.pk for s in (weekly_phq9, second_phq9) if f"/questionnaires/{s.pk}/" in page]
    data = {f"item{n}": "1" for n in range(1, 10)} | {"action": "send"}
    assert as_patient.post(f"/portal/questionnaires/{pk}/", data).status_code == 302
    page = as_patient.get("/portal/").content.decode()
    assert "Start the PHQ-9" not in page
    for schedule in (weekly_phq9, second_phq9):  # the other one is closed too
        response = as_patient.get(f"/portal/questionnaires/{schedule.pk}/")
        assert response.status_code == 302


def test_one_reminder_for_two_schedules_of_one_instrument(
    second_phq9: QuestionnaireSchedule, gad7: QuestionnaireSchedule
) -> None:
    today = timezone.localdate()
    first = send_reminders(as_of=today)
    second = send_reminders(as_of=today)
    assert (first.reminders, first.emails) == (2, 1)  # the PHQ-9 and the GAD-7
    assert (second.reminders, second.emails) == (0, 0)
    assert len(mail.outbox) == 1
    assert "2 questionnaires" in mail.outbox[0].body
    assert SentReminder.objects.count() == 3  # both PHQ-9 occurrences are marked reminded


def test_adding_a_copy_of_an_active_schedule_is_refused_naming_the_instrument(
    client: Client, clinician: User, weekly_phq9: QuestionnaireSchedule
) -> None:
    client.force_login(clinician)
    url = f"/portal/care/patients/{weekly_phq9.patient_id}/schedules/"
    same = {"instrument": "phq9", "every_days": "7", "start": SCHEDULE_START.isoformat()}
    response = client.post(url, same)
    assert response.status_code == 400
    assert "the PHQ-9 is already scheduled every 7 days" in response.content.decode()
    assert QuestionnaireSchedule.objects.count() == 1
    other_start = same | {"start": (SCHEDULE_START + timedelta(days=1)).isoformat()}
    assert client.post(url, other_start).status_code == 302  # allowed, and asked once
    assert QuestionnaireSchedule.objects.count() == 2
