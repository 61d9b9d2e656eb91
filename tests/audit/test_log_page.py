from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.factories import make_patient
from trdnav.accounts.models import Clinic, User
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.patients.models import Patient


def test_a_clinic_admin_sees_only_their_clinics_events(
    client: Client, clinic_admin: User, clinician: User, other_clinic: Clinic
) -> None:
    record_event(by=Actor(user=clinician, clinic=clinician.membership.clinic), action=Action.VIEW)
    record_event(by=Actor(user=None, clinic=other_clinic), action=Action.VIEW)
    client.force_login(clinic_admin)
    page = client.get("/audit/").context["page"]
    assert {event.clinic_id for event in page} == {clinic_admin.membership.clinic_id}


def test_the_log_filters_by_user_patient_action_and_dates(
    client: Client, clinic_admin: User, clinician: User, patient: Patient, clinic: Clinic
) -> None:
    other = make_patient(clinic, "N-009")
    actor = Actor(user=clinician, clinic=clinic)
    record_event(by=actor, action=Action.VIEW, patient_id=patient.pk)
    record_event(by=actor, action=Action.UPDATE, patient_id=patient.pk)
    record_event(by=actor, action=Action.VIEW, patient_id=other.pk)
    client.force_login(clinic_admin)
    today = timezone.localdate()
    page = client.get(
        "/audit/",
        {
            "user": "DR-NORTH",
            "patient": "N-001",
            "action": "view",
            "start": today.isoformat(),
            "end": today.isoformat(),
        },
    ).context["page"]
    assert [(e.patient_id, e.action) for e in page] == [(patient.pk, "view")]
    yesterday = (today - timedelta(days=1)).isoformat()
    assert list(client.get("/audit/", {"end": yesterday}).context["page"]) == []


def test_an_end_before_the_start_is_a_clear_error(client: Client, clinic_admin: User) -> None:
    client.force_login(clinic_admin)
    response = client.get("/audit/", {"start": "2024-05-02", "end": "2024-05-01"})
    assert response.status_code == 400
    assert b"the end date must not be before the start date" in response.content


def test_viewing_the_log_is_itself_audited(client: Client, clinic_admin: User) -> None:
    client.force_login(clinic_admin)
    client.get("/audit/")
    page = client.get("/audit/").context["page"]
    assert [e.object_type for e in page] == ["audit_log", "audit_log"]
