"""Small builders for database tests: clinics, members with a role, patients."""

from __future__ import annotations

from datetime import date

from trdnav.accounts.models import Clinic, Membership, Role, User
from trdnav.patients.models import Patient

PASSWORD = "correct horse battery staple"


def make_clinic(slug: str) -> Clinic:
    return Clinic.objects.create(name=f"{slug.title()} Clinic", slug=slug)


def make_member(clinic: Clinic, role: Role, username: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def make_patient(clinic: Clinic, record_number: str, **fields: object) -> Patient:
    values: dict[str, object] = {
        "given_name": "Alex",
        "family_name": f"Example-{record_number}",
        "date_of_birth": date(1980, 5, 17),
    }
    values.update(fields)
    return Patient.objects.create(clinic=clinic, record_number=record_number, **values)
