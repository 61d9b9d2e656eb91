from __future__ import annotations

from datetime import date

import pytest

from trdnav.accounts.models import Membership, Role, User
from trdnav.demo import load_demo_data
from trdnav.demo.people import demo_patients
from trdnav.patients.models import Patient

AS_OF = date(2025, 3, 1)


def test_the_same_seed_and_date_give_the_same_patients() -> None:
    assert demo_patients(as_of=AS_OF) == demo_patients(as_of=AS_OF)
    assert demo_patients(as_of=AS_OF, seed=1) != demo_patients(as_of=AS_OF)
    assert all(p.date_of_birth < AS_OF for p in demo_patients(as_of=AS_OF))


@pytest.mark.django_db
def test_it_builds_a_clinic_with_a_member_per_role_and_thirty_patients() -> None:
    logins = load_demo_data(progress=lambda _: None, as_of=AS_OF)
    assert [login.role for login in logins] == [
        "site admin",
        "clinic admin",
        "clinician",
        "staff",
        "patient",
    ]
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {role.value for role in Role}
    assert Patient.objects.filter(clinic__slug="demo").count() == 30
    for login in logins:
        assert User.objects.get(username=login.username).check_password(login.password)


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    first = list(Patient.objects.values_list("record_number", "date_of_birth", "user_id"))
    load_demo_data(progress=lambda _: None, as_of=date(2026, 1, 1))
    second = list(Patient.objects.values_list("record_number", "date_of_birth", "user_id"))
    assert first == second
    assert User.objects.count() == 5


@pytest.mark.django_db
def test_the_demo_patient_login_reaches_exactly_one_record() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    patient_user = User.objects.get(username="demo-patient")
    assert Patient.objects.get(user=patient_user).record_number == "DEMO-0001"
