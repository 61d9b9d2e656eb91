"""Refused reads leave a trace in the audit trail, and patients never reach clinician pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_member
from trdnav.accounts.models import Clinic, Role, User
from trdnav.accounts.tokens import issue_token
from trdnav.audit import chain
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient


@pytest.mark.parametrize(
    "url",
    ["/patients/{id}/", "/patients/{id}/assessments/", "/patients/{id}/history/"],
)
def test_a_refused_cross_clinic_page_read_is_audited_in_both_clinics(
    client: Client, clinician: User, other_patient: Patient, url: str
) -> None:
    client.force_login(clinician)
    response = client.get(url.format(id=other_patient.pk))
    assert response.status_code == 404
    mine = AuditEvent.objects.get(action=Action.REFUSED, clinic=clinician.membership.clinic)
    assert (mine.actor, mine.object_id, mine.patient_id) == (clinician, str(other_patient.pk), None)
    theirs = AuditEvent.objects.get(action=Action.REFUSED, clinic=other_patient.clinic)
    assert (theirs.actor, theirs.patient_id) == (clinician, other_patient.pk)
    assert chain.verify().intact


def test_a_refused_cross_clinic_api_read_is_audited_once(
    client: Client, clinician: User, other_patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.get(f"/api/v1/patients/{other_patient.pk}")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=Action.REFUSED).count() == 2
    assert chain.verify().intact


def test_a_read_of_a_record_that_does_not_exist_is_audited_without_a_patient(
    client: Client, clinician: User
) -> None:
    client.force_login(clinician)
    assert client.get("/patients/999999/").status_code == 404
    event = AuditEvent.objects.get(action=Action.REFUSED)
    assert (event.object_id, event.patient_id) == ("999999", None)


def test_a_patient_opening_their_own_clinician_chart_is_refused_and_audited(
    client: Client, patient_user: User, patient: Patient
) -> None:
    client.force_login(patient_user)
    for url in (f"/patients/{patient.pk}/", f"/patients/{patient.pk}/assessments/"):
        assert client.get(url).status_code == 403
    assert AuditEvent.objects.filter(action=Action.REFUSED, actor=patient_user).count() == 2
    assert not AuditEvent.objects.filter(action=Action.VIEW, object_type="patient").exists()


def test_a_patient_is_offered_no_api_tokens_and_cannot_open_the_page(
    client: Client, patient_user: User
) -> None:
    client.force_login(patient_user)
    assert b"API tokens" not in client.get("/portal/").content
    assert client.get("/accounts/tokens/").status_code == 403
    assert client.post("/accounts/tokens/", {"name": "x"}).status_code == 403


def test_a_token_a_patient_already_held_no_longer_opens_the_api(
    client: Client, patient_user: User, patient: Patient
) -> None:
    _, raw = issue_token(user=patient_user, name="old", by=Actor(user=patient_user))
    response = client.get(f"/api/v1/patients/{patient.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_a_staff_member_of_another_clinic_is_named_in_the_owning_clinic_trail(
    client: Client, other_clinic: Clinic, patient: Patient
) -> None:
    intruder = make_member(other_clinic, Role.CLINICIAN, "dr-south")
    client.force_login(intruder)
    assert client.get(f"/patients/{patient.pk}/").status_code == 404
    event = AuditEvent.objects.get(action=Action.REFUSED, clinic=patient.clinic)
    assert event.actor_username == "dr-south" and event.patient_id == patient.pk


def test_a_patient_search_names_the_patients_it_showed_but_not_the_query(
    client: Client, clinician: User, patient: Patient
) -> None:
    from tests.factories import make_patient

    other = make_patient(patient.clinic, "N-777")
    client.force_login(clinician)
    assert client.get("/patients/", {"q": "N-777"}).status_code == 200
    event = AuditEvent.objects.get(object_type="patient_search")
    assert event.shown_patient_ids == str(other.pk)
    assert "N-777" not in event.summary
    assert client.get("/patients/").status_code == 200
    listed = AuditEvent.objects.get(object_type="patient_list")
    assert sorted(map(int, listed.shown_patient_ids.split(","))) == sorted([patient.pk, other.pk])
    assert chain.verify().intact


def test_an_api_list_names_the_patients_it_returned(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    assert client.get("/api/v1/patients", {"limit": 5}).status_code == 200
    event = AuditEvent.objects.get(object_type="patient_list", via="api")
    assert event.shown_patient_ids == str(patient.pk)
