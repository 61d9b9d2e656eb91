from __future__ import annotations

from django.test import Client

from tests.factories import make_patient
from trdnav.accounts.models import Clinic, User
from trdnav.audit.models import Action, AuditEvent
from trdnav.patients.models import Patient

FORM = {
    "record_number": "N-200",
    "given_name": "Sam",
    "family_name": "Jones",
    "date_of_birth": "1990-04-01",
    "sex": "",
    "gender_identity": "",
    "email": "",
    "active": "on",
}


def test_a_clinician_creates_a_patient_in_their_own_clinic(
    client: Client, clinician: User, clinic: Clinic
) -> None:
    client.force_login(clinician)
    response = client.post("/patients/new/", FORM)
    patient = Patient.objects.get(record_number="N-200")
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/"
    assert patient.clinic == clinic
    assert AuditEvent.objects.filter(action=Action.CREATE, patient_id=patient.pk).exists()


def test_the_create_form_shows_field_errors_and_stores_nothing(
    client: Client, clinician: User
) -> None:
    client.force_login(clinician)
    response = client.post("/patients/new/", {**FORM, "date_of_birth": "31/02/1990"})
    assert response.status_code == 400
    assert b"Enter a valid date" in response.content
    assert not Patient.objects.exists()


def test_a_duplicate_record_number_shows_on_the_record_number_field(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.post("/patients/new/", {**FORM, "record_number": patient.record_number})
    assert response.status_code == 400
    assert response.context["form"].errors["record_number"] == [
        "a patient with this record number already exists in this clinic"
    ]
    assert Patient.objects.count() == 1


def test_editing_changes_the_record_and_audits_view_and_update(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.post(f"/patients/{patient.pk}/edit/", {**FORM, "record_number": "N-001"})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.family_name == "Jones"
    actions = set(AuditEvent.objects.filter(patient_id=patient.pk).values_list("action", flat=True))
    assert actions == {Action.VIEW, Action.UPDATE}


def test_viewing_a_patient_is_audited(client: Client, staff: User, patient: Patient) -> None:
    client.force_login(staff)
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    event = AuditEvent.objects.get(action=Action.VIEW, patient_id=patient.pk)
    assert (event.actor_id, event.via) == (staff.pk, "page")


def test_the_list_shows_only_the_own_clinics_patients_and_searches(
    client: Client, clinician: User, patient: Patient, other_patient: Patient
) -> None:
    make_patient(patient.clinic, "N-002", family_name="Zephyr")
    client.force_login(clinician)
    content = client.get("/patients/").content.decode()
    assert "N-001" in content and "N-002" in content and "S-001" not in content
    searched = client.get("/patients/", {"q": "zeph"}).content.decode()
    assert "N-002" in searched and "N-001" not in searched


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client, patient: Patient) -> None:
    for url in ("/patients/", f"/patients/{patient.pk}/", "/dashboard/", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
