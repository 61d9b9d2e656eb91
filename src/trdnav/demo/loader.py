"""Builds the demo clinic. Running it twice changes nothing (it is idempotent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from trdnav.accounts.models import Clinic, Membership, Role, User
from trdnav.audit.services import Actor
from trdnav.demo.clinical import load_clinical_records
from trdnav.demo.courses import load_demo_courses
from trdnav.demo.people import demo_patients
from trdnav.demo.portal import load_portal_demo
from trdnav.patients.models import Patient
from trdnav.patients.services import create_patient, link_patient_login

# Published demo passwords: the demo posture only ever serves on 127.0.0.1.
DEMO_ADMIN = ("admin", "demo-admin-pass")
DEMO_CLINIC = ("Demo Clinic", "demo")
DEMO_MEMBERS = (
    (Role.CLINIC_ADMIN, "demo-clinic-admin", "demo-clinic-admin-pass", "Casey", "Admin"),
    (Role.CLINICIAN, "demo-clinician", "demo-clinician-pass", "Dana", "Reyes"),
    (Role.STAFF, "demo-nurse", "demo-nurse-pass", "Noor", "Hale"),
    (Role.PATIENT, "demo-patient", "demo-patient-pass", "", ""),
)
# The demo patient login is linked to the first demo patient record.
DEMO_PATIENT_RECORD = "DEMO-0001"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


def _site_admin() -> DemoLogin:
    username, password = DEMO_ADMIN
    if not User.objects.filter(username=username).exists():
        User.objects.create_superuser(username=username, password=password, email="")
    return DemoLogin("site admin", username, password)


def _member(clinic: Clinic, spec: tuple[Role, str, str, str, str]) -> DemoLogin:
    role, username, password, first, last = spec
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, password=password, first_name=first, last_name=last
        )
    Membership.objects.get_or_create(user=user, defaults={"clinic": clinic, "role": role})
    return DemoLogin(role.value.replace("_", " "), username, password)


def _patients(clinic: Clinic, as_of: date) -> int:
    actor = Actor(user=None, clinic=clinic, via="system")
    existing = set(Patient.objects.filter(clinic=clinic).values_list("record_number", flat=True))
    created = 0
    for spec in demo_patients(as_of=as_of):
        if spec.record_number not in existing:
            create_patient(clinic=clinic, data=spec.as_data(), by=actor)
            created += 1
    return created


def _link_patient_login(clinic: Clinic) -> None:
    user = User.objects.get(username=DEMO_MEMBERS[-1][1])
    patient = Patient.objects.get(clinic=clinic, record_number=DEMO_PATIENT_RECORD)
    if patient.user_id is None:
        actor = Actor(user=None, clinic=clinic, via="system")
        link_patient_login(patient=patient, user=user, by=actor)


def _clinical_records(clinic: Clinic, as_of: date) -> int:
    patients = list(Patient.objects.filter(clinic=clinic))
    actor = Actor(user=None, clinic=clinic, via="system")
    return load_clinical_records(patients=patients, as_of=as_of, actor=actor)


def _courses(clinic: Clinic, as_of: date) -> int:
    """The demo courses, planned, documented and signed by the demo clinician."""
    clinician = User.objects.get(username=DEMO_MEMBERS[1][1])
    actor = Actor(user=clinician, clinic=clinic, via="system")
    patients = {p.record_number: p for p in Patient.objects.filter(clinic=clinic)}
    return load_demo_courses(patients=patients, as_of=as_of, actor=actor)


@transaction.atomic
def load_demo_data(
    progress: Callable[[str], object] = print, *, as_of: date | None = None
) -> list[DemoLogin]:
    """Create the demo clinic, its members and patients; dates are relative to ``as_of``."""
    as_of = as_of or timezone.localdate()
    logins = [_site_admin()]
    clinic, _ = Clinic.objects.get_or_create(slug=DEMO_CLINIC[1], defaults={"name": DEMO_CLINIC[0]})
    logins += [_member(clinic, spec) for spec in DEMO_MEMBERS]
    created = _patients(clinic, as_of)
    _link_patient_login(clinic)
    load_portal_demo(
        patient=Patient.objects.get(clinic=clinic, record_number=DEMO_PATIENT_RECORD),
        clinician=User.objects.get(username=DEMO_MEMBERS[1][1]),
        as_of=as_of,
    )
    scores = _clinical_records(clinic, as_of)
    courses = _courses(clinic, as_of)
    progress(
        f"Demo data ready: {clinic.name}, {created} new patients, {scores} new scores, "
        f"{courses} new courses."
    )
    return logins
