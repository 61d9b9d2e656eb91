"""Named authorisation cases (the full grid is tests/site/test_authorisation_matrix.py): a
patient never sees or messages about another patient; another clinic's staff cannot read or
answer messages; schedules and invitations belong to the care team."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_member, make_patient
from trdnav.accounts.models import Clinic, Role, User
from trdnav.patients.models import Patient
from trdnav.portal.models import Message, QuestionnaireSchedule, Thread

pytestmark = pytest.mark.django_db


def thread_for(patient: Patient, text: str) -> Thread:
    now = timezone.now()
    thread = Thread.objects.create(
        patient=patient, subject="Private", created_at=now, last_message_at=now
    )
    Message.objects.create(thread=thread, from_patient=True, body=text, sent_at=now)
    return thread


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_patient_can_neither_read_nor_answer_another_patients_thread(
    patient_user: User, clinic: Clinic
) -> None:
    sibling = make_patient(clinic, "N-002")
    thread = thread_for(sibling, "sibling's secret")
    client = logged_in(patient_user)
    assert client.get(f"/portal/messages/{thread.pk}/").status_code == 404
    assert client.post(f"/portal/messages/{thread.pk}/", {"body": "hello"}).status_code == 404
    assert "sibling's secret" not in client.get("/portal/messages/").content.decode()
    assert Message.objects.count() == 1


def test_a_patient_cannot_start_a_thread_about_another_patient(
    patient_user: User, patient: Patient, clinic: Clinic
) -> None:
    sibling = make_patient(clinic, "N-002")
    client = logged_in(patient_user)
    client.post("/portal/messages/", {"subject": "s", "body": "b", "patient": sibling.pk})
    assert list(Thread.objects.values_list("patient_id", flat=True)) == [patient.pk]


def test_staff_of_another_clinic_cannot_read_or_answer_messages(
    patient: Patient, other_clinic: Clinic
) -> None:
    thread = thread_for(patient, "north secret")
    for role in (Role.CLINICIAN, Role.STAFF, Role.CLINIC_ADMIN):
        outsider = logged_in(make_member(other_clinic, role, f"south-{role.value}"))
        assert outsider.get(f"/portal/care/messages/{thread.pk}/").status_code == 404
        assert (
            outsider.post(f"/portal/care/messages/{thread.pk}/", {"body": "x"}).status_code == 404
        )
        assert "north secret" not in outsider.get("/portal/care/").content.decode()
        assert "north secret" not in outsider.get("/dashboard/").content.decode()
    assert Message.objects.count() == 1
    assert Message.objects.get().read_at is None


def test_a_clinician_sets_a_schedule_that_the_patient_then_sees(
    clinician: User, patient_user: User, patient: Patient
) -> None:
    response = logged_in(clinician).post(
        f"/portal/care/patients/{patient.pk}/schedules/",
        {"instrument": "phq9", "every_days": "7", "start": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert "Start the PHQ-9" in logged_in(patient_user).get("/portal/").content.decode()


def test_a_schedule_for_a_clinician_rated_scale_is_refused_with_the_allowed_codes(
    clinician: User, patient: Patient
) -> None:
    response = logged_in(clinician).post(
        f"/portal/care/patients/{patient.pk}/schedules/",
        {"instrument": "madrs", "every_days": "7", "start": "2025-01-01"},
    )
    assert response.status_code == 400
    assert not QuestionnaireSchedule.objects.exists()


def test_the_service_refuses_an_end_before_the_start(clinician: User, patient: Patient) -> None:
    from trdnav.audit.services import Actor
    from trdnav.core.errors import InvalidInput
    from trdnav.portal.services.schedules import set_schedule

    with pytest.raises(InvalidInput) as caught:
        set_schedule(
            patient=patient,
            data={"instrument": "qids_c16", "every_days": 0, "start": date(2025, 2, 1),
                  "end": date(2025, 1, 1)},
            by=Actor(user=clinician),
        )  # fmt: skip
    fields = {error.field for error in caught.value.errors}
    assert fields == {"instrument", "every_days", "end"}
    assert "phq9" in str(caught.value)
    assert not QuestionnaireSchedule.objects.exists()
