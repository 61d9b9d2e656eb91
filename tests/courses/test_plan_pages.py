"""Planning a course from the chart, the course page and ending a course (test client)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.courses.page_helpers import ESKETAMINE_OK, plan, signed_session
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.courses.models import Course
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db


def _plan_url(patient: Patient, therapy: str = "esketamine") -> str:
    return f"/courses/plan/{patient.pk}/{therapy}/"


def test_the_chart_offers_plan_this_course_to_clinicians_only(
    client: Client, clinician: User, staff: User, patient: Patient
) -> None:
    client.force_login(clinician)
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert f'href="{_plan_url(patient)}"' in page and "Plan this course" in page
    client.force_login(staff)
    assert "Plan this course" not in client.get(f"/patients/{patient.pk}/").content.decode()


def test_the_plan_page_shows_the_sessions_and_the_measure_schedule(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.get(_plan_url(patient))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="planned-sessions"' in page and 'id="planned-measures"' in page
    assert "MADRS" in page
    body = {"protocol": "esketamine_induction", "start": "2026-12-01", "sessions": "4",
            "action": "preview"}  # fmt: skip
    response = client.post(_plan_url(patient), body)
    assert response.status_code == 200
    assert len(response.context["preview"].sessions) == 4
    assert not Course.objects.exists()


def test_planning_creates_the_course_once_when_the_form_is_sent_twice(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    token = client.get(_plan_url(patient)).context["form"]["submission_token"].value()
    body = {"protocol": "esketamine_induction", "start": "2026-12-01", "sessions": "",
            "action": "create", "submission_token": token}  # fmt: skip
    first = client.post(_plan_url(patient), body)
    second = client.post(_plan_url(patient), body)
    assert first.status_code == second.status_code == 302
    course = Course.objects.get()
    assert first["Location"] == second["Location"] == f"/courses/{course.pk}/"
    assert course.therapy_id == "esketamine" and course.planned_sessions == 8
    assert AuditEvent.objects.filter(actor=clinician, patient_id=patient.pk).exists()


def test_bad_plan_values_are_named_and_nothing_is_stored(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    body = {"protocol": "not_a_protocol", "start": "someday", "sessions": "0", "action": "create"}
    response = client.post(_plan_url(patient), body)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"protocol", "start", "sessions"} <= set(errors)
    assert not Course.objects.exists()


def test_a_therapy_without_a_protocol_has_no_plan_page(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    assert client.get(_plan_url(patient, "psilocybin")).status_code == 404


def test_staff_cannot_plan_and_another_clinics_patient_is_missing(
    client: Client, clinician: User, staff: User, patient: Patient, other_patient: Patient
) -> None:
    client.force_login(staff)
    assert client.get(_plan_url(patient)).status_code == 403
    client.force_login(clinician)
    assert client.get(_plan_url(other_patient)).status_code == 404


def test_the_course_page_lists_sessions_next_session_and_rems_items(
    client: Client, clinician: User, staff: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    signed_session(course, clinician, ESKETAMINE_OK)
    client.force_login(staff)
    response = client.get(f"/courses/{course.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="session-1"' in page and "signed" in page
    assert "Next: session 2" in page
    assert 'id="rems-items"' in page and "Session 1" in page
    assert AuditEvent.objects.filter(
        actor=staff, object_type="course", object_id=str(course.pk)
    ).exists()


def test_ending_a_course_needs_a_reason_when_stopped(
    client: Client, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(clinician)
    response = client.post(f"/courses/{course.pk}/end/", {"status": "stopped", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    response = client.post(
        f"/courses/{course.pk}/end/", {"status": "stopped", "reason": "Intolerable dissociation"}
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.status == "stopped" and course.stop_reason == "Intolerable dissociation"


def test_ending_an_ended_course_again_changes_nothing(
    client: Client, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(clinician)
    body = {"status": "completed"}
    assert client.post(f"/courses/{course.pk}/end/", body).status_code == 302
    again = client.post(f"/courses/{course.pk}/end/", body, follow=True)
    assert "already ended" in again.content.decode()
    course.refresh_from_db()
    assert course.status == "completed"
