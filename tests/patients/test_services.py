from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_member, make_patient
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.patients.services import create_patient, link_patient_login, update_patient

VALID = {
    "record_number": "N-100",
    "given_name": "Robin",
    "family_name": "Sample",
    "date_of_birth": date(1975, 2, 3),
}


def _fields(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {error.field for error in exc.value.errors}


def test_it_creates_a_patient_and_audits_the_creation(clinic: Clinic, clinician: User) -> None:
    patient = create_patient(clinic=clinic, data=VALID, by=Actor(user=clinician, clinic=clinic))
    assert (patient.clinic, patient.record_number, patient.active) == (clinic, "N-100", True)
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert (event.patient_id, event.object_type, event.actor_id) == (
        patient.pk,
        "patient",
        clinician.pk,
    )
    assert "Robin" not in event.summary and "Sample" not in event.summary


def test_it_refuses_a_duplicate_record_number_in_the_same_clinic(
    clinic: Clinic, clinician: User
) -> None:
    make_patient(clinic, "N-100")
    with pytest.raises(InvalidInput) as exc:
        create_patient(clinic=clinic, data=VALID, by=Actor(user=clinician))
    assert _fields(exc) == {"record_number"}
    assert Patient.objects.count() == 1


def test_the_same_record_number_is_allowed_in_another_clinic(
    clinic: Clinic, other_clinic: Clinic, clinician: User
) -> None:
    make_patient(other_clinic, "N-100")
    create_patient(clinic=clinic, data=VALID, by=Actor(user=clinician))
    assert Patient.objects.filter(record_number="N-100").count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date_of_birth": timezone.localdate() + timedelta(days=1)}, "date_of_birth"),
        ({"date_of_birth": date(1899, 12, 31)}, "date_of_birth"),
        ({"given_name": "  "}, "given_name"),
        ({"record_number": ""}, "record_number"),
        ({"email": "not-an-address"}, "email"),
        ({"sex": "robot"}, "sex"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_stores_nothing(
    clinic: Clinic, clinician: User, change: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        create_patient(clinic=clinic, data={**VALID, **change}, by=Actor(user=clinician))
    assert _fields(exc) == {field}
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_update_audits_the_changed_field_names_but_not_their_values(
    patient: Patient, clinician: User
) -> None:
    update_patient(
        patient=patient,
        data={"email": "robin@example.org", "given_name": "Alex"},
        by=Actor(user=clinician),
    )
    patient.refresh_from_db()
    assert patient.email == "robin@example.org"
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.summary == "changed: email"


def test_an_update_that_changes_nothing_writes_nothing(patient: Patient, clinician: User) -> None:
    update_patient(patient=patient, data={"given_name": "Alex"}, by=Actor(user=clinician))
    assert not AuditEvent.objects.exists()


def test_a_refused_update_leaves_the_stored_record_unchanged(
    patient: Patient, clinician: User
) -> None:
    with pytest.raises(InvalidInput):
        update_patient(
            patient=patient,
            data={"family_name": "New", "email": "bad"},
            by=Actor(user=clinician),
        )
    assert Patient.objects.get(pk=patient.pk).family_name == "Example-N-001"


def test_a_patient_login_links_to_a_record_of_its_own_clinic_only(
    patient: Patient, other_patient: Patient, clinic: Clinic, clinician: User
) -> None:
    login = make_member(clinic, Role.PATIENT, "pat")
    with pytest.raises(InvalidInput, match="another clinic"):
        link_patient_login(patient=other_patient, user=login, by=Actor(user=clinician))
    with pytest.raises(InvalidInput, match="patient role"):
        link_patient_login(patient=patient, user=clinician, by=Actor(user=clinician))
    link_patient_login(patient=patient, user=login, by=Actor(user=clinician))
    second = make_patient(clinic, "N-777")
    with pytest.raises(InvalidInput, match="already linked"):
        link_patient_login(patient=second, user=login, by=Actor(user=clinician))
    assert Patient.objects.get(user=login) == patient
    assert AuditEvent.objects.filter(action=Action.UPDATE, patient_id=patient.pk).count() == 1
