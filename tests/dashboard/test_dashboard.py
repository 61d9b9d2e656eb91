from __future__ import annotations

from django.test import Client

from tests.factories import make_patient
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.patients.models import Patient


def test_it_lists_the_clinics_active_patients_only(
    client: Client, clinician: User, patient: Patient, other_patient: Patient
) -> None:
    make_patient(patient.clinic, "N-050", active=False)
    client.force_login(clinician)
    rows = client.get("/dashboard/").context["rows"]
    assert [row.patient.record_number for row in rows] == ["N-001"]
    assert AuditEvent.objects.filter(object_type="dashboard", actor=clinician).exists()


def test_the_home_page_sends_each_role_where_it_belongs(
    client: Client, staff: User, patient_user: User, patient: Patient
) -> None:
    client.force_login(staff)
    assert client.get("/")["Location"] == "/dashboard/"
    client.force_login(patient_user)
    assert client.get("/")["Location"] == f"/patients/{patient.pk}/"
