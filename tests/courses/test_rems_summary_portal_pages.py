"""The REMS task list and form, the course summary and its printout, and the patient's
course calendar in the portal (test client)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.courses.page_helpers import (
    ESKETAMINE_OK,
    form_data,
    plan,
    rems_values,
    signed_session,
)
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.courses import services
from trdnav.courses.models import RemsReport
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db
OVERRIDE_REASON = "Rechecked after rest, 138/88; proceeding after discussion."


def test_the_rems_list_shows_the_form_due_with_its_deadline_and_the_form_submits(
    client: Client, clinician: User, staff: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    session = signed_session(course, clinician)
    report = RemsReport.objects.get(session=session)
    client.force_login(staff)
    page = client.get("/courses/rems/").content.decode()
    assert f'id="rems-{session.pk}"' in page and ("due" in page or "overdue" in page)
    assert patient.record_number in page
    assert AuditEvent.objects.filter(actor=staff, object_type="rems_task_list").exists()
    url = f"/courses/rems/{session.pk}/"
    response = client.post(url, {})
    assert response.status_code == 400  # required fields missing, named on the form
    assert not RemsReport.objects.get(pk=report.pk).submitted_at
    response = client.post(url, form_data(rems_values()), follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.submitted_at is not None and report.submitted_by == staff
    assert "submitted" in client.get("/courses/rems/").content.decode()


def test_the_summary_shows_sessions_vitals_overrides_and_the_print_button(
    client: Client, clinician: User, staff: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    actor = Actor(user=clinician, clinic=clinician.membership.clinic)
    high = {**ESKETAMINE_OK, "bp_pre_systolic": 150}
    session = services.record_session(course=course, values=high, by=actor, number=1)
    services.sign_session(session=session, by=actor, overrides={"predose_bp_high": OVERRIDE_REASON})
    services.amend_session(
        session=session, values={"lot_number": "LOT-2"}, reason="Lot misread", by=actor
    )
    client.force_login(staff)
    response = client.get(f"/courses/{course.pk}/summary/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-print" in page and "trdnav/print.js" in page
    assert 'id="vitals-table"' in page and "150" in page
    assert OVERRIDE_REASON in page and "Overridden" in page
    assert "Lot misread" in page
    assert 'id="trajectory"' in page


def test_the_patient_sees_their_calendar_without_clinical_internals(
    client: Client, clinician: User, patient_user: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    actor = Actor(user=clinician, clinic=clinician.membership.clinic)
    session = services.record_session(
        course=course, values={**ESKETAMINE_OK, "bp_pre_systolic": 150}, by=actor, number=1
    )
    services.sign_session(session=session, by=actor, overrides={"predose_bp_high": OVERRIDE_REASON})
    client.force_login(patient_user)
    response = client.get("/portal/courses/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Session 1" in page and "Session 2" in page
    assert "What to expect next" in page
    assert OVERRIDE_REASON not in page and "predose_bp_high" not in page and "150" not in page
    assert AuditEvent.objects.filter(actor=patient_user, object_type="portal_courses").exists()


def test_the_portal_calendar_is_for_patients_only(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    assert client.get("/portal/courses/").status_code == 404


def test_the_rems_form_is_prefilled_from_the_session_and_sent_twice_is_stored_once(
    client: Client, clinician: User, staff: User, patient: Patient
) -> None:
    session = signed_session(plan(patient, clinician), clinician)
    client.force_login(staff)
    url = f"/courses/rems/{session.pk}/"
    form = client.get(url).context["form"]
    assert form["f_dose_mg"].value() == 56  # from the session record
    body = form_data(rems_values())
    assert client.post(url, body).status_code == 302
    again = client.post(url, body, follow=True)
    assert again.status_code == 200 and "already submitted" in again.content.decode()
    report = RemsReport.objects.get(session=session)
    assert report.submitted_by == staff
